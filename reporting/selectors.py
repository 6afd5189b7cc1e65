"""The data each report gathers: reads only, a bounded number of queries per report.

The lifecycle data comes from enterprises/; indicators from baseline/; visits, EIT, suggestions and
5S photos from training/. A section with nothing recorded returns None, and the report says
"No data recorded yet".
"""

import base64
import mimetypes
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.storage import default_storage
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from baseline import formatting, rules
from baseline import selectors as baseline_selectors
from baseline.models import BASELINE_KINDS, Change, Kind
from enterprises.models import (
    IN_PROGRAMME_STAGES,
    Call,
    CriterionResult,
    Enterprise,
    ExpressionOfInterest,
    Province,
    SentLetter,
    Stage,
    SubSector,
    Verdict,
)
from enterprises.path import selectors as path_selectors
from enterprises.screening import selectors as screening_selectors
from enterprises.screening.rules import CRITERIA, criterion_label
from score_portal.memo import once_per_page
from training.models import (
    ActionStatus,
    EitMeeting,
    EitMember,
    Participant,
    PhotoPair,
    PlanItem,
    StaffLevel,
    Suggestion,
    SuggestionDecision,
    TrainingGroup,
    Visit,
    VisitStatus,
)
from training.models import Sex as PersonSex

from . import charts
from . import rules as target_rules
from .models import Target, TargetMetric


# ---------------------------------------------------------------- one enterprise: lifecycle
def enterprise_for_report(enterprise_id: int) -> Enterprise:
    return Enterprise.objects.select_related(
        "call", "batch", "expression_of_interest__current_screening__requested_by"
    ).get(pk=enterprise_id)


def profile(enterprise: Enterprise) -> dict:
    """The enterprise as its expression of interest describes it, with its place on the path."""
    eoi = enterprise.expression_of_interest
    return {
        "enterprise": enterprise,
        "eoi": eoi,
        "call": enterprise.call,
        "batch": enterprise.batch,
        "women_share": round(eoi.workforce_women * 100 / eoi.workforce_total, 1) if eoi.workforce_total else None,
        "permanent_share": eoi.permanent_share,
    }


def screening_result(enterprise: Enterprise) -> dict:
    """The current screening of the EOI the enterprise follows: outcome, thresholds, criteria."""
    eoi = enterprise.expression_of_interest
    screening = eoi.current_screening
    criteria = screening_selectors.current_criteria(eoi)
    verdicts = Counter(c.verdict for c in criteria)
    return {
        "eoi": eoi,
        "screening": screening,
        "thresholds": screening_selectors.describe_thresholds(screening.thresholds if screening else None),
        "criteria": criteria,
        "met": verdicts.get(Verdict.MET, 0),
        "conditional": verdicts.get(Verdict.CONDITIONAL, 0),
        "not_met": verdicts.get(Verdict.NOT_MET, 0),
    }


def path_events(enterprise: Enterprise) -> list:
    return path_selectors.timeline(enterprise)


# ---------------------------------------------------------------- one enterprise: indicators (baseline app)
def _first_baseline_index(rounds) -> int | None:
    return next((i for i, r in enumerate(rounds) if r.kind in BASELINE_KINDS), None)


def baseline_indicators(enterprise: Enterprise) -> dict | None:
    """KPIs and practices as measured in the enterprise's first baseline round; None without one."""
    data = baseline_selectors.enterprise_results(enterprise)
    index = _first_baseline_index(data["rounds"])
    if index is None:
        return None
    round_ = data["rounds"][index]
    kpis = [(row, row.cells[index]) for row in data["kpis"] if row.cells[index] is not None]
    practices = [(row, row.cells[index]) for row in data["practices"] if row.cells[index] is not None]
    if not kpis and not practices:
        return None
    in_place = sum(1 for _row, cell in practices if cell.value == 1)
    return {"round": round_, "kpis": kpis, "practices": practices, "practices_in_place": in_place}


