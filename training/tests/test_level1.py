"""Level 1: the course of a batch, its three classroom days, and where each enterprise stands in its window."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from training.delivery import rules as delivery_rules
from training.models import Session, VisitPurpose
from training.tests.delivery_factories import make_batch, make_level1, make_participant, mark
from training.tests.factories import make_visit

DAYS = [datetime.date(2027, 1, 4), datetime.date(2027, 1, 5), datetime.date(2027, 1, 6)]


def _standing(today, **extra):
    values = {"classroom_days": DAYS, "months": 4, "today": today, "completed": False} | extra
    return delivery_rules.level1_standing(**values)


@pytest.mark.parametrize(
    ("today", "extra", "code"),
    [
        (datetime.date(2027, 1, 1), {}, delivery_rules.BEFORE),
        (datetime.date(2027, 1, 5), {}, delivery_rules.CLASSROOM),
        (datetime.date(2027, 2, 15), {}, delivery_rules.CONSULTANCY),
        (datetime.date(2027, 5, 4), {}, delivery_rules.CONSULTANCY),  # the last day of the window
        (datetime.date(2027, 5, 5), {}, delivery_rules.OVERDUE),
        (datetime.date(2027, 5, 5), {"completed": True}, delivery_rules.COMPLETED),
        (datetime.date(2027, 1, 1), {"classroom_days": []}, delivery_rules.NOT_SCHEDULED),
    ],
)
def test_standing_in_the_window(today, extra, code):
    assert _standing(today, **extra).code == code


def test_standing_notes_what_is_missing():
    standing = _standing(datetime.date(2027, 3, 1), days_attended=2, visit_dates=[datetime.date(2026, 12, 1)])
    assert standing.visits == 0  # a visit before the course does not count
    assert [str(n) for n in standing.notes] == [
        "attended 2 of 3 classroom days",
        "no CEO or decision-maker attended",
        "no consultancy visit yet",
    ]
    assert standing.window_end == datetime.date(2027, 5, 4) and 0 < standing.elapsed_pct < 100
    fine = _standing(
        datetime.date(2027, 3, 1),
        days_attended=3,
        decision_maker_attended=True,
        visit_dates=[datetime.date(2027, 2, 1)],
    )
    assert fine.notes == [] and fine.visits == 1


def test_add_months_keeps_the_end_of_month():
    assert delivery_rules.add_months(datetime.date(2027, 10, 31), 4) == datetime.date(2028, 2, 29)


@pytest.mark.django_db
def test_batch_page_shows_each_enterprise_in_the_window(
    client, officer, consultant, enterprise, other_enterprise, monkeypatch
):
    batch = make_batch(enterprise, other_enterprise)
    course = make_level1(batch, DAYS, trainer=consultant)
    workshop = course.workshops.get()
    ceo = make_participant(workshop, enterprise, "Kamran Shah", "manager", "male", decision_maker=True)
    for session in workshop.sessions.all():
        mark(session, ceo)
    make_visit(enterprise, consultant, date=datetime.date(2027, 2, 1), purpose=VisitPurpose.LEVEL1_FOLLOW_UP)
    client.force_login(officer)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2027, 3, 1))
    page = client.get(reverse("training:level1_course", args=[batch.pk])).content.decode()
    assert page.count("In-factory consultancy") == 2
    assert "3 / 3" in page and "0 / 3" in page
    assert "no CEO or decision-maker attended" in page  # the other enterprise
    assert "The course and its consultancy end by 4 May 2027" in page


@pytest.mark.django_db
def test_officer_sets_up_the_course_and_its_days(client, officer, consultant, enterprise, other_consultant):
    batch = make_batch(enterprise)
    client.force_login(officer)
    url = reverse("training:level1_course", args=[batch.pk])
    client.post(url, {"consultancy_months": "4", "notes": ""})
    day_url = reverse("training:level1_day", args=[batch.pk])
    client.post(day_url, {"day": "1", "date": "2027-01-04", "venue": "PCMEA hall", "trainer": consultant.pk})
    assert Session.objects.get(day=1).date == datetime.date(2027, 1, 4)
    # the same trainer cannot teach day 2 on the same date, nor can the day fall on a Sunday unconfirmed
    client.post(day_url, {"day": "2", "date": "2027-01-04", "venue": "PCMEA hall", "trainer": consultant.pk})
    client.post(day_url, {"day": "2", "date": "2027-01-10", "venue": "PCMEA hall", "trainer": other_consultant.pk})
    assert not Session.objects.filter(day=2).exists()
    client.post(
        day_url,
        {"day": "2", "date": "2027-01-10", "venue": "PCMEA hall", "trainer": other_consultant.pk, "accept": "on"},
    )
    session = Session.objects.get(day=2)
    assert session.date == datetime.date(2027, 1, 10) and session.trainer == other_consultant
