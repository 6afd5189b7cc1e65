"""Demo measurement rounds, made through the services.

The baselines come with the demo path (prepare_step, called by the path's walk just before the step
that reads them): a basic baseline for every enterprise that reached "baseline done", a comprehensive
one for those that completed Level 1. Then every enterprise accepted into Level 1 (or further) gets
a follow-up, and those that completed Level 2 an impact assessment. Most improve as SCORE
enterprises typically do; every fourth one slips on some KPIs. Each round draws from its own random
generator (seeded by the registration key and the kind of round), so the data does not depend on
what other apps drew, and a round the enterprise already has is left alone: running seed_demo
again adds no rows.
"""

import datetime
import random
import zlib
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


def _story(enterprise) -> dict:
    """What an enterprise's rounds draw from: its own random streams (seeded by its registration
    key, so nothing depends on what other apps drew) and whether it is one that slips."""
    key = enterprise.registration_key
    # From the key, never the primary key: the same --seed gives the same story whatever ids the
    # database hands out.
    number = zlib.crc32(key.encode())
    return {
        "profile": _profile(random.Random(f"baseline-demo-{key}"), enterprise),
        "slipping": number % 4 == 3,
        "tracks_energy": number % 2 == 1,
        "key": key,
    }


def _in_place(practices, story, step: int) -> set:
    """The practices in place at a round's step: some at the baseline, more adopted at each later round."""
    rng = random.Random(f"baseline-practices-{story['key']}")
    in_place = {p.pk for p in practices if rng.random() < 0.3}
    for _step in range(step):
        adopt = 0.15 if story["slipping"] else 0.45
        in_place |= {p.pk for p in practices if rng.random() < adopt}
        if story["slipping"] and in_place:
            in_place.discard(sorted(in_place)[0])  # a practice dropped
    return in_place


def _make_round(enterprise, kind, held_on, step, by, practices=None) -> Round | None:
    """One round with three months of inputs and the practices; none if the enterprise has it already."""
    if Round.objects.filter(enterprise=enterprise, kind=kind).exists():
        return None
    story = _story(enterprise)
    rng = random.Random(f"baseline-demo-{story['key']}-{kind}")
    round_ = services.create_round(
        enterprise, kind=kind, held_on=held_on, first_month=_months_before(held_on, 3), months=3, by=by
    )
    rows = [
        (month, _month_values(rng, story["profile"], step, story["slipping"], story["tracks_energy"]))
        for month in round_.month_list()
    ]
    services.save_rows(round_, rows, by=by, confirmed=True)
    if practices is None:
        practices = list(Indicator.objects.filter(kind=Kind.PRACTICE, active=True).order_by("module", "position"))
    in_place = _in_place(practices, story, step)
    services.save_practices(round_, {p.pk: p.pk in in_place for p in practices}, by=by)
    return round_


def _by(ctx):
    return ctx.users.get("consultant") or ctx.users["officer"]


def prepare_step(enterprise, stage, day: datetime.date, ctx) -> None:
    """The round a step of the demo path reads, held a few days before the step (seed_demo's walk)."""
    if stage == Stage.BASELINE_DONE:
        _make_round(enterprise, RoundKind.BASIC_BASELINE, day - datetime.timedelta(days=2), 0, _by(ctx))
    elif stage == Stage.LEVEL1_COMPLETED:
        _make_round(enterprise, RoundKind.COMPREHENSIVE_BASELINE, day - datetime.timedelta(days=10), 1, _by(ctx))


def seed(ctx):
    """The later rounds: a follow-up for every enterprise from Level 1 on, an impact assessment for
    those that completed Level 2; the baselines came with the path (prepare_step)."""
    by = _by(ctx)
    practices = list(Indicator.objects.filter(kind=Kind.PRACTICE, active=True).order_by("module", "position"))
    enterprises = Enterprise.objects.filter(stage__in=FROM_LEVEL1).select_related("batch").order_by("pk")
    if ctx.made.get("path_enterprises") is not None:
        # Only the enterprises made one by one; a national-scale demo's others get theirs in bulk (demo_scale).
        enterprises = enterprises.filter(pk__in=[e.pk for e in ctx.made["path_enterprises"]])
    enterprises = list(enterprises)
    made = 0
    for enterprise in enterprises:
        basic = Round.objects.filter(enterprise=enterprise, kind=RoundKind.BASIC_BASELINE).first()
        if basic is None:
            continue
        step = 2 if enterprise.stage in LEVEL1_DONE else 1
        made += bool(
            _make_round(
                enterprise, RoundKind.FOLLOW_UP, basic.held_on + datetime.timedelta(days=300), step, by, practices
            )
        )
        if enterprise.stage == Stage.LEVEL2_COMPLETED:
            _make_round(
                enterprise, RoundKind.IMPACT, basic.held_on + datetime.timedelta(days=545), step + 1, by, practices
            )
    ctx.made["baseline_enterprises"] = made
    _seed_order_books(enterprises[:4], by)


BUYERS = [
    ("Nordic Denim AB", "Denim trousers", 800),
    ("Lindex", "Knitted T-shirts", 150),
    ("Kiabi", "Woven shirts", 420),
]


def _seed_order_books(enterprises, by) -> None:
    """Order books for the coming twelve months (they are about now, unlike the 2018 path): confirmed
    orders near, more in the pipeline further out. An enterprise that has lines is left alone."""
    from django.utils import timezone

    from .models import OrderLine, OrderStatus
    from .orderbook.services import add_months

    this_month = timezone.localdate().replace(day=1)
    for enterprise in enterprises:
        if enterprise.order_lines.exists():
            continue
        rng = random.Random(f"orders-{enterprise.registration_key}")
        lines = []
        for offset in range(12):
            for buyer, product, price in BUYERS[: rng.randint(1, 3)]:
                quantity = rng.randrange(2000, 20000, 500)
                confirmed = rng.random() < max(0.1, 0.95 - offset * 0.12)
                lines.append(
                    OrderLine(
                        enterprise=enterprise,
                        month=add_months(this_month, offset),
                        buyer=buyer,
                        product=product,
                        quantity=quantity,
                        value_pkr=Decimal(quantity * price),
                        status=OrderStatus.CONFIRMED if confirmed else OrderStatus.PIPELINE,
                        entered_by=by,
                    )
                )
        OrderLine.objects.bulk_create(lines)
