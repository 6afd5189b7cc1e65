"""Reads shared by the baseline pages, scoped to the user, with a bounded number of queries.

Programme aggregates are computed in the database: counts with conditional Count, the median
with window functions (ROW_NUMBER and COUNT over a partition, keeping the one or two middle rows),
which SQLite and PostgreSQL both run. Groups of fewer than rules.MIN_GROUP enterprises are
suppressed before anything leaves the database for the medians; which cells a breakdown hides
(the small groups and enough others that subtraction from the total cannot give them back) is
rules.hidden_cells's decision, made in programme_results for every reader.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter
from typing import NamedTuple

from django.db import connections
from django.db.models import Aggregate as SqlAggregate
from django.db.models import Count, Exists, F, FloatField, Max, OuterRef, Q, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext_lazy as _

from enterprises.access import visible_enterprises
from enterprises.models import Call, Enterprise, Level1Batch, SubSector

from . import rules
from .models import BASELINE_KINDS, Change, Indicator, Kind, MonthlyValue, Result, Round, Sex

GROUPINGS = {
    "all": (None, _("All enterprises")),
    "call": ("enterprise__call", _("Call")),
    "batch": ("enterprise__batch", _("Level 1 batch")),
    "sub_sector": ("enterprise__sub_sector", _("Sub-sector")),
}


def enterprises_for(user, *, search: str = ""):
    """The enterprises the user may see, in name order (`search` narrows on name or city); a page
    of them gets its round counts from round_summaries. Only what the list shows is read."""
    enterprises = visible_enterprises(user).only("legal_name", "city", "stage").order_by("legal_name", "pk")
    if search:
        enterprises = enterprises.filter(Q(legal_name__icontains=search) | Q(city__icontains=search))
    return enterprises


def round_summaries(enterprises) -> None:
    """Set round_count and last_round on each of a page of enterprises: one grouped query over that
    page only, not over every enterprise."""
    rows = (
        Round.objects.filter(enterprise__in=[e.pk for e in enterprises])
        .order_by()
        .values("enterprise")
        .annotate(n=Count("pk"), last=Max("held_on"))
    )
    summary = {row["enterprise"]: row for row in rows}
    for enterprise in enterprises:
        row = summary.get(enterprise.pk, {})
        enterprise.round_count, enterprise.last_round = row.get("n", 0), row.get("last")


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
    at_best: int = 0  # already at the best value at the baseline, and still
    median_change: Decimal | None = None  # in the indicator's unit (percentage points for a % KPI)
    median_change_pct: Decimal | None = None  # relative to each enterprise's baseline, in %
    # decided over the whole breakdown by rules.hidden_cells: a small group, or one hidden with it
    suppressed: bool = False

    @property
    def version(self):
        return self.indicator.current_version

    @property
    def improving_pct(self):
        if self.suppressed or not self.judged:
            return None
        return rules.share(self.improving, self.judged)

    @property
    def at_best_pct(self):
        if self.suppressed or not self.judged:
            return None
        return rules.share(self.at_best, self.judged)

    @property
    def not_improving(self) -> int:
        return self.judged - (self.improving or 0) - self.at_best

    @property
    def not_improving_pct(self):
        if self.suppressed or not self.judged:
            return None
        return rules.share(self.not_improving, self.judged)

    @property
    def sex_label(self):
        return Sex(self.sex).label


# A batch breakdown refines the call breakdown, which is published beside it: each batch cell keeps
# its call (enterprises without a batch are one cell per call), so the rule can decide the calls first.
COARSER = {"batch": "enterprise__call"}


def _group_labels(grouping: str, keys) -> dict:
    if grouping == "call":
        return dict(Call.objects.filter(pk__in=[k for k in keys if k is not None]).values_list("pk", "title"))
    if grouping == "batch":
        batches = (
            Level1Batch.objects.filter(pk__in={b for b, _c in keys if b is not None})
            .order_by()
            .values_list("pk", "call_id", "name", "call__title")
        )
        labels = {(pk, call): f"{name} · {title}" for pk, call, name, title in batches}
        calls = dict(Call.objects.filter(pk__in={c for b, c in keys if b is None}).values_list("pk", "title"))
        labels.update({(None, c): f"{_('No batch')} · {calls.get(c, '')}" for b, c in keys if b is None})
        return labels
    if grouping == "sub_sector":
        return {k: str(SubSector(k).label) if k in SubSector.values else k for k in keys if k is not None}
    return {}


def median_rows(queryset, keys: list[str], value: str = "change"):
    """The one or two middle values of `value` in every group of `keys` with at least MIN_GROUP rows
    that have one: one query."""
    partition = [F(key) for key in keys]
    return (
        queryset.filter(**{f"{value}__isnull": False})
        .annotate(
            row=Window(RowNumber(), partition_by=partition, order_by=[F(value).asc(), F("pk").asc()]),
            size=Window(Count("pk"), partition_by=partition),
        )
        .filter(size__gte=rules.MIN_GROUP)
        .filter(Q(row=(F("size") + 1) / 2) | Q(row=(F("size") + 2) / 2))
        .values(*keys, value)
    )


def _medians(changes, keys: list[str], value: str) -> dict[tuple, Decimal]:
    middles: dict[tuple, list[Decimal]] = {}
    for row in median_rows(changes.order_by(), keys, value):
        middles.setdefault(tuple(row[key] for key in keys), []).append(row[value])
    return {key: rules.median(values) for key, values in middles.items()}


class Median(SqlAggregate):
    """PostgreSQL's exact median (the mean of the two middle values for an even count), NULLs left out."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _as_median(value) -> Decimal | None:
    # percentile_cont answers in double precision; the median of values with two decimals has at most three.
    return None if value is None else Decimal(repr(value)).quantize(Decimal("0.001"))


