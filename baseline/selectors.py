"""Reads shared by the baseline pages, scoped to the user, with a bounded number of queries.

Programme aggregates are computed in the database: counts with conditional Count, the median
with window functions (ROW_NUMBER and COUNT over a partition, keeping the one or two middle rows),
which SQLite and PostgreSQL both run. Groups of fewer than rules.MIN_GROUP enterprises are
suppressed before anything leaves the database for the medians, and again when shown.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Max, Q, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext_lazy as _

from enterprises.access import visible_enterprises
from enterprises.models import Call, Level1Batch, SubSector

from . import rules
from .models import BASELINE_KINDS, Change, Indicator, Kind, MonthlyValue, Result, Round, Sex

GROUPINGS = {
    "all": (None, _("All enterprises")),
    "call": ("enterprise__call", _("Call")),
    "batch": ("enterprise__batch", _("Level 1 batch")),
    "sub_sector": ("enterprise__sub_sector", _("Sub-sector")),
}


def enterprises_for(user):
    """The enterprises the user may see, with how many rounds each has and the latest one's date."""
    return (
        visible_enterprises(user)
        .select_related("call", "batch")
        .annotate(round_count=Count("measurement_rounds"), last_round=Max("measurement_rounds__held_on"))
        .order_by("legal_name", "pk")
    )


def indicators():
    return Indicator.objects.select_related("current_version").order_by("kind", "module", "position", "code")


# ---------------------------------------------------------------- programme aggregates
@dataclass
class Aggregate:
    indicator: Indicator
    sex: str
    group: object
    group_label: str
    enterprises: int
    improving: int | None = None
    judged: int = 0
    median_change: Decimal | None = None

    @property
    def suppressed(self) -> bool:
        return rules.suppressed(self.enterprises)

    @property
    def improving_pct(self):
        if self.suppressed or not self.judged:
            return None
        return rules.share(self.improving, self.judged)

    @property
    def sex_label(self):
        return Sex(self.sex).label


def _group_labels(grouping: str, keys) -> dict:
    keys = [k for k in keys if k is not None]
    if grouping == "call":
        return dict(Call.objects.filter(pk__in=keys).values_list("pk", "title"))
    if grouping == "batch":
        return {
            b.pk: f"{b.name} · {b.call.title}" for b in Level1Batch.objects.filter(pk__in=keys).select_related("call")
        }
    if grouping == "sub_sector":
        return {k: str(SubSector(k).label) if k in SubSector.values else k for k in keys}
    return {}


def median_rows(queryset, keys: list[str]):
    """The one or two middle changes of every group of `keys` with at least MIN_GROUP rows: one query."""
    partition = [F(key) for key in keys]
    return (
        queryset.annotate(
            row=Window(RowNumber(), partition_by=partition, order_by=[F("change").asc(), F("pk").asc()]),
            size=Window(Count("pk"), partition_by=partition),
        )
        .filter(size__gte=rules.MIN_GROUP)
        .filter(Q(row=(F("size") + 1) / 2) | Q(row=(F("size") + 2) / 2))
        .values(*keys, "change")
    )


