"""Reads of the enterprise's path: places in a batch, the facts the guards weigh, an enterprise's
history, the shortlisting and Level 2 candidates, and the pipeline behind the officers' numbers.

Each read costs a fixed number of queries, whatever the number of enterprises.
"""

import datetime
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import Count, F, Prefetch, Q, QuerySet

from ..models import (
    Call,
    CeoMeeting,
    ConsultantAssignment,
    Enterprise,
    ExpressionOfInterest,
    Level1Batch,
    ScreeningOutcome,
    Stage,
    StageTransition,
    Verdict,
)
from . import columns as list_columns
from . import evidence, funnel, rules


# ---------------------------------------------------------------- places in a batch
def _seated():
    """The enterprises that hold a place in their batch: all but those that left the path."""
    return Enterprise.objects.exclude(stage__in=rules.EXITS)


def seats_taken(batch: Level1Batch) -> int:
    return _seated().filter(batch=batch).count()


def seats_left(batch: Level1Batch, taken: int | None = None) -> int:
    return max(batch.capacity - (seats_taken(batch) if taken is None else taken), 0)


def batches_with_seats() -> list[dict]:
    """Every batch with its places taken and left; two queries."""
    batches = list(Level1Batch.objects.select_related("call").order_by("-call__opens_on", "name"))
    taken = {
        row["batch"]: row["n"]
        for row in _seated().filter(batch__isnull=False).values("batch").annotate(n=Count("pk")).order_by()
    }
    return [{"batch": b, "taken": taken.get(b.pk, 0), "left": seats_left(b, taken.get(b.pk, 0))} for b in batches]


# ---------------------------------------------------------------- what the guards look at
def gather_facts(enterprise: Enterprise, *, batch: Level1Batch | None = None, eoi=None) -> rules.PathFacts:
    """The facts the guards need, read from the database for this enterprise on its current call."""
    eoi = eoi or enterprise.expression_of_interest
    meetings = CeoMeeting.objects.filter(enterprise=enterprise, call_id=enterprise.call_id).aggregate(
        held=Count("pk"), committed=Count("pk", filter=Q(commitment_shown=True))
    )
    batch = batch or enterprise.batch
    data = evidence.gather(enterprise)
    data.setdefault("visits_required", enterprise.call.min_consultancy_visits)
    # A complete round is what "baseline done" means; without a source (the apps that keep the
    # rounds are not installed) nothing is complete.
    basic_done = data.get("basic_round_exists", False) and not data.get("basic_round_gaps", 0)
    comprehensive_done = data.get("comprehensive_round_exists", False) and not data.get("comprehensive_round_gaps", 0)
    return rules.PathFacts(
        **data,
        stage=enterprise.stage,
        eoi_result=eoi.result,
        eoi_overridden=eoi.result_overridden,
        batch_id=batch.pk if batch else None,
        batch_call_matches=batch is None or batch.call_id == enterprise.call_id,
        batch_seats_left=None if batch is None or batch.pk == enterprise.batch_id else seats_left(batch),
        ceo_meeting_held=meetings["held"] > 0,
        commitment_shown=meetings["committed"] > 0,
        baseline_done=basic_done,
        level1_completed=enterprise.level1_completed_on is not None,
        level2_interest=enterprise.level2_interest_on is not None,
        comprehensive_baseline_done=comprehensive_done,
        comprehensive_baseline_recorded=enterprise.comprehensive_baseline_on is not None,
        new_call_eoi=eoi.call_id != enterprise.call_id,
    )


# ---------------------------------------------------------------- an enterprise's history
@dataclass(frozen=True)
class TimelineEntry:
    at: datetime.datetime
    kind: str  # "transition", "meeting" or "letter"
    item: object


def timeline(enterprise: Enterprise) -> list[TimelineEntry]:
    """Everything that happened to the enterprise, oldest first, in three queries."""
    entries = [
        TimelineEntry(t.at, "transition", t)
        for t in enterprise.transitions.select_related("by", "call", "batch", "expression_of_interest")
    ]
    entries += [
        TimelineEntry(m.recorded_at, "meeting", m) for m in enterprise.ceo_meetings.select_related("recorded_by")
    ]
    entries += [TimelineEntry(s.sent_at, "letter", s) for s in enterprise.sent_letters.select_related("sent_by")]
    return sorted(entries, key=lambda e: (e.at, e.kind))


# ---------------------------------------------------------------- shortlisting and Level 2 selection
@dataclass(frozen=True)
class ShortlistRow:
    eoi: ExpressionOfInterest
    candidate: rules.Candidate
    enterprise_stage: str