def uses_percentile_cont(queryset) -> bool:
    return connections[queryset.db].vendor == "postgresql"


class Cell(NamedTuple):
    """One grouped row of a breakdown, before it is an Aggregate: a breakdown of batches has
    thousands, of which a page shows a few, and the confidentiality rule needs only their counts."""

    row: dict  # the grouped counts (and medians, when read with them)
    value: object  # its group (a call's id, a batch's, a sub-sector), None in "all"
    parent: object  # its coarser group (a batch's call), or None
    key: tuple  # its key in the grouped rows: the medians are found by it
    group: object  # its group's label key
    label: str


def _hidden(cells: list[Cell]) -> frozenset[int]:
    """The positions of the cells that each breakdown (one indicator and sex) hides."""
    breakdowns: dict[tuple, list[int]] = {}
    for i, cell in enumerate(cells):
        breakdowns.setdefault((cell.row["indicator"], cell.row["sex"]), []).append(i)
    hidden: set[int] = set()
    for members in breakdowns.values():
        parents = [cells[i].parent for i in members]
        if all(parent is None for parent in parents):
            parents = None
        sizes = [cells[i].row["n"] for i in members]
        keys = [cells[i].value for i in members]
        hidden.update(members[n] for n in rules.hidden_cells(sizes, parents, keys=keys))
    return frozenset(hidden)


def _breakdown_keys(grouping: str) -> tuple[str | None, str | None, list[str]]:
    group_field, _label = GROUPINGS.get(grouping, GROUPINGS["all"])
    coarse_field = COARSER.get(grouping)
    return group_field, coarse_field, ["indicator", "sex"] + [f for f in (group_field, coarse_field) if f]


def _counted(changes, keys: list[str]):
    return (
        changes.order_by()
        .values(*keys)
        .annotate(
            n=Count("pk"),
            improving=Count("pk", filter=Q(improved=True)),
            judged=Count("pk", filter=Q(improved__isnull=False)),
            at_best=Count("pk", filter=Q(at_best=True, improved__isnull=False)),
        )
    )


def _with_medians(rows: list[dict], keys: list[str]) -> tuple[dict, dict]:
    """The medians of rows read with percentile_cont beside their counts (a group under MIN_GROUP values has none)."""
    medians = {tuple(r[k] for k in keys): _as_median(r["median"]) for r in rows if r["n_change"] >= rules.MIN_GROUP}
    relative = {
        tuple(r[k] for k in keys): _as_median(r["median_pct"]) for r in rows if r["n_change_pct"] >= rules.MIN_GROUP
    }
    return medians, relative


def _median_columns(counts):
    return counts.annotate(
        n_change=Count("change"),
        n_change_pct=Count("change_pct"),
        median=Median("change"),
        median_pct=Median("change_pct"),
    )


def _group_filter(grouping: str, groups) -> Q:
    """The changes of the enterprises in `groups` (label keys: a batch's is (batch, call), None for no batch)."""
    group_field, coarse_field, _keys = _breakdown_keys(grouping)
    if coarse_field:
        wanted = Q(pk__in=[])
        batches = [batch for batch, _call in groups if batch is not None]
        if batches:
            wanted |= Q(**{f"{group_field}__in": batches})
        calls = [call for batch, call in groups if batch is None]
        if calls:
            wanted |= Q(**{f"{group_field}__isnull": True, f"{coarse_field}__in": calls})
        return wanted
    return Q(**{f"{group_field}__in": list(groups)})


