"""Reads of the enterprise's path: places in a batch, the facts the guards weigh, an enterprise's
history, the shortlisting and Level 2 candidates, and the pipeline behind the officers' numbers.

Each read costs a fixed number of queries, whatever the number of enterprises.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce

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


class RankedCandidates(Sequence):
    """The call's screened EOIs not yet shortlisted, in rules.rank_key's order, ranked and counted in
    the database: a paginator slices it, and only the page's rows are read (values, no model
    instances). Another enterprise of the same registration keeps an EOI out unless it waits on this
    EOI (received or screened) or left its own path (rules.FINAL) and may come back."""

    def __init__(self, rows, candidates):
        self.rows = rows  # ranked, with their weights
        self.candidates = candidates  # the same EOIs, unranked: what counting needs

    def __len__(self):
        return self.count()

    def count(self) -> int:
        return self.candidates.count()

    def __getitem__(self, index):
        rows = list(self.rows[index]) if isinstance(index, slice) else [self.rows[index]]
        # The stage of the enterprise of the same registration (the latest), for the shown rows only.
        stages = dict(
            Enterprise.objects.filter(registration_key__in={row["registration_key"] for row in rows})
            .order_by("pk")
            .values_list("registration_key", "stage")
        )
        ranked = [_ranked(row, stages.get(row["registration_key"], "")) for row in rows]
        return ranked if isinstance(index, slice) else ranked[0]

    def eoi_ids(self) -> list[int]:
        """Every candidate's EOI (what an officer's picks are checked against), unranked."""
        return list(self.candidates.values_list("pk", flat=True))


def _ranked(row: dict, enterprise_stage: str) -> RankedCandidate:
    candidate = rules.Candidate(
        eoi_id=row["pk"],
        admissible=row["admissible"],
        criteria_met=row["criteria_met"],
        criteria_conditional=row["criteria_conditional"],
        criteria_not_met=row["criteria_not_met"],
        commitment=row["commitment"],
        workforce=row["workforce_total"],
    )
    return RankedCandidate(candidate, enterprise_stage)


def ranked_candidates(batch: Level1Batch, *, search: str = "") -> RankedCandidates:
    """The candidates of `batch`'s call, ranked; `search` narrows on name, city or reference."""
    eois = ExpressionOfInterest.objects.filter(call_id=batch.call_id).exclude(result=ScreeningOutcome.PENDING)
    if search:
        eois = eois.filter(Q(legal_name__icontains=search) | Q(city__icontains=search) | Q(reference__icontains=search))
    same_registration = Enterprise.objects.filter(registration_key=OuterRef("registration_key"))
    follows_this = Q(expression_of_interest_id=OuterRef("pk"))
    blocking = same_registration.exclude(
        (follows_this & Q(stage__in=[Stage.EOI_RECEIVED, Stage.SCREENED])) | (~follows_this & Q(stage__in=rules.FINAL))
    )
    yes = Value(1)
    candidates = eois.filter(~Exists(blocking)).order_by()
    rows = (
        candidates.values("pk", "registration_key", "workforce_total")
        .annotate(
            # rules.eoi_admissible and rules.commitment_score, as the database computes them
            admissible=Case(
                When(result=ScreeningOutcome.ELIGIBLE, then=True),
                When(result=ScreeningOutcome.NEEDS_REVIEW, result_overridden=True, then=True),
                default=False,
                output_field=BooleanField(),
            ),
            commitment=Case(When(ceo_available=True, then=2), When(nominee_has_authority=True, then=1), default=0)
            + Case(When(shares_order_status=True, then=yes), default=0)
            + Case(When(shares_baseline_data=True, then=yes), default=0),
            # the current screening's tally (none yet: 0)
            criteria_met=Coalesce("current_screening__criteria_met", 0),
            criteria_conditional=Coalesce("current_screening__criteria_conditional", 0),
            criteria_not_met=Coalesce("current_screening__criteria_not_met", 0),
        )
        # rules.rank_key: admissible first; fewer criteria not met, more met, fewer conditional, more
        # commitment, larger workforce; then the EOI's number.
        .order_by(
            F("admissible").desc(),
            "criteria_not_met",
            F("criteria_met").desc(),
            "criteria_conditional",
            F("commitment").desc(),
            F("workforce_total").desc(nulls_last=True),
            "pk",
        )
    )
    return RankedCandidates(rows, candidates)


def shortlist_rows(ranked: Sequence[RankedCandidate]) -> list[ShortlistRow]:
    """The EOIs of some ranked candidates (a page of them), in their order: one query."""
    eois = ExpressionOfInterest.objects.in_bulk([r.candidate.eoi_id for r in ranked])
    return [ShortlistRow(eois[r.candidate.eoi_id], r.candidate, r.enterprise_stage) for r in ranked]


def shortlisting_candidates(batch: Level1Batch, *, search: str = "") -> list[ShortlistRow]:
    """Every candidate with its EOI, ranked. Three queries; pages show a page of ranked_candidates."""
    return shortlist_rows(ranked_candidates(batch, search=search)[:])


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