def programme_results(grouping: str = "all", changes=None) -> list[Aggregate]:
    """Per indicator, sex and group: enterprises, % improving and median change (a fixed number of queries)."""
    group_field, _label = GROUPINGS.get(grouping, GROUPINGS["all"])
    changes = Change.objects.filter(indicator__active=True) if changes is None else changes
    keys = ["indicator", "sex"] + ([group_field] if group_field else [])
    counts = changes.values(*keys).annotate(
        n=Count("pk"),
        improving=Count("pk", filter=Q(improved=True)),
        judged=Count("pk", filter=Q(improved__isnull=False)),
    )
    middles: dict[tuple, list[Decimal]] = {}
    for row in median_rows(changes, keys):
        middles.setdefault(tuple(row[key] for key in keys), []).append(row["change"])
    rows = list(counts.order_by(*keys))
    by_pk = {i.pk: i for i in indicators()}
    labels = _group_labels(grouping, {row[group_field] for row in rows}) if group_field else {}
    aggregates = []
    for row in rows:
        key = tuple(row[k] for k in keys)
        group = row[group_field] if group_field else None
        aggregate = Aggregate(
            indicator=by_pk[row["indicator"]],
            sex=row["sex"],
            group=group,
            group_label=labels.get(group, str(_("No batch")) if group is None else str(group))
            if group_field
            else str(_("All enterprises")),
            enterprises=row["n"],
            improving=row["improving"],
            judged=row["judged"],
        )
        if not aggregate.suppressed and key in middles:
            aggregate.median_change = rules.median(middles[key])
        aggregates.append(aggregate)
    order = {i.pk: n for n, i in enumerate(by_pk.values())}
    sex_order = {s: n for n, s in enumerate(rules.SEXES)}
    aggregates.sort(key=lambda a: (order[a.indicator.pk], a.group_label, sex_order.get(a.sex, 9)))
    return aggregates


@dataclass
class IndicatorBlock:
    indicator: Indicator
    rows: list = field(default_factory=list)


def programme_table(aggregates: list[Aggregate]) -> list[IndicatorBlock]:
    blocks: dict[int, IndicatorBlock] = {}
    for aggregate in aggregates:
        blocks.setdefault(aggregate.indicator.pk, IndicatorBlock(aggregate.indicator)).rows.append(aggregate)
    return list(blocks.values())


def headline(aggregates: list[Aggregate]) -> list[Aggregate]:
    """The all-enterprises, all-sexes figures with a direction, for the chart."""
    return [a for a in aggregates if a.sex == rules.ALL and a.judged and not a.suppressed]


def enterprises_with_baseline() -> int:
    return Round.objects.filter(kind__in=BASELINE_KINDS).values("enterprise").distinct().count()


def enterprises_with_change() -> int:
    return Change.objects.values("enterprise").distinct().count()


def programme_counts() -> dict:
    return {
        "enterprises_with_baseline": enterprises_with_baseline(),
        "enterprises_with_change": enterprises_with_change(),
    }


# ---------------------------------------------------------------- one enterprise
@dataclass
class Row:
    indicator: Indicator
    sex: str
    cells: list
    change: Change | None = None

    @property
    def sex_label(self):
        return Sex(self.sex).label


def enterprise_results(enterprise) -> dict:
    """Each indicator per round, with its change baseline → latest; five queries."""
    rounds = list(Round.objects.filter(enterprise=enterprise).order_by("held_on", "pk"))
    results = Result.objects.filter(round__enterprise=enterprise).select_related("version")
    by_key = {(r.indicator_id, r.sex, r.round_id): r for r in results}
    changes = {(c.indicator_id, c.sex): c for c in Change.objects.filter(enterprise=enterprise)}
    present = {(indicator_id, sex) for indicator_id, sex, _round in by_key}
    kpis, practices = [], []
    for indicator in indicators():
        for sex in rules.SEXES:
            if (indicator.pk, sex) not in present:
                continue
            cells = [by_key.get((indicator.pk, sex, r.pk)) for r in rounds]
            row = Row(indicator, sex, cells, changes.get((indicator.pk, sex)))
            (kpis if indicator.kind == Kind.KPI else practices).append(row)
    adopted = [
        row for row in practices if row.change and row.change.baseline_value == 0 and row.change.latest_value == 1
    ]
    return {"rounds": rounds, "kpis": kpis, "practices": practices, "adopted": adopted}


def round_grid(round_: Round) -> dict:
    """The round's raw inputs as months × inputs; one query."""
    values = {(v.month, v.code): v for v in MonthlyValue.objects.filter(round=round_)}
    months = round_.month_list()
    rows = []
    for code, spec in rules.INPUTS.items():
        cells = [values.get((month, code)) for month in months]
        if any(cells):
            rows.append({"code": code, "spec": spec, "cells": cells})
    filled = {month: sum(1 for (m, _c) in values if m == month) for month in months}
    return {"months": months, "rows": rows, "filled": filled}