@dataclass(frozen=True)
class RankedCandidate:
    candidate: rules.Candidate
    enterprise_stage: str


def ranked_candidates(batch: Level1Batch, *, search: str = "") -> list[RankedCandidate]:
    """The call's screened EOIs not yet shortlisted, ranked by what officers weigh, as light rows
    (values, no model instances, so thousands cost little); `search` narrows on name, city or
    reference. Two queries."""
    met = Q(current_screening__criteria__verdict=Verdict.MET)
    conditional = Q(current_screening__criteria__verdict=Verdict.CONDITIONAL)
    not_met = Q(current_screening__criteria__verdict=Verdict.NOT_MET)
    eois = ExpressionOfInterest.objects.filter(call_id=batch.call_id).exclude(result=ScreeningOutcome.PENDING)
    if search:
        eois = eois.filter(Q(legal_name__icontains=search) | Q(city__icontains=search) | Q(reference__icontains=search))
    rows = list(
        eois.order_by()
        .values(
            "pk",
            "registration_key",
            "result",
            "result_overridden",
            "workforce_total",
            "ceo_available",
            "nominee_has_authority",
            "shares_order_status",
            "shares_baseline_data",
        )
        .annotate(
            criteria_met=Count("current_screening__criteria", filter=met),
            criteria_conditional=Count("current_screening__criteria", filter=conditional),
            criteria_not_met=Count("current_screening__criteria", filter=not_met),
        )
    )
    enterprises = {
        e["registration_key"]: e
        for e in Enterprise.objects.filter(
            registration_key__in=ExpressionOfInterest.objects.filter(call_id=batch.call_id).values("registration_key")
        ).values("registration_key", "stage", "expression_of_interest_id")
    }
    ranked = []
    for row in rows:
        enterprise = enterprises.get(row["registration_key"])
        stage = ""
        if enterprise:
            follows_this = enterprise["expression_of_interest_id"] == row["pk"]
            waiting = follows_this and enterprise["stage"] in (Stage.EOI_RECEIVED, Stage.SCREENED)
            may_return = not follows_this and enterprise["stage"] in rules.FINAL
            if not (waiting or may_return):
                continue
            stage = enterprise["stage"]
        candidate = rules.Candidate(
            eoi_id=row["pk"],
            admissible=rules.eoi_admissible(row["result"], row["result_overridden"]),
            criteria_met=row["criteria_met"],
            criteria_conditional=row["criteria_conditional"],
            criteria_not_met=row["criteria_not_met"],
            commitment=rules.commitment_score(SimpleNamespace(**row)),
            workforce=row["workforce_total"],
        )
        ranked.append(RankedCandidate(candidate, stage))
    return sorted(ranked, key=lambda r: rules.rank_key(r.candidate))


def shortlist_rows(ranked: list[RankedCandidate]) -> list[ShortlistRow]:
    """The EOIs of some ranked candidates (a page of them), in their order: one query."""
    eois = ExpressionOfInterest.objects.in_bulk([r.candidate.eoi_id for r in ranked])
    return [ShortlistRow(eois[r.candidate.eoi_id], r.candidate, r.enterprise_stage) for r in ranked]


def shortlisting_candidates(batch: Level1Batch, *, search: str = "") -> list[ShortlistRow]:
    """Every candidate with its EOI, ranked. Three queries; pages show a page of ranked_candidates."""
    return shortlist_rows(ranked_candidates(batch, search=search))


def level2_candidates(call):
    """Level 1 graduates of the call: those who registered interest first, then those who have not yet."""
    return (
        Enterprise.objects.filter(call=call, stage__in=[Stage.LEVEL1_COMPLETED, Stage.LEVEL2_INTEREST])
        .select_related("batch")
        .annotate(
            meetings_committed=Count(
                "ceo_meetings", filter=Q(ceo_meetings__commitment_shown=True, ceo_meetings__call=call)
            )
        )
        .order_by(F("level2_interest_on").desc(nulls_last=True), "legal_name")
    )


# ---------------------------------------------------------------- the pipeline
@dataclass
class PipelineRow:
    obj: object
    counts: dict
    total: int

    @property
    def cells(self) -> list[tuple[str, int]]:
        """(stage, count) for every stage, in the path's order, for a table row."""
        return [(stage, self.counts.get(stage, 0)) for stage in Stage.values]