def indicator_progress(enterprise: Enterprise) -> dict | None:
    """KPIs baseline → latest (with a chart per KPI) and the practices adopted since the baseline."""
    data = baseline_selectors.enterprise_results(enterprise)
    kpis = [row for row in data["kpis"] if row.change is not None]
    practices = [row for row in data["practices"] if row.change is not None]
    if not kpis and not practices:
        return None
    headline = [row for row in kpis if row.sex == rules.ALL]
    return {
        "rounds": data["rounds"],
        "kpis": kpis,
        "improved": sum(1 for row in headline if row.change.improved),
        "judged": sum(1 for row in headline if row.change.improved is not None),
        # one small chart per KPI, each on its own scale and with its unit (units differ)
        # (the context figures without a direction, the workforce, last)
        "cards": [
            charts.kpi_card(row, data["rounds"])
            for row in sorted(headline, key=lambda row: row.change.version.direction == rules.NEUTRAL)
        ],
        "practices": practices,
        "adopted": data["adopted"],
        "in_place_latest": sum(1 for row in practices if row.change.latest_value == 1),
    }


# ---------------------------------------------------------------- one enterprise: training (training app)
def _attendance(participants) -> dict | None:
    """Participants (one per person and workshop) by sex and role, and the sessions they attended; one
    query (the participants grouped by sex and role, each group's session marks counted beside them)."""
    rows = list(
        participants.values("sex", "level")
        .annotate(
            n=Count("pk", distinct=True),
            recorded=Count("attendance"),
            attended=Count("attendance", filter=Q(attendance__present=True)),
        )
        .order_by()
    )
    if not rows:
        return None
    marks = {
        "recorded": sum(row["recorded"] for row in rows),
        "attended": sum(row["attended"] for row in rows),
        "attended_women": sum(row["attended"] for row in rows if row["sex"] == PersonSex.FEMALE),
        "attended_men": sum(row["attended"] for row in rows if row["sex"] == PersonSex.MALE),
    }
    return {"people": _by_sex_and_level(rows), **marks}


def training_attendance(enterprise: Enterprise) -> dict | None:
    """Training attended by the enterprise's people, by sex and role (the training app's participants)."""
    return _attendance(Participant.objects.filter(enterprise=enterprise))


def visits(enterprise: Enterprise) -> dict | None:
    """Submitted consultancy visits with their agreed actions; two queries."""
    items = list(
        Visit.objects.filter(enterprise=enterprise, status=VisitStatus.SUBMITTED)
        .select_related("consultant", "module")
        .prefetch_related("actions")
        .order_by("date", "start_time", "pk")
    )
    if not items:
        return None
    actions = [action for visit in items for action in visit.actions.all()]
    statuses = Counter(action.status for action in actions)
    return {
        "visits": items,
        "count": len(items),
        "actions": len(actions),
        "actions_done": statuses.get(ActionStatus.DONE, 0),
        "actions_open": statuses.get(ActionStatus.OPEN, 0) + statuses.get(ActionStatus.IN_PROGRESS, 0),
        "actions_overdue": sum(1 for action in actions if action.is_overdue),
    }


def _by_sex_and_level(rows) -> dict:
    table = {(sex, level): 0 for sex in PersonSex.values for level in StaffLevel.values}
    for row in rows:
        table[(row["sex"], row["level"])] = row["n"]
    return {
        "rows": [
            {
                "level": str(StaffLevel(level).label),
                "women": table[(PersonSex.FEMALE, level)],
                "men": table[(PersonSex.MALE, level)],
                "total": table[(PersonSex.FEMALE, level)] + table[(PersonSex.MALE, level)],
            }
            for level in StaffLevel.values
        ],
        "women": sum(v for (sex, _l), v in table.items() if sex == PersonSex.FEMALE),
        "men": sum(v for (sex, _l), v in table.items() if sex == PersonSex.MALE),
        "total": sum(table.values()),
    }


def eit(enterprise: Enterprise) -> dict | None:
    """The Enterprise Improvement Team (members by sex and level), its meetings and its plan; four queries."""
    members = list(
        EitMember.objects.filter(enterprise=enterprise, active=True).values("sex", "level").annotate(n=Count("pk"))
    )
    meetings = EitMeeting.objects.filter(enterprise=enterprise).aggregate(n=Count("pk"), last=Max("held_on"))
    plan = dict(PlanItem.objects.filter(enterprise=enterprise).values_list("status").annotate(n=Count("pk")).order_by())
    if not members and not meetings["n"] and not plan:
        return None
    return {
        "members": _by_sex_and_level(members),
        "meetings": meetings["n"],
        "last_meeting": meetings["last"],
        "plan_total": sum(plan.values()),
        "plan_done": plan.get(ActionStatus.DONE, 0),
        "plan_open": plan.get(ActionStatus.OPEN, 0) + plan.get(ActionStatus.IN_PROGRESS, 0),
    }


