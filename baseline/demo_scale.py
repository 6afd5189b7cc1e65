"""Measurement rounds in bulk for a national-scale demo (`seed_demo --enterprises 5000`).

The same rounds, monthly values and practices as `baseline.demo` draws for each enterprise from
Level 1 on, written with `bulk_create`: the KPI results from each round's monthly means (taken in
one grouped query, as `services.round_means` takes them for one round) by the indicators' current
formulas, and the baseline → latest changes by `services.changes_from_results`, the function that
`refresh_changes` uses. About 180 monthly values per enterprise.

Idempotent: only enterprises without any round get rounds.
"""

import datetime
import random
from decimal import Decimal

from django.db.models import Avg, Count

from enterprises.models import Enterprise, Stage

from . import rules
from .demo import FROM_LEVEL1, LEVEL1_DONE, _month_values, _months_before, _profile
from .models import Change, Indicator, Kind, MonthlyValue, Result, Round, RoundKind
from .services import changes_from_results

BATCH_SIZE = 5000


def _plan(enterprise) -> list[tuple[str, datetime.date]]:
    """The rounds of an enterprise made in bulk, by its stage: the enterprises made one by one get
    theirs from the path's own steps (baseline.demo.prepare_step), these have no steps to follow."""
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
    enterprises = list(
        Enterprise.objects.filter(stage__in=FROM_LEVEL1, measurement_rounds__isnull=True)
        .select_related("batch")
        .order_by("pk")
    )
    if not enterprises:
        return
    practices = list(
        Indicator.objects.filter(kind=Kind.PRACTICE, active=True)
        .select_related("current_version")
        .order_by("module", "position")
    )
    kpis = list(Indicator.objects.filter(kind=Kind.KPI, active=True).select_related("current_version"))
    rounds, values, answers = [], [], []  # answers: (round, {practice pk: in place})
    for index, enterprise in enumerate(enterprises):
        rng = random.Random(f"baseline-demo-{enterprise.registration_key}")
        profile = _profile(rng, enterprise)
        slipping = index % 4 == 3
        tracks_energy = index % 5 != 2
        in_place = {p.pk for p in practices if rng.random() < 0.3}
        follow_ups = 0
        for step, (kind, held_on) in enumerate(_plan(enterprise)):
            follow_ups += kind == RoundKind.FOLLOW_UP
            round_ = Round(
                enterprise=enterprise,
                kind=kind,
                number=follow_ups if kind == RoundKind.FOLLOW_UP else 1,
                held_on=held_on,
                first_month=_months_before(held_on, 3),
                months=3,
                created_by=by,
            )
            rounds.append(round_)
            for month in round_.month_list():
                for code, value in _month_values(rng, profile, step, slipping, tracks_energy).items():
                    tracked = isinstance(value, Decimal)
                    values.append(
                        MonthlyValue(
                            round=round_,
                            month=month,
                            code=code,
                            value=value if tracked else None,
                            not_tracked=not tracked,
                            entered_by=by,
                        )
                    )
            if step:
                in_place |= {p.pk for p in practices if rng.random() < (0.15 if slipping else 0.45)}
                if slipping and in_place:
                    in_place.discard(sorted(in_place)[0])
            answers.append((round_, set(in_place)))
    Round.objects.bulk_create(rounds, batch_size=BATCH_SIZE)
    MonthlyValue.objects.bulk_create(values, batch_size=BATCH_SIZE)

    # KPI results from each round's monthly means: one grouped query for all the new rounds.
    means: dict[int, dict] = {}
    rows = (
        MonthlyValue.objects.filter(round_id__gte=min(r.pk for r in rounds))
        .order_by()
        .values("round_id", "code")
        .annotate(mean=Avg("value"), n=Count("value"))
    )
    for row in rows:
        means.setdefault(row["round_id"], {})[row["code"]] = (
            Decimal(str(row["mean"])) if row["n"] else rules.NOT_TRACKED
        )
    results = []
    for round_, in_place in answers:
        for indicator in kpis:
            version = indicator.current_version
            for sex in rules.sexes_for(version.formula):
                value = rules.compute(version.formula, means.get(round_.pk, {}), sex)
                if value is not None:
                    results.append(Result(round=round_, indicator=indicator, version=version, sex=sex, value=value))
        for practice in practices:
            results.append(
                Result(
                    round=round_,
                    indicator=practice,
                    version=practice.current_version,
                    value=Decimal(1 if practice.pk in in_place else 0),
                )
            )
    Result.objects.bulk_create(results, batch_size=BATCH_SIZE)

    by_enterprise: dict[int, list[Result]] = {}
    for result in results:
        by_enterprise.setdefault(result.round.enterprise_id, []).append(result)
    changes = []
    for enterprise in enterprises:
        series = sorted(by_enterprise.get(enterprise.pk, []), key=lambda r: (r.round.held_on, r.round.pk))
        changes.extend(changes_from_results(enterprise, series))
    Change.objects.bulk_create(changes, batch_size=BATCH_SIZE)
    ctx.made["baseline_enterprises"] = ctx.made.get("baseline_enterprises", 0) + len(enterprises)
    ctx.stdout.write(
        f"National scale: {len(rounds)} rounds, {len(values)} monthly values, {len(results)} results "
        f"for {len(enterprises)} enterprises ({sum(e.stage in LEVEL1_DONE for e in enterprises)} past Level 1)."
    )
