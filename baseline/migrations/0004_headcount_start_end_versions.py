"""Version 2 of the KPIs defined per average headcount: entered as start and end headcount.

Version 1 stays as it was, and so do the results computed with it; a round saved again is
recomputed with version 2, which reads the average typed in an older round as before.
The changes already kept get the relative-change floor and the "already at the best value" mark.
"""

from django.db import migrations
from django.utils import timezone

from baseline import rules

DENOMINATOR = "average of the headcounts at the start and at the end of the month"
REASON = "Headcount entered at the start and at the end of the month, as factories record it; the portal averages them."


def add_versions(apps, schema_editor):
    Indicator = apps.get_model("baseline", "Indicator")
    IndicatorVersion = apps.get_model("baseline", "IndicatorVersion")
    indicators = Indicator.objects.filter(current_version__formula__in=list(rules.SUCCESSORS))
    for indicator in indicators.select_related("current_version"):
        current = indicator.current_version
        number = IndicatorVersion.objects.filter(indicator=indicator).order_by("-number").first().number + 1
        version = IndicatorVersion.objects.create(
            indicator=indicator,
            number=number,
            name=current.name,
            description=current.description,
            formula=rules.SUCCESSORS[current.formula],
            unit=current.unit,
            denominator=DENOMINATOR,
            direction=current.direction,
            created_at=timezone.now(),
            reason=REASON,
        )
        indicator.current_version = version
        indicator.save(update_fields=["current_version"])


def remove_versions(apps, schema_editor):
    Indicator = apps.get_model("baseline", "Indicator")
    IndicatorVersion = apps.get_model("baseline", "IndicatorVersion")
    old = {new: old for old, new in rules.SUCCESSORS.items()}
    for indicator in Indicator.objects.filter(current_version__formula__in=list(old)).select_related("current_version"):
        current = indicator.current_version
        if current.results.exists():
            continue  # results were computed with it: it stays
        previous = (
            IndicatorVersion.objects.filter(indicator=indicator, number__lt=current.number).order_by("-number").first()
        )
        if previous is None:
            continue
        indicator.current_version = previous
        indicator.save(update_fields=["current_version"])
        current.delete()


def refresh_kept_changes(apps, schema_editor):
    Change = apps.get_model("baseline", "Change")
    batch = []
    for change in Change.objects.select_related("version").iterator(chunk_size=2000):
        formula, direction = change.version.formula, change.version.direction
        change.change_pct = rules.change_pct(change.baseline_value, change.latest_value, rules.min_base(formula))
        change.at_best = rules.at_best(formula, direction, change.baseline_value, change.latest_value)
        batch.append(change)
        if len(batch) >= 2000:
            Change.objects.bulk_update(batch, ["change_pct", "at_best"])
            batch = []
    if batch:
        Change.objects.bulk_update(batch, ["change_pct", "at_best"])


class Migration(migrations.Migration):
    dependencies = [("baseline", "0003_change_at_best_and_start_end_formulas")]

    operations = [
        migrations.RunPython(add_versions, remove_versions),
        migrations.RunPython(refresh_kept_changes, migrations.RunPython.noop),
    ]