def suggestions(enterprise: Enterprise) -> dict | None:
    """The suggestion scheme: received, adopted, by sex and level, and the savings of the adopted ones."""
    adopted = Q(decision=SuggestionDecision.ADOPTED)
    rows = list(
        Suggestion.objects.filter(enterprise=enterprise)
        .values("submitted_by_sex", "submitted_by_level")
        .annotate(
            n=Count("pk"),
            adopted=Count("pk", filter=adopted),
            pending=Count("pk", filter=Q(decision=SuggestionDecision.PENDING)),
            savings=Sum("estimated_savings", filter=adopted),
        )
        .order_by()
    )
    if not rows:
        return None
    by = _by_sex_and_level(
        [{"sex": r["submitted_by_sex"], "level": r["submitted_by_level"], "n": r["n"]} for r in rows]
    )
    savings = [row["savings"] for row in rows if row["savings"] is not None]
    return {
        "by": by,
        "total": by["total"],
        "adopted": sum(row["adopted"] for row in rows),
        "pending": sum(row["pending"] for row in rows),
        "savings": sum(savings) if savings else None,
    }


def _data_uri(name: str) -> str | None:
    if not name:
        return None
    try:  # one request to an object store, not an existence check and then the read
        with default_storage.open(name, "rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        return None
    mime = mimetypes.guess_type(name)[0] or "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


@dataclass
class Photo:
    pair: PhotoPair
    before: str | None
    after: str | None


def photos(enterprise: Enterprise, limit: int = 12) -> list[Photo] | None:
    """5S before/after pairs, as embedded thumbnails (the files are private, so never as links)."""
    pairs = list(PhotoPair.objects.filter(enterprise=enterprise).order_by("created_at", "pk")[:limit])
    if not pairs:
        return None
    return [
        Photo(
            pair,
            _data_uri(pair.before_thumb.name or pair.before.name),
            _data_uri(pair.after_thumb.name or pair.after.name),
        )
        for pair in pairs
    ]


def letters_sent(enterprise: Enterprise) -> list[SentLetter]:
    return list(SentLetter.objects.filter(enterprise=enterprise).order_by("sent_at", "pk"))


# ---------------------------------------------------------------- many enterprises (programme, call)
def _eois(call: Call | None):
    qs = ExpressionOfInterest.objects.all()
    return qs.filter(call=call) if call else qs


def pipeline(call: Call | None) -> dict:
    summary = path_selectors.pipeline_summary(call)
    bars = [(bar.label, bar.count) for bar in summary["funnel"]]
    summary["chart"] = charts.count_bars(bars)
    summary["stage_rows"] = [
        {"label": label, "count": summary["per_stage"].get(value, 0)} for value, label in Stage.choices
    ]
    return summary


@dataclass
class CriterionRow:
    code: str
    label: str
    met: int = 0
    conditional: int = 0
    not_met: int = 0

    @property
    def total(self) -> int:
        return self.met + self.conditional + self.not_met


def outcomes_by_criterion(call: Call | None) -> list[CriterionRow]:
    """For each criterion, how many current screenings met it, conditionally or not; one query."""
    screenings = _eois(call).exclude(current_screening=None).values("current_screening_id")
    rows = (
        CriterionResult.objects.filter(screening_id__in=screenings)
        .values("code", "verdict")
        .annotate(n=Count("pk"))
        .order_by()
    )
    table = {criterion.code: CriterionRow(criterion.code, str(criterion.name)) for criterion in CRITERIA}
    for row in rows:
        item = table.setdefault(row["code"], CriterionRow(row["code"], row["code"]))
        setattr(item, row["verdict"], getattr(item, row["verdict"], 0) + row["n"])
    return list(table.values())


def result_counts(call: Call | None) -> list[dict]:
    return screening_selectors.result_counts(_eois(call))


# A programme report summarises: a list that grows with the programme (batches, groups) shows this
# many rows in the PDF, and the whole of it is in the workbook.
PDF_ROWS = 20


def batches(call: Call | None) -> list[dict]:
    rows = path_selectors.batches_with_seats()
    return [row for row in rows if call is None or row["batch"].call_id == call.pk]


def batch_totals(rows: list[dict]) -> list[dict]:
    """The batches per call: how many, their places, taken and left (from batches' rows)."""
    calls: dict[int, dict] = {}
    for row in rows:
        batch = row["batch"]
        total = calls.setdefault(
            batch.call_id, {"call": batch.call, "batches": 0, "capacity": 0, "taken": 0, "left": 0}
        )
        total["batches"] += 1
        total["capacity"] += batch.capacity or 0
        total["taken"] += row["taken"]
        total["left"] += row["left"] or 0
    return list(calls.values())


def by_sub_sector(call: Call | None) -> list[dict]:
    """Enterprises per sub-sector: on the path, in training or beyond, and out; one query."""
    qs = Enterprise.objects.all()
    if call:
        qs = qs.filter(call=call)
    in_training = [s.value for s in Stage if s.value.startswith("level")]
    out = [Stage.WITHDRAWN, Stage.NOT_SELECTED]
    rows = qs.values("sub_sector").annotate(
        n=Count("pk"),
        training=Count("pk", filter=Q(stage__in=in_training)),
        out=Count("pk", filter=Q(stage__in=out)),
        workforce=Sum("workforce_total"),
    )
    labels = dict(SubSector.choices)
    return [
        {**row, "label": str(labels.get(row["sub_sector"], row["sub_sector"]))} for row in rows.order_by("sub_sector")
    ]


def programme_attendance(call: Call | None) -> dict | None:
    """Attendance by sex and role across the programme (or one call's enterprises)."""
    participants = Participant.objects.all()
    if call:
        participants = participants.filter(enterprise__call=call)
    return _attendance(participants)


def level2_groups(call: Call | None) -> list[dict]:
    """The Level 2 training groups with how many enterprises each has; one query."""
    groups = TrainingGroup.objects.annotate(
        enterprises=Count("members", filter=Q(members__enterprise__call=call) if call else Q(), distinct=True)
    ).order_by("starts_on", "name")
    return [{"group": g, "enterprises": g.enterprises} for g in groups if g.enterprises or call is None]


KPI_GROUPINGS = tuple(baseline_selectors.GROUPINGS)  # all, call, batch, sub-sector


def _batch_names(rows: list[dict]) -> dict:
    if len({row["batch"].call_id for row in rows}) != 1:
        return {}
    return {row["batch"].pk: row["batch"].name for row in rows}


# Per indicator, the batches where the most and the fewest enterprises improved: what the PDF shows of
# the breakdown by batch, which has a row per batch and indicator (the workbook has every one).
EXTREMES = 3


@dataclass
class Extremes:
    indicator: object
    top: list  # (Aggregate, the batch's name)
    bottom: list
    shown: int  # batches with a share shown for this indicator


def batch_extremes(aggregates, names: dict | None = None) -> list[Extremes]:
    """For each indicator with a direction, the EXTREMES batches with the highest share of enterprises
    improving and the EXTREMES with the lowest, among the batches shown (a hidden one is never ranked).
    `names` gives a batch's short name (without its call's title) by its id."""
    names = names or {}
    by_indicator: dict[int, list] = {}
    for aggregate in aggregates:
        by_indicator.setdefault(aggregate.indicator.pk, []).append(aggregate)
    out = []
    for cells in by_indicator.values():
        ranked = sorted(
            (a for a in cells if a.improving_pct is not None),
            key=lambda a: (-a.improving_pct, a.group_label),
        )
        if not ranked:
            continue
        top = ranked[:EXTREMES]
        bottom = [a for a in ranked[-EXTREMES:] if a not in top]
        named = [[(a, names.get(a.group, a.group_label)) for a in rows] for rows in (top, bottom)]
        out.append(Extremes(cells[0].indicator, *named, len(ranked)))
    return out


def kpi_change(call: Call | None, batch_rows: list[dict] | None = None) -> dict | None:
    """Per KPI and practice: enterprises, % improving and median change, overall and by call, batch and
    sub-sector (the baseline app's aggregates, which suppress groups under its minimum size). Each
    breakdown's medians are computed once, in its own grouped query. `batch_rows` (batches()) name
    the batches by their name alone when they all belong to one call."""
    changes = Change.objects.filter(indicator__active=True)
    if call:
        changes = changes.filter(enterprise__call=call)
    if not changes.exists():
        return None
    groupings = {}
    for grouping in KPI_GROUPINGS:
        aggregates = baseline_selectors.programme_results(grouping, changes=changes)
        groupings[grouping] = [a for a in aggregates if a.sex == rules.ALL or grouping == "all"]
    headline = [a for a in groupings["all"] if a.sex == rules.ALL and a.indicator.kind == Kind.KPI]
    chart = charts.improvement_chart([a for a in headline if a.improving_pct is not None])
    return {
        "groupings": groupings,
        # the PDF: every breakdown whole but the one by batch, of which the extremes per indicator
        "pdf_groupings": {grouping: rows for grouping, rows in groupings.items() if grouping != "batch"},
        "batch_extremes": batch_extremes(groupings.get("batch", []), _batch_names(batch_rows or [])),
        "batches": len({a.group for a in groupings.get("batch", []) if a.group is not None}),
        "headline": headline,
        "chart": chart,
        "enterprises": changes.values("enterprise").distinct().count(),
    }


# ---------------------------------------------------------------- one call's screening
@dataclass
class Tally:
    label: str
    counts: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def get(self, result) -> int:
        return self.counts.get(result, 0)


def _tallies(call: Call, field_name: str, labels: dict) -> list[Tally]:
    rows = _eois(call).values(field_name, "result").annotate(n=Count("pk")).order_by(field_name)
    tallies: dict[str, Tally] = {}
    for row in rows:
        key = row[field_name]
        tallies.setdefault(key, Tally(str(labels.get(key, key)))).counts[row["result"]] = row["n"]
    return list(tallies.values())


def call_screening(call: Call) -> dict:
    """A call's screening in figures and the list of its EOIs; a fixed number of queries."""
    eois = list(
        screening_selectors.screening_queue()
        .filter(call=call)
        .order_by("result_rank", "legal_name", "pk")
        .only(
            "pk",
            "reference",
            "legal_name",
            "city",
            "sub_sector",
            "workforce_total",
            "result",
            "result_overridden",
            "is_late",
            "current_screening_id",
            "call_id",
        )
    )
    failed = screening_selectors.failed_criteria(eois)
    rows = [{"eoi": eoi, "failed": [criterion_label(code) for code in failed.get(eoi.pk, [])]} for eoi in eois]
    counts = result_counts(call)
    return {
        "call": call,
        "total": len(eois),
        "late": sum(1 for eoi in eois if eoi.is_late),
        "overridden": sum(1 for eoi in eois if eoi.result_overridden),
        "results": counts,
        "results_chart": charts.count_bars([(str(c["label"]), c["count"]) for c in counts]),
        "criteria": outcomes_by_criterion(call),
        "by_sub_sector": _tallies(call, "sub_sector", dict(SubSector.choices)),
        "by_province": _tallies(call, "province", dict(Province.choices)),
        "rows": rows,
    }


# ---------------------------------------------------------------- the business case
def business_case_figures(enterprise: Enterprise) -> dict:
    """The numbers behind the officer's narrative: KPI changes, practices, visits, EIT and suggestions."""
    progress = indicator_progress(enterprise)
    improved = []
    if progress:
        improved = [row for row in progress["kpis"] if row.sex == rules.ALL and row.change.improved]
    scheme = suggestions(enterprise)
    return {
        "progress": progress,
        "improved_kpis": improved,
        "visits": visits(enterprise),
        "eit": eit(enterprise),
        "suggestions": scheme,
        "savings": (scheme or {}).get("savings") or Decimal(0),
    }


# ---------------------------------------------------------------- reach and targets
# Enterprises "reached": accepted into Level 1, and on from there (not those who left the path).
REACHED_STAGES = IN_PROGRAMME_STAGES


def _reach_rows(call: Call | None = None) -> dict:
    """Per call: enterprises reached and the workers they employ, by sex (from their EOI); one query."""
    enterprises = Enterprise.objects.filter(stage__in=REACHED_STAGES)
    if call:
        enterprises = enterprises.filter(call=call)
    rows = enterprises.values("call").annotate(
        enterprises=Count("pk"),
        workers=Sum("expression_of_interest__workforce_total"),
        women=Sum("expression_of_interest__workforce_women"),
        men=Sum("expression_of_interest__workforce_men"),
    )
    return {row["call"]: row for row in rows.order_by()}


def _participant_rows(call: Call | None = None) -> dict:
    """Per call: training participants (one per person and workshop) by sex; one query."""
    participants = Participant.objects.all()
    if call:
        participants = participants.filter(enterprise__call=call)
    rows = participants.values("enterprise__call").annotate(
        n=Count("pk"),
        women=Count("pk", filter=Q(sex=PersonSex.FEMALE)),
        men=Count("pk", filter=Q(sex=PersonSex.MALE)),
    )
    return {row["enterprise__call"]: row for row in rows.order_by()}


def _summed(rows: dict, fields) -> dict:
    return {name: sum(row[name] or 0 for row in rows.values()) for name in fields}


def reach(call: Call | None = None) -> dict:
    """Enterprises reached and the workers covered, by sex; two queries."""
    totals = _summed(_reach_rows(call), ("enterprises", "workers", "women", "men"))
    totals["women_share"] = rules.share(totals["women"], totals["women"] + totals["men"])
    return totals


@dataclass
class TargetActual:
    """A target beside its actual figure and whether it is on track."""

    target: object
    actual: Decimal | None
    verdict: object
    text: str  # the target in words: "70% of enterprises improve their defect rate"
    target_text: str
    actual_text: str
    expected_text: str = ""

    @property
    def status(self) -> str:
        return self.verdict.status

    @property
    def status_label(self):
        return self.verdict.label

    @property
    def badge(self) -> str:
        return target_rules.STATUS_BADGES[self.verdict.status]


def _whole_or_one(value: Decimal) -> int:
    return 0 if value == value.to_integral_value() else 1


def _describe(target) -> tuple[str, str]:
    """(the target in words, the target's figure)."""
    value = target.value
    figure = formatting.percent(value, _whole_or_one(value)) if target.is_share else formatting.count(value)
    metric = target.metric
    if metric == TargetMetric.KPI_IMPROVING:
        name = str(target.indicator)
        name = name[:1].lower() + name[1:]
        return _("%(figure)s of enterprises improve their %(indicator)s") % {
            "figure": figure,
            "indicator": name,
        }, figure
    words = {
        TargetMetric.ENTERPRISES_REACHED: _("%(figure)s enterprises reached"),
        TargetMetric.WORKERS_REACHED: _("%(figure)s workers covered"),
        TargetMetric.PARTICIPANTS: _("%(figure)s training participants"),
        TargetMetric.WOMEN_PARTICIPANTS_SHARE: _("%(figure)s of participants women"),
    }
    return words[metric] % {"figure": figure}, figure


def targets_with_actuals(call: Call | None = None, today=None) -> list[TargetActual]:
    """Every programme target (of one call, or all), with its actual and whether it is on track.

    A bounded number of queries whatever the number of targets, calls or enterprises. The actual of
    "% of enterprises improving" is the call's cell of the programme results by call, so it is
    hidden, as there, when the small-group rule hides that cell."""
    return _targets_with_actuals(call, today or timezone.localdate())


@once_per_page
def _targets_with_actuals(call: Call | None, today) -> list[TargetActual]:
    targets = list(
        Target.objects.select_related("call", "indicator__current_version").filter(**({"call": call} if call else {}))
    )
    if not targets:
        return []
    metrics = {t.metric for t in targets}
    reached = _reach_rows(call) if metrics & {TargetMetric.ENTERPRISES_REACHED, TargetMetric.WORKERS_REACHED} else {}
    trained = (
        _participant_rows(call) if metrics & {TargetMetric.PARTICIPANTS, TargetMetric.WOMEN_PARTICIPANTS_SHARE} else {}
    )
    improving = {}
    if TargetMetric.KPI_IMPROVING in metrics:
        # Shares only (no medians), of the targets' indicators for all workers alone: the small-group rule
        # decides each indicator and sex over the calls by itself, so these cells are the results page's.
        # The whole table by call read every indicator's changes: 40-50 ms at 5,000 enterprises, twice on
        # the officer's home (its figure and its worklist).
        indicators = {t.indicator_id for t in targets if t.metric == TargetMetric.KPI_IMPROVING}
        changes = Change.objects.filter(indicator__active=True, indicator__in=indicators, sex=rules.ALL)
        for aggregate in baseline_selectors.programme_results("call", changes, medians=False):
            improving[(aggregate.group, aggregate.indicator.pk)] = aggregate.improving_pct
    out = []
    for target in targets:
        call_id = target.call_id
        if target.metric == TargetMetric.KPI_IMPROVING:
            actual = improving.get((call_id, target.indicator_id))
        elif target.metric == TargetMetric.ENTERPRISES_REACHED:
            actual = Decimal(reached.get(call_id, {}).get("enterprises") or 0)
        elif target.metric == TargetMetric.WORKERS_REACHED:
            actual = Decimal(reached.get(call_id, {}).get("workers") or 0)
        elif target.metric == TargetMetric.PARTICIPANTS:
            actual = Decimal(trained.get(call_id, {}).get("n") or 0)
        else:
            row = trained.get(call_id)
            actual = rules.share(row["women"], row["n"]) if row and row["n"] else None
        verdict = target_rules.target_status(
            share=target.is_share,
            target=target.value,
            actual=actual,
            start=target.call.opens_on,
            deadline=target.deadline,
            today=today,
        )
        text, figure = _describe(target)
        if actual is None:
            actual_text = "—"
        elif target.is_share:
            actual_text = formatting.percent(actual)
        else:
            actual_text = formatting.count(actual)
        expected = "" if verdict.expected is None else formatting.count(verdict.expected)
        out.append(TargetActual(target, actual, verdict, str(text), figure, actual_text, expected))
    return out


# ---------------------------------------------------------------- one enterprise: the executive summary
@dataclass
class KpiSentence:
    """One KPI's change in a sentence a CEO reads: "Defect rate fell from 8.4% to 4.8% (−3.6 pp, −43.0%)"."""

    row: object
    text: str
    change_text: str
    relative_text: str


def _kpi_sentence(row) -> KpiSentence:
    change = row.change
    version = change.version
    before = formatting.value(change.baseline_value, version)
    after = formatting.value(change.latest_value, version)
    if change.change > 0:
        verb = _("rose from %(before)s to %(after)s")
    elif change.change < 0:
        verb = _("fell from %(before)s to %(after)s")
    else:
        verb = _("stayed at %(before)s")
    text = f"{row.indicator} " + verb % {"before": before, "after": after}
    return KpiSentence(
        row,
        text,
        formatting.change(change.change, version),
        formatting.relative(change.change_pct, change.baseline_value, version),
    )


def _size_of_change(row) -> tuple:
    """Biggest first: by relative change, then (no base to divide by) after those, by absolute change."""
    change = row.change
    if change.change_pct is not None:
        return (0, -abs(change.change_pct))
    return (1, -abs(change.change))


def executive_summary(progress: dict | None, visits: dict | None, eit: dict | None, scheme: dict | None) -> dict:
    """Page 1 of the progress report, from the data the report gathered (no query of its own): what
    improved, what did not, the three biggest changes with their numbers, the practices adopted,
    and what comes next (the open actions and the next visit)."""
    headline = [row for row in (progress or {}).get("kpis", []) if row.sex == rules.ALL]
    judged = [row for row in headline if row.change.improved is not None]
    improved = sorted((row for row in judged if row.change.improved), key=_size_of_change)
    at_best = [row for row in judged if not row.change.improved and row.change.at_best]
    not_improved = sorted(
        (row for row in judged if not row.change.improved and not row.change.at_best), key=_size_of_change
    )
    actions = [action for visit in (visits or {}).get("visits", []) for action in visit.actions.all()]
    open_actions = sorted(
        (a for a in actions if a.status not in (ActionStatus.DONE, ActionStatus.DROPPED)),
        key=lambda a: (a.due_on, a.pk),
    )
    planned = [v.next_visit_on for v in (visits or {}).get("visits", []) if v.next_visit_on]
    rounds = (progress or {}).get("rounds") or []
    return {
        "judged": len(judged),
        "improved": [_kpi_sentence(row) for row in improved],
        "biggest": [_kpi_sentence(row) for row in improved[:3]],
        "others_improved": [_kpi_sentence(row) for row in improved[3:]],
        "not_improved": [_kpi_sentence(row) for row in not_improved],
        "at_best": [_kpi_sentence(row) for row in at_best],
        "adopted": (progress or {}).get("adopted", []),
        "in_place_latest": (progress or {}).get("in_place_latest"),
        "practices": len((progress or {}).get("practices", [])),
        "first_round": rounds[0] if rounds else None,
        "last_round": rounds[-1] if rounds else None,
        "open_actions": open_actions,
        "next_actions": open_actions[:3],
        "overdue": sum(1 for a in open_actions if a.is_overdue),
        "next_visit": max(planned) if planned else None,
        "plan_open": (eit or {}).get("plan_open", 0),
        "suggestions_adopted": (scheme or {}).get("adopted"),
        "savings": (scheme or {}).get("savings"),
    }