@dataclass
class Breakdown:
    """Every cell of one breakdown with its counts and the confidentiality decided over all of them;
    the medians are added (add_medians) for the cells that are shown. A cell becomes an Aggregate
    when it is asked for (aggregates()), once."""

    grouping: str
    changes: object
    cells: list[Cell]  # in the order the table shows them
    hidden: frozenset[int]  # the positions in `cells` of those the confidentiality rule hides
    groups: list  # the groups' label keys, in the order the table shows them
    rows: list  # the grouped counts the cells were made from
    indicators: dict  # by pk
    _built: dict = field(default_factory=dict, repr=False)
    _medians: tuple = ({}, {})

    def aggregates(self, groups=None) -> list[Aggregate]:
        wanted = None if groups is None else set(groups)
        return [self._aggregate(i) for i, cell in enumerate(self.cells) if wanted is None or cell.group in wanted]

    def _aggregate(self, i: int) -> Aggregate:
        aggregate = self._built.get(i)
        if aggregate is None:
            cell = self.cells[i]
            row = cell.row
            aggregate = Aggregate(
                indicator=self.indicators[row["indicator"]],
                sex=row["sex"],
                group=cell.value,
                group_label=cell.label,
                enterprises=row["n"],
                improving=row["improving"],
                judged=row["judged"],
                at_best=row["at_best"],
                suppressed=i in self.hidden,
            )
            self._built[i] = aggregate
            self._add_median(aggregate, cell)
        return aggregate

    def _add_median(self, aggregate: Aggregate, cell: Cell) -> None:
        if not aggregate.suppressed:
            medians, relative = self._medians
            aggregate.median_change = medians.get(cell.key)
            aggregate.median_change_pct = relative.get(cell.key)

    def add_medians(self, groups=None) -> None:
        """The medians of the cells of `groups` (every group when None): one query."""
        _group_field, _coarse, keys = _breakdown_keys(self.grouping)
        changes = self.changes
        if groups is not None:
            if not groups:
                return
            changes = changes.filter(_group_filter(self.grouping, groups))
        if uses_percentile_cont(changes):
            medians, relative = _with_medians(list(_median_columns(_counted(changes, keys))), keys)
        else:
            medians, relative = _medians(changes, keys, "change"), _medians(changes, keys, "change_pct")
        self.set_medians(medians, relative)

    def set_medians(self, medians: dict, relative: dict) -> None:
        self._medians = (medians, relative)
        for i, aggregate in self._built.items():
            self._add_median(aggregate, self.cells[i])

    def overall(self) -> list[Aggregate]:
        """The all-enterprises cells, without their medians, summed from this breakdown's counts (each
        change is in exactly one group): no query."""
        if self.grouping == "all":
            return self.aggregates()
        counted = ("n", "improving", "judged", "at_best")
        totals: dict[tuple, dict] = {}
        for row in self.rows:
            total = totals.setdefault(
                (row["indicator"], row["sex"]),
                {"indicator": row["indicator"], "sex": row["sex"], **dict.fromkeys(counted, 0)},
            )
            for name in counted:
                total[name] += row[name]
        return _cells("all", self.changes, list(totals.values()), self.indicators).aggregates()


def _cells(grouping: str, changes, rows: list[dict], by_pk: dict | None = None) -> Breakdown:
    group_field, coarse_field, keys = _breakdown_keys(grouping)
    if not group_field:
        groups = [None] * len(rows)
    elif coarse_field:
        groups = [(row[group_field], row[coarse_field]) for row in rows]
    else:
        groups = [row[group_field] for row in rows]
    by_pk = {i.pk: i for i in indicators()} if by_pk is None else by_pk
    labels = _group_labels(grouping, set(groups)) if group_field else {}
    everyone = str(_("All enterprises"))
    key_of = itemgetter(*keys)  # two keys or more: a tuple
    cells = [
        Cell(
            row,
            row[group_field] if group_field else None,
            row[coarse_field] if coarse_field else None,
            key_of(row),
            group,
            labels.get(group, str(row[group_field])) if group_field else everyone,
        )
        for row, group in zip(rows, groups, strict=True)
    ]
    order = {pk: n for n, pk in enumerate(by_pk)}
    sex_order = {s: n for n, s in enumerate(rules.SEXES)}
    cells.sort(key=lambda cell: (order[cell.row["indicator"]], cell.label, sex_order.get(cell.row["sex"], 9)))
    group_labels = {cell.group: cell.label for cell in cells}
    groups = sorted(group_labels, key=lambda key: (group_labels[key], repr(key)))
    return Breakdown(grouping, changes, cells, _hidden(cells), groups, rows, by_pk)


