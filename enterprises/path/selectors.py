"""Reads of the enterprise's path: places in a batch, the facts the guards weigh, an enterprise's
history, the shortlisting and Level 2 candidates, and the pipeline behind the officers' numbers.

Each read costs a fixed number of queries, whatever the number of enterprises.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q

from score_portal.querysets import narrowed

from ..models import (
    Call,
    CeoMeeting,
    Enterprise,
    ExpressionOfInterest,
    Level1Batch,
    ScreeningOutcome,
    Stage,
    StageTransition,
    Verdict,
)
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


def shortlisting_candidates(batch: Level1Batch) -> list[ShortlistRow]:
    """The call's screened EOIs not yet shortlisted, ranked by what officers weigh. Two queries."""
    met = Q(current_screening__criteria__verdict=Verdict.MET)
    conditional = Q(current_screening__criteria__verdict=Verdict.CONDITIONAL)
    not_met = Q(current_screening__criteria__verdict=Verdict.NOT_MET)
    eois = (
        ExpressionOfInterest.objects.filter(call_id=batch.call_id)
        .exclude(result=ScreeningOutcome.PENDING)
        .annotate(criteria_met=Count("current_screening__criteria", filter=met))
        .annotate(criteria_conditional=Count("current_screening__criteria", filter=conditional))
        .annotate(criteria_not_met=Count("current_screening__criteria", filter=not_met))
    )
    eois = list(eois)
    enterprises = {
        e["registration_key"]: e
        for e in Enterprise.objects.filter(registration_key__in=[eoi.registration_key for eoi in eois]).values(
            "registration_key", "stage", "expression_of_interest_id"
        )
    }
    rows = []
    for eoi in eois:
        enterprise = enterprises.get(eoi.registration_key)
        stage = ""
        if enterprise:
            follows_this = enterprise["expression_of_interest_id"] == eoi.pk
            waiting = follows_this and enterprise["stage"] in (Stage.EOI_RECEIVED, Stage.SCREENED)
            may_return = not follows_this and enterprise["stage"] in rules.FINAL
            if not (waiting or may_return):
                continue
            stage = enterprise["stage"]
        candidate = rules.Candidate(
            eoi_id=eoi.pk,
            admissible=rules.eoi_admissible(eoi.result, eoi.result_overridden),
            criteria_met=eoi.criteria_met,
            criteria_conditional=eoi.criteria_conditional,
            criteria_not_met=eoi.criteria_not_met,
            commitment=rules.commitment_score(eoi),
            workforce=eoi.workforce_total,
        )
        rows.append(ShortlistRow(eoi, candidate, stage))
    return sorted(rows, key=lambda row: rules.rank_key(row.candidate))


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


# ---------------------------------------------------------------- the pipeline and the enterprise list
def enterprises_filtered(*, q="", stage="", reached="", call=None, batch=None):
    """The enterprise list behind every number of the pipeline; one query per page."""
    qs = narrowed(Enterprise.objects.select_related("call", "batch"), stage=stage, call=call, batch=batch)
    qs = qs.order_by("legal_name", "pk")
    if q:
        qs = qs.filter(Q(legal_name__icontains=q) | Q(city__icontains=q) | Q(registration_key__icontains=q))
    if reached:
        reached_filter = Q(to_stage=reached)
        if call:
            reached_filter &= Q(call=call)
        qs = qs.filter(pk__in=StageTransition.objects.filter(reached_filter).values("enterprise_id"))
    return qs


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