def _rows(objects, pairs, key) -> list[PipelineRow]:
    counts: dict = {}
    for pair in pairs:
        counts.setdefault(pair[key], {})[pair["stage"]] = pair["n"]
    return [
        PipelineRow(obj, counts.get(obj.pk, {}), sum(counts.get(obj.pk, {}).values()))
        for obj in objects
        if obj.pk in counts
    ]


def pipeline_summary(call=None) -> dict:
    """Counts per stage, per call and per batch, and how many reached each stage; seven queries."""
    enterprises = Enterprise.objects.all()
    transitions = StageTransition.objects.all()
    if call:
        enterprises = enterprises.filter(call=call)
        transitions = transitions.filter(call=call)
    per_stage = {row["stage"]: row["n"] for row in enterprises.values("stage").annotate(n=Count("pk")).order_by()}
    per_call = list(Enterprise.objects.values("call", "stage").annotate(n=Count("pk")).order_by())
    per_batch = list(
        enterprises.filter(batch__isnull=False).values("batch", "stage").annotate(n=Count("pk")).order_by()
    )
    reached = {
        row["to_stage"]: row["n"]
        for row in transitions.values("to_stage").annotate(n=Count("enterprise", distinct=True)).order_by()
    }
    # The top of the funnel is every expression of interest, not only those that became
    # enterprise records (ineligible ones never do), so the drop-off at screening shows.
    eois = ExpressionOfInterest.objects.filter(call=call) if call else ExpressionOfInterest.objects.all()
    eoi_counts = eois.aggregate(received=Count("pk"), screened=Count("pk", filter=~Q(result=ScreeningOutcome.PENDING)))
    reached[Stage.EOI_RECEIVED] = eoi_counts["received"]
    reached[Stage.SCREENED] = eoi_counts["screened"]
    calls = Call.objects.filter(pk__in={row["call"] for row in per_call}).order_by("-opens_on")
    batches = Level1Batch.objects.filter(pk__in={row["batch"] for row in per_batch}).select_related("call")
    return {
        "per_stage": per_stage,
        "total": sum(per_stage.values()),
        "per_call": _rows(calls, per_call, "call"),
        "per_batch": _rows(batches.order_by("call__opens_on", "name"), per_batch, "batch"),
        "reached": reached,
        "funnel": funnel.funnel_bars(reached),
    }


# ---------------------------------------------------------------- what waits too long (the officer's worklist)
def over_step_limit(now: datetime.datetime | None = None):
    """Enterprises at a step for longer than their call allows (rules.STEP_LIMIT_FIELDS), longest first.

    One query for the calls' limits, then one for the enterprises (the condition groups the calls that
    share a limit), whatever the number of enterprises."""
    from django.utils import timezone

    now = now or timezone.now()
    fields = sorted(set(rules.STEP_LIMIT_FIELDS.values()))
    groups: dict[tuple[str, int], list[int]] = {}
    for row in Call.objects.values("pk", *fields):
        for stage, field_name in rules.STEP_LIMIT_FIELDS.items():
            groups.setdefault((stage, row[field_name]), []).append(row["pk"])
    condition = Q(pk__in=[])
    for (stage, days), call_ids in groups.items():
        condition |= Q(stage=stage, call_id__in=call_ids, stage_changed_at__lt=now - datetime.timedelta(days=days))
    return Enterprise.objects.filter(condition).select_related("call").order_by("stage_changed_at", "pk")


def level1_past_window(now: datetime.datetime | None = None):
    """Enterprises accepted into Level 1 longer ago than its 3-4 month window and not marked completed."""
    from django.utils import timezone

    now = now or timezone.now()
    return (
        Enterprise.objects.filter(
            stage=Stage.LEVEL1_ACCEPTED, stage_changed_at__lt=now - datetime.timedelta(days=rules.LEVEL1_MAX_DAYS)
        )
        .select_related("call")
        .order_by("stage_changed_at", "pk")
    )


# ---------------------------------------------------------------- the enterprise list's rows
def enterprise_rows(queryset, columns) -> QuerySet[Enterprise]:
    """The enterprise list's rows with what its shown columns need, in a fixed number of queries:
    the call and batch joined, the consultants prefetched (one query) and the other apps' columns
    (last visit, overdue actions) annotated as subqueries."""
    queryset = queryset.select_related("call", "batch")
    if "consultants" in columns:
        assignments = ConsultantAssignment.objects.select_related("consultant").order_by("consultant__first_name")
        queryset = queryset.prefetch_related(Prefetch("consultant_assignments", queryset=assignments))
    return list_columns.annotated(queryset, columns)
