"""Demo measurement rounds for the enterprises that reached Level 1, made through the services.

Every enterprise accepted into Level 1 (or further) gets a basic baseline and a follow-up; those
that completed Level 1 also a comprehensive baseline, and those that completed Level 2 an impact
assessment. Most improve as SCORE enterprises typically do; every fourth one slips on some KPIs.
Each enterprise draws from its own random generator (seeded by its registration key), so the
data does not depend on what other apps drew, and an enterprise that already has rounds is left
alone: running seed_demo again adds no rows.
"""

import datetime
import random
from decimal import Decimal

from enterprises.models import Enterprise, Stage

from . import rules, services
from .models import Indicator, Kind, Round, RoundKind

FROM_LEVEL1 = [
    Stage.LEVEL1_ACCEPTED,
    Stage.LEVEL1_COMPLETED,
    Stage.LEVEL2_INTEREST,
    Stage.LEVEL2_SHORTLISTED,
    Stage.LEVEL2_IN_PROGRESS,
    Stage.LEVEL2_COMPLETED,
]
LEVEL1_DONE = FROM_LEVEL1[1:]

# KPI drift per round step: improving enterprises, and the ones that slip on some KPIs
IMPROVING = {"defect": -0.14, "accidents": -0.2, "turnover": -0.1, "absent": -0.08, "overtime": -0.1, "prod": 0.09}
SLIPPING = {"defect": 0.12, "accidents": 0.1, "turnover": 0.15, "absent": 0.1, "overtime": 0.05, "prod": -0.04}


def _months_before(day: datetime.date, months: int) -> datetime.date:
    year, month = day.year, day.month - months
    while month < 1:
        year, month = year - 1, month + 12
    return datetime.date(year, month, 1)


def _profile(rng: random.Random, enterprise) -> dict:
    headcount = int(enterprise.workforce_total * rng.uniform(0.9, 1.0))
    return {
        "headcount": headcount,
        "women": rng.uniform(0.2, 0.55),
        "defect": rng.uniform(4, 9),
        "accidents": rng.uniform(2, 6),
        "turnover": rng.uniform(3, 7),
        "absent": rng.uniform(4, 9),
        "overtime": rng.uniform(18, 40),
        "prod": rng.uniform(0.3, 0.6),
        "energy": rng.uniform(1.0, 2.2),
        "waste": rng.uniform(0.03, 0.09),
        "suggestions": rng.uniform(0, 1.5),
        "supervisor_women": rng.uniform(0.02, 0.12),
    }


def _month_values(rng, profile: dict, step: int, slipping: bool, tracks_energy: bool) -> dict:
    drift = SLIPPING if slipping else IMPROVING

    def level(name):
        return profile[name] * max(0.2, 1 + drift.get(name, 0) * step) * rng.uniform(0.95, 1.05)

    head = profile["headcount"]
    women = round(head * profile["women"])
    hours = head * 208
    checked = rng.randrange(8000, 20000, 100)
    output = round(level("prod") * hours)
    supervisors = max(4, round(head * 0.05))
    supervisor_women = min(supervisors, round(supervisors * (profile["supervisor_women"] + 0.03 * step)))
    managers = max(3, round(head * 0.02))
    scheduled = head * 26
    values = {
        "units_checked": checked,
        "defective_units": round(checked * level("defect") / 100),
        "lost_time_accidents": round(level("accidents") * hours / 200_000),
        "hours_worked": hours,
        # who was on the payroll on the first and on the last day: a few join or leave in between
        "headcount_start_women": women,
        "headcount_start_men": head - women,
        "headcount_end_women": max(1, women + rng.randint(-3, 3)),
        "headcount_end_men": max(1, head - women + rng.randint(-5, 5)),
        "leavers_women": round(women * level("turnover") / 100),
        "leavers_men": round((head - women) * level("turnover") / 100),
        "days_absent": round(scheduled * level("absent") / 100),
        "scheduled_workdays": scheduled,
        "overtime_hours": round(head * level("overtime")),
        "output_units": output,
        "energy_kwh": round(profile["energy"] * (1 - 0.05 * step) * output) if tracks_energy else rules.NOT_TRACKED,
        "waste_kg": round(profile["waste"] * (1 - 0.08 * step) * output),
        "suggestions": round(head * (profile["suggestions"] + 1.2 * step * (0 if slipping else 1)) / 100),
        "workers_women": women - min(women, supervisor_women),
        "workers_men": head - women - (supervisors - supervisor_women) - managers,
        "supervisors_women": supervisor_women,
        "supervisors_men": supervisors - supervisor_women,
        "managers": managers,
    }
    return {code: value if value is rules.NOT_TRACKED else Decimal(value) for code, value in values.items()}


def _plan(enterprise) -> list[tuple[str, datetime.date]]:
    start = enterprise.baseline_done_on or (
        enterprise.batch.starts_on if enterprise.batch and enterprise.batch.starts_on else datetime.date(2018, 9, 15)
    )
    plan = [(RoundKind.BASIC_BASELINE, start)]
    if enterprise.stage in LEVEL1_DONE:
        plan.append(
            (RoundKind.COMPREHENSIVE_BASELINE, enterprise.level1_completed_on or start + datetime.timedelta(116))
        )
    plan.append((RoundKind.FOLLOW_UP, start + datetime.timedelta(days=300)))
    if enterprise.stage == Stage.LEVEL2_COMPLETED:
        plan.append((RoundKind.IMPACT, start + datetime.timedelta(days=540)))
    return plan


def seed(ctx):
    by = ctx.users.get("consultant") or ctx.users["officer"]
    practices = list(Indicator.objects.filter(kind=Kind.PRACTICE, active=True).order_by("module", "position"))
    enterprises = Enterprise.objects.filter(stage__in=FROM_LEVEL1).select_related("batch").order_by("pk")
    if ctx.made.get("path_enterprises") is not None:
        # Only the enterprises made one by one; a national-scale demo's others get theirs in bulk (demo_scale).
        enterprises = enterprises.filter(pk__in=[e.pk for e in ctx.made["path_enterprises"]])
    made = 0
    for index, enterprise in enumerate(enterprises):
        if Round.objects.filter(enterprise=enterprise).exists():
            continue
        rng = random.Random(f"baseline-demo-{enterprise.registration_key}")
        profile = _profile(rng, enterprise)
        slipping = index % 4 == 3
        tracks_energy = index % 5 != 2
        in_place = {p.pk for p in practices if rng.random() < 0.3}
        for step, (kind, held_on) in enumerate(_plan(enterprise)):
            round_ = services.create_round(
                enterprise, kind=kind, held_on=held_on, first_month=_months_before(held_on, 3), months=3, by=by
            )
            rows = [
                (month, _month_values(rng, profile, step, slipping, tracks_energy)) for month in round_.month_list()
            ]
            services.save_rows(round_, rows, by=by, confirmed=True)
            if step:
                adopt = 0.15 if slipping else 0.45
                in_place |= {p.pk for p in practices if rng.random() < adopt}
                if slipping and in_place:
                    in_place.discard(sorted(in_place)[0])  # a practice dropped
            services.save_practices(round_, {p.pk: p.pk in in_place for p in practices}, by=by)
        made += 1
    ctx.made["baseline_enterprises"] = made
