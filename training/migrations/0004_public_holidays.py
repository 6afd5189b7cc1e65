"""A starting list of Pakistan's public holidays. Officers keep it up to date on the holidays page.

The fixed-date holidays are certain; the Islamic holidays follow the moon, so their dates here are the
expected ones and officers correct them once the dates are announced.
"""

import datetime

from django.db import migrations

FIXED = [
    (2, 5, "Kashmir Solidarity Day"),
    (3, 23, "Pakistan Day"),
    (5, 1, "Labour Day"),
    (5, 28, "Youm-e-Takbeer"),
    (8, 14, "Independence Day"),
    (11, 9, "Iqbal Day"),
    (12, 25, "Quaid-e-Azam Day"),
]

EXPECTED = [
    ("2026-03-20", "Eid ul-Fitr (expected)"),
    ("2026-03-21", "Eid ul-Fitr (expected)"),
    ("2026-03-22", "Eid ul-Fitr (expected)"),
    ("2026-05-27", "Eid ul-Adha (expected)"),
    ("2026-05-28", "Eid ul-Adha (expected)"),
    ("2026-05-29", "Eid ul-Adha (expected)"),
    ("2026-06-25", "Ashura (expected)"),
    ("2026-06-26", "Ashura (expected)"),
    ("2026-08-26", "Eid Milad un-Nabi (expected)"),
    ("2027-03-10", "Eid ul-Fitr (expected)"),
    ("2027-03-11", "Eid ul-Fitr (expected)"),
    ("2027-03-12", "Eid ul-Fitr (expected)"),
    ("2027-05-17", "Eid ul-Adha (expected)"),
    ("2027-05-18", "Eid ul-Adha (expected)"),
    ("2027-05-19", "Eid ul-Adha (expected)"),
    ("2027-06-15", "Ashura (expected)"),
    ("2027-06-16", "Ashura (expected)"),
    ("2027-08-15", "Eid Milad un-Nabi (expected)"),
]

YEARS = (2026, 2027, 2028)


def holidays():
    for year in YEARS:
        for month, day, name in FIXED:
            yield datetime.date(year, month, day), name
    for iso, name in EXPECTED:
        yield datetime.date.fromisoformat(iso), name


def load(apps, schema_editor):
    PublicHoliday = apps.get_model("training", "PublicHoliday")
    for date, name in holidays():
        PublicHoliday.objects.get_or_create(date=date, defaults={"name": name})


def unload(apps, schema_editor):
    apps.get_model("training", "PublicHoliday").objects.filter(date__in=[d for d, _n in holidays()]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0003_classroom_delivery"),
    ]

    operations = [migrations.RunPython(load, unload)]
