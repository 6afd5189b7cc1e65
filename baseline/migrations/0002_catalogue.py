"""The SCORE indicator catalogue: yes/no practices per module and KPIs with their formulas (version 1)."""

from django.db import migrations

# code, module, name, description
PRACTICES = [
    ("worker_manager_meetings", 1, "Regular worker–manager meetings", "Meetings at least monthly, with minutes."),
    ("eit_in_place", 1, "Enterprise Improvement Team (EIT) in place", "An EIT with worker and manager members."),
    ("suggestion_scheme", 1, "Suggestion scheme", "Workers' suggestions are collected and answered."),
    ("five_s", 1, "5S implemented", "Sort, set in order, shine, standardise, sustain, in at least one area."),
    ("quality_policy", 2, "Quality policy", "A written quality policy known on the shop floor."),
    ("defect_tracking", 2, "Defect tracking", "Defects are counted and analysed regularly."),
    ("energy_metering", 3, "Energy metering", "Energy use is metered and recorded monthly."),
    ("hr_policy", 4, "Written HR policy", "A written human resource policy."),
    ("grievance_mechanism", 4, "Grievance mechanism", "A known way for workers to raise grievances."),
    ("anti_harassment_policy", 4, "Anti-harassment policy", "A written policy against harassment, with a committee."),
    ("osh_policy", 5, "Written OSH policy", "A written occupational safety and health policy."),
    ("osh_committee", 5, "OSH committee", "A safety and health committee that meets regularly."),
    ("fire_drills", 5, "Fire drills", "Fire drills held at least twice a year."),
]

# code, module, name, formula, unit, denominator, direction
KPIS = [
    ("defect_rate", 2, "Defect rate", "defect_rate", "%", "units checked", "lower"),
    ("accident_frequency", 5, "Accident frequency", "accident_frequency", "per 200,000 hours", "hours worked", "lower"),
    ("labour_turnover", 4, "Labour turnover", "labour_turnover", "% per month", "average headcount", "lower"),
    ("absenteeism", 4, "Absenteeism", "absenteeism", "%", "scheduled workdays", "lower"),
    (
        "overtime_per_worker",
        4,
        "Overtime hours per worker",
        "overtime_per_worker",
        "hours per month",
        "average headcount",
        "lower",
    ),
    ("productivity", 3, "Productivity", "productivity", "units per worker-hour", "hours worked", "higher"),
    ("energy_per_unit", 3, "Energy per unit of output", "energy_per_unit", "kWh per unit", "units produced", "lower"),
    ("waste_per_unit", 3, "Waste per unit of output", "waste_per_unit", "kg per unit", "units produced", "lower"),
    (
        "suggestions_per_100",
        1,
        "Suggestions per 100 workers",
        "suggestions_per_100",
        "per 100 workers per month",
        "average headcount",
        "higher",
    ),
    ("workforce_workers", 4, "Workforce: workers", "workers", "persons", "", "neutral"),
    ("workforce_supervisors", 4, "Workforce: supervisors", "supervisors", "persons", "", "neutral"),
    ("workforce_managers", 4, "Workforce: managers", "managers", "persons", "", "neutral"),
    (
        "women_supervisors_share",
        4,
        "Women among supervisors",
        "women_supervisors_share",
        "%",
        "all supervisors",
        "higher",
    ),
]


def load(apps, schema_editor):
    Indicator = apps.get_model("baseline", "Indicator")
    IndicatorVersion = apps.get_model("baseline", "IndicatorVersion")

    def add(code, kind, module, position, **version):
        indicator, created = Indicator.objects.get_or_create(
            code=code, defaults={"kind": kind, "module": module, "position": position}
        )
        if not created:
            return
        first = IndicatorVersion.objects.create(indicator=indicator, number=1, **version)
        indicator.current_version = first
        indicator.save(update_fields=["current_version"])

    for position, (code, module, name, description) in enumerate(PRACTICES, start=1):
        add(code, "practice", module, position, name=name, description=description, direction="higher", unit="yes/no")
    for position, (code, module, name, formula, unit, denominator, direction) in enumerate(KPIS, start=1):
        add(
            code,
            "kpi",
            module,
            position,
            name=name,
            formula=formula,
            unit=unit,
            denominator=denominator,
            direction=direction,
        )


def unload(apps, schema_editor):
    Indicator = apps.get_model("baseline", "Indicator")
    codes = [row[0] for row in PRACTICES] + [row[0] for row in KPIS]
    Indicator.objects.filter(code__in=codes, results__isnull=True).update(current_version=None)
    Indicator.objects.filter(code__in=codes, results__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("baseline", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