def breakdown(grouping: str = "all", changes=None) -> Breakdown:
    """The cells of a breakdown with their counts and confidentiality, without the medians: one
    grouped query (plus the indicators and the groups' names). A page that shows only some of the
    groups (programme_page) adds the medians of those alone."""
    _group_field, _coarse, keys = _breakdown_keys(grouping)
    changes = Change.objects.filter(indicator__active=True) if changes is None else changes
    return _cells(grouping, changes, list(_counted(changes, keys).order_by(*keys)))


def programme_breakdown(grouping: str = "all", changes=None, *, medians: bool = True) -> Breakdown:
    """programme_results as a Breakdown, whose overall() gives the all-enterprises figures beside it."""
    _group_field, _coarse, keys = _breakdown_keys(grouping)
    changes = Change.objects.filter(indicator__active=True) if changes is None else changes
    if not medians:
        return breakdown(grouping, changes)
    counts = _counted(changes, keys)
    if uses_percentile_cont(changes):
        # One query: the medians beside the counts.
        rows = list(_median_columns(counts).order_by(*keys))
        found = _cells(grouping, changes, rows)
        found.set_medians(*_with_medians(rows, keys))
        return found
    found = _cells(grouping, changes, list(counts.order_by(*keys)))
    found.add_medians()
    return found


def programme_results(grouping: str = "all", changes=None, *, medians: bool = True) -> list[Aggregate]:
    """Per indicator, sex and group: enterprises, % improving, how many were already at the best
    value, and the median change, in the indicator's unit and relative to the baseline (%); a
    fixed number of queries. `medians=False` leaves the medians out (None), for a reader of the
    shares alone (the targets, the chart).

    The one function behind every figure of the programme's results: the results page, the
    programme report and its workbook all read them here, and the cells hidden for confidentiality
    are decided here, once, for all of them. The relative median is over the enterprises whose
    baseline is not too small to divide by (rules.min_base), when they are MIN_GROUP or more."""
    return programme_breakdown(grouping, changes, medians=medians).aggregates()


@dataclass
class ProgrammePage:
    """One page of a breakdown's groups (a programme has hundreds of batches): the cells of those
    groups with their medians, the confidentiality decided over every group."""

    aggregates: list[Aggregate]
    page: object  # django.core.paginator.Page of the groups' label keys
    breakdown: Breakdown


def programme_page(grouping: str, page_number, per_page: int, changes=None) -> ProgrammePage:
    """The groups of one page, in the table's order (by name), with their cells: the counts of every
    group (for the confidentiality rule) in one query, the medians of the page's groups in another."""
    from django.core.paginator import Paginator

    found = breakdown(grouping, changes)
    page = Paginator(found.groups, per_page).get_page(page_number)
    shown = list(page.object_list)
    found.add_medians(shown)
    return ProgrammePage(found.aggregates(shown), page, found)


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
    # EXISTS per enterprise (an index probe each) instead of a DISTINCT over every change
    return Enterprise.objects.filter(Exists(Change.objects.filter(enterprise=OuterRef("pk")))).count()


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
    changes = {
        (c.indicator_id, c.sex): c
        for c in Change.objects.filter(enterprise=enterprise).select_related(
            "version", "baseline_round", "latest_round"
        )
    }
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


def tracked_inputs(enterprise) -> set[str]:
    """The base inputs this enterprise records: any with a number in one of its rounds (by sex or in
    total). The monthly form shows these first and the rest behind "more"; an enterprise with
    nothing recorded yet sees every input."""
    codes = (
        MonthlyValue.objects.filter(round__enterprise=enterprise, value__isnull=False, not_tracked=False)
        .values_list("code", flat=True)
        .distinct()
    )
    tracked = set()
    for code in codes:
        for suffix in ("_women", "_men"):
            if code.endswith(suffix) and code.removesuffix(suffix) in rules.BASE_INPUTS:
                code = code.removesuffix(suffix)
        tracked.add(code)
    return tracked
