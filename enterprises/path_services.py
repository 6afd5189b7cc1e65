"""Writes (and the few reads they share) for the enterprise's path through the programme.

Every change of stage goes through `_move`, called with the enterprise row locked
(select_for_update) inside a transaction: it re-reads the stage, asks the guards in
`path.py` and records who, when and why in a StageTransition.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import path
from .models import (
    Call,
    CeoMeeting,
    Enterprise,
    ExpressionOfInterest,
    Level1Batch,
    ScreeningOutcome,
    Stage,
    StageTransition,
)


# ---------------------------------------------------------------- reads
def seats_taken(batch: Level1Batch) -> int:
    return Enterprise.objects.filter(batch=batch).exclude(stage__in=path.EXITS).count()


def seats_left(batch: Level1Batch) -> int:
    return max(batch.capacity - seats_taken(batch), 0)


def gather_facts(enterprise: Enterprise, *, batch: Level1Batch | None = None, eoi=None) -> path.PathFacts:
    """The facts the guards need, read from the database for this enterprise on its current call."""
    eoi = eoi or enterprise.expression_of_interest
    meetings = CeoMeeting.objects.filter(enterprise=enterprise, call_id=enterprise.call_id).aggregate(
        held=Count("pk"), committed=Count("pk", filter=Q(commitment_shown=True))
    )
    batch = batch or enterprise.batch
    return path.PathFacts(
        stage=enterprise.stage,
        eoi_result=eoi.result,
        eoi_overridden=eoi.result_overridden,
        batch_id=batch.pk if batch else None,
        batch_call_matches=batch is None or batch.call_id == enterprise.call_id,
        batch_seats_left=None if batch is None or batch.pk == enterprise.batch_id else seats_left(batch),
        ceo_meeting_held=meetings["held"] > 0,
        commitment_shown=meetings["committed"] > 0,
        baseline_done=enterprise.baseline_done_on is not None,
        level1_completed=enterprise.level1_completed_on is not None,
        level2_interest=enterprise.level2_interest_on is not None,
        comprehensive_baseline_done=enterprise.comprehensive_baseline_on is not None,
        new_call_eoi=eoi.call_id != enterprise.call_id,
    )


def display_name(user) -> str:
    if user is None:
        return _("the portal")
    return user.get_full_name() or user.get_username()


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


# ---------------------------------------------------------------- the one transition service
def _lock(enterprise: Enterprise, expected_stage: str | None) -> Enterprise:
    """Lock the enterprise row and make sure nobody moved it since the caller read it."""
    locked = Enterprise.objects.select_for_update().select_related("expression_of_interest").get(pk=enterprise.pk)
    expected = expected_stage if expected_stage is not None else enterprise.stage
    if locked.stage != expected:
        last = locked.transitions.select_related("by").order_by("-at", "-pk").first()
        raise ValidationError(
            _("This enterprise was just moved to “%(stage)s” by %(who)s; reload the page.")
            % {"stage": path.stage_label(locked.stage), "who": display_name(last.by if last else None)},
            code="stale",
        )
    return locked


def _move(
    enterprise: Enterprise,
    to_stage: str,
    *,
    by,
    reason: str = "",
    override_justification: str = "",
    batch: Level1Batch | None = None,
    eoi: ExpressionOfInterest | None = None,
    at: datetime.datetime | None = None,
) -> StageTransition:
    """Check and record one step. The caller holds the row lock and has set the step's own facts."""
    reason = (reason or "").strip()
    override_justification = (override_justification or "").strip()
    if batch is not None:
        batch = Level1Batch.objects.select_for_update().get(pk=batch.pk)
    facts = gather_facts(enterprise, batch=batch, eoi=eoi)
    from_stage = enterprise.stage
    path.check_transition(from_stage, to_stage, facts, reason=reason, override_justification=override_justification)
    eoi = eoi or enterprise.expression_of_interest
    used_override = to_stage in (Stage.SCREENED, Stage.SHORTLISTED) and not path.eoi_admissible(
        eoi.result, eoi.result_overridden
    )
    at = at or timezone.now()
    if eoi.pk != enterprise.expression_of_interest_id:
        _follow_new_eoi(enterprise, eoi)
    if batch is not None:
        enterprise.batch = batch
    enterprise.stage = to_stage
    enterprise.stage_changed_at = at
    enterprise.save()
    return StageTransition.objects.create(
        enterprise=enterprise,
        from_stage=from_stage,
        to_stage=to_stage,
        call_id=enterprise.call_id,
        expression_of_interest=eoi,
        batch=enterprise.batch if to_stage == Stage.SHORTLISTED else None,
        by=by,
        at=at,
        reason=reason,
        override_justification=override_justification if used_override else "",
    )


def _follow_new_eoi(enterprise: Enterprise, eoi: ExpressionOfInterest) -> None:
    """A later call: the path starts again from this EOI; what the last call established is cleared."""
    enterprise.expression_of_interest = eoi
    enterprise.call_id = eoi.call_id
    enterprise.legal_name = eoi.legal_name
    enterprise.city = eoi.city
    enterprise.sub_sector = eoi.sub_sector
    enterprise.workforce_total = eoi.workforce_total
    enterprise.batch = None
    enterprise.baseline_done_on = None
    enterprise.level1_completed_on = None
    enterprise.comprehensive_baseline_on = None
    enterprise.level2_interest_on = None


@transaction.atomic
def transition(
    enterprise: Enterprise,
    to_stage: str,
    *,
    by,
    reason: str = "",
    expected_stage: str | None = None,
    on: datetime.date | None = None,
    comprehensive_baseline_on: datetime.date | None = None,
    override_justification: str = "",
    batch: Level1Batch | None = None,
    at: datetime.datetime | None = None,
) -> StageTransition:
    """Move an enterprise one step along the path, or refuse with what is missing.

    `expected_stage` is the stage the officer saw (default: the stage of the object passed in);
    if another officer moved the enterprise meanwhile, the move is refused. `on` is the date the
    step happened, for the steps that have one (baseline, Level 1 completed, interest registered).
    """
    locked = _lock(enterprise, expected_stage)
    if to_stage == Stage.BASELINE_DONE and on:
        locked.baseline_done_on = on
    elif to_stage == Stage.LEVEL1_COMPLETED and on:
        locked.level1_completed_on = on
    elif to_stage == Stage.LEVEL2_INTEREST and on:
        locked.level2_interest_on = on
    if comprehensive_baseline_on and to_stage in (Stage.LEVEL1_COMPLETED, Stage.LEVEL2_INTEREST):
        locked.comprehensive_baseline_on = comprehensive_baseline_on
    record = _move(
        locked, to_stage, by=by, reason=reason, override_justification=override_justification, batch=batch, at=at
    )
    enterprise.refresh_from_db()
    return record


@transaction.atomic
def record_ceo_meeting(
    enterprise: Enterprise,
    *,
    by,
    held_on: datetime.date,
    attendees: str,
    commitment_shown: bool,
    notes: str = "",
    expected_stage: str | None = None,
    at: datetime.datetime | None = None,
) -> CeoMeeting:
    """Record the individual meeting with the CEO or main decision-maker.

    The first one moves a shortlisted enterprise to "meeting held"; a later one (say, to see
    commitment at last) is recorded without a change of stage.
    """
    locked = _lock(enterprise, expected_stage)
    if locked.stage not in path.MEETING_STAGES:
        raise ValidationError(
            _(
                "A meeting with the CEO is recorded after the shortlisting and before the acceptance into Level 1; "
                "the enterprise is at “%(stage)s”."
            )
            % {"stage": path.stage_label(locked.stage)},
            code="not_allowed",
        )
    if not (attendees or "").strip():
        raise ValidationError({"attendees": _("Write who attended the meeting.")}, code="required")
    meeting = CeoMeeting.objects.create(
        enterprise=locked,
        call_id=locked.call_id,
        held_on=held_on,
        attendees=attendees.strip(),
        notes=notes,
        commitment_shown=commitment_shown,
        recorded_by=by,
        recorded_at=at or timezone.now(),
    )
    if locked.stage == Stage.SHORTLISTED:
        reason = _("Meeting held on %(date)s with %(attendees)s; commitment shown: %(commitment)s.") % {
            "date": held_on.isoformat(),
            "attendees": meeting.attendees,
            "commitment": _("yes") if commitment_shown else _("no"),
        }
        _move(locked, Stage.CEO_MEETING_HELD, by=by, reason=reason, at=at)
    enterprise.refresh_from_db()
    return meeting


# ---------------------------------------------------------------- making the enterprise from its EOI
def _received_reason(eoi: ExpressionOfInterest) -> str:
    return _("Expression of interest %(reference)s to “%(call)s”.") % {"reference": eoi.reference, "call": eoi.call}


def _screened_reason(eoi: ExpressionOfInterest) -> str:
    reason = _("Screening result: %(result)s.") % {"result": eoi.get_result_display()}
    if eoi.result_overridden:
        reason += " " + _("(overridden by an officer)")
    return reason


@transaction.atomic
def register_enterprise(
    eoi: ExpressionOfInterest, *, by, override_justification: str = "", advance: bool = True, at=None
) -> Enterprise:
    """The enterprise record for an EOI: made on its first EOI, found again (by registration
    number) on a later call, whose path then starts again with its history whole.

    A screened EOI goes on to "screened" at once (`advance`), which needs an eligible result, an
    override of a "needs review" result, or an override justification here.
    """
    eoi = ExpressionOfInterest.objects.select_related("call").get(pk=eoi.pk)
    enterprise = Enterprise.objects.select_for_update().filter(registration_key=eoi.registration_key).first()
    if enterprise is None:
        try:
            with transaction.atomic():
                enterprise = Enterprise.objects.create(
                    registration_key=eoi.registration_key,
                    legal_name=eoi.legal_name,
                    city=eoi.city,
                    sub_sector=eoi.sub_sector,
                    workforce_total=eoi.workforce_total,
                    expression_of_interest=eoi,
                    call=eoi.call,
                    stage=Stage.EOI_RECEIVED,
                    stage_changed_at=eoi.submitted_at,
                )
        except IntegrityError:
            # Another officer made it at the same moment: use theirs.
            enterprise = Enterprise.objects.select_for_update().get(registration_key=eoi.registration_key)
        else:
            StageTransition.objects.create(
                enterprise=enterprise,
                from_stage="",
                to_stage=Stage.EOI_RECEIVED,
                call=eoi.call,
                expression_of_interest=eoi,
                by=eoi.entered_by,
                at=eoi.submitted_at,
                reason=_received_reason(eoi),
            )
    if enterprise.expression_of_interest_id == eoi.pk:
        if advance and enterprise.stage == Stage.EOI_RECEIVED and eoi.result != ScreeningOutcome.PENDING:
            _move(
                enterprise,
                Stage.SCREENED,
                by=by,
                reason=_screened_reason(eoi),
                override_justification=override_justification,
                at=at,
            )
        return enterprise
    if enterprise.stage not in path.FINAL:
        raise ValidationError(
            _(
                "%(name)s is already on the path under “%(call)s” (“%(stage)s”); it can answer a later call "
                "once that path has ended (completed, withdrawn or not selected)."
            )
            % {"name": enterprise.legal_name, "call": enterprise.call, "stage": path.stage_label(enterprise.stage)},
            code="already_on_path",
        )
    reason = _received_reason(eoi) + " " + _screened_reason(eoi)
    _move(
        enterprise,
        Stage.SCREENED,
        by=by,
        reason=reason,
        override_justification=override_justification,
        eoi=eoi,
        at=at,
    )
    return enterprise


# ---------------------------------------------------------------- batches and selection
def _picked(picks, reason: str, why: str) -> list:
    """The picks of a selection page, refused if none is picked or the reason is missing."""
    if not (reason or "").strip():
        raise ValidationError({"reason": why}, code="required")
    picks = list(picks)
    if not picks:
        raise ValidationError(_("Pick at least one enterprise."), code="empty")
    return picks


def _all_or_none(picks, step, name) -> list[StageTransition]:
    """Take `step` for every pick, each in a savepoint; if any is refused, refuse them all,
    naming (`name(pick)`) each refused pick and what it lacks. The caller's transaction undoes the rest."""
    errors, records = [], []
    for pick in picks:
        try:
            with transaction.atomic():
                records.append(step(pick))
        except ValidationError as exc:
            errors.append(f"{name(pick)}: {' '.join(exc.messages)}")
    if errors:
        raise ValidationError(errors, code="refused")
    return records


@transaction.atomic
def shortlist_for_batch(
    batch: Level1Batch, eois, *, by, reason: str, override_justification: str = "", at=None
) -> list[StageTransition]:
    """Shortlist several EOIs for a Level 1 batch in one go, or none of them.

    The batch row is locked, so two officers shortlisting for one batch at once cannot
    together exceed its capacity.
    """
    eois = _picked(eois, reason, _("Write why these enterprises are shortlisted."))
    batch = Level1Batch.objects.select_for_update().select_related("call").get(pk=batch.pk)
    path.check_capacity(len(eois), seats_left(batch))

    def shortlist(eoi):
        if eoi.call_id != batch.call_id:
            raise ValidationError(
                _("it answered another call than the batch's (“%(call)s”)") % {"call": batch.call}, code="call"
            )
        enterprise = register_enterprise(eoi, by=by, override_justification=override_justification, at=at)
        return _move(
            _lock(enterprise, None),
            Stage.SHORTLISTED,
            by=by,
            reason=reason,
            override_justification=override_justification,
            batch=batch,
            at=at,
        )

    return _all_or_none(eois, shortlist, lambda eoi: f"{eoi.legal_name} ({eoi.reference})")


@transaction.atomic
def select_for_level2(enterprises, *, by, reason: str, at=None) -> list[StageTransition]:
    """Shortlist Level 1 graduates for the full SCORE package, all or none."""
    enterprises = _picked(enterprises, reason, _("Write why these enterprises are selected."))
    return _all_or_none(
        enterprises,
        lambda enterprise: _move(_lock(enterprise, None), Stage.LEVEL2_SHORTLISTED, by=by, reason=reason, at=at),
        lambda enterprise: enterprise.legal_name,
    )


@dataclass(frozen=True)
class ShortlistRow:
    eoi: ExpressionOfInterest
    candidate: path.Candidate
    enterprise_stage: str


def shortlisting_candidates(batch: Level1Batch) -> list[ShortlistRow]:
    """The call's screened EOIs not yet shortlisted, ranked by what officers weigh. Two queries."""
    met = Q(current_screening__criteria__verdict="met")
    conditional = Q(current_screening__criteria__verdict="conditional")
    not_met = Q(current_screening__criteria__verdict="not_met")
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
            may_return = not follows_this and enterprise["stage"] in path.FINAL
            if not (waiting or may_return):
                continue
            stage = enterprise["stage"]
        candidate = path.Candidate(
            eoi_id=eoi.pk,
            admissible=path.eoi_admissible(eoi.result, eoi.result_overridden),
            criteria_met=eoi.criteria_met,
            criteria_conditional=eoi.criteria_conditional,
            criteria_not_met=eoi.criteria_not_met,
            commitment=path.commitment_score(eoi),
            workforce=eoi.workforce_total,
        )
        rows.append(ShortlistRow(eoi, candidate, stage))
    return sorted(rows, key=lambda row: path.rank_key(row.candidate))


# ---------------------------------------------------------------- pipeline and list reads
def enterprises_filtered(*, q="", stage="", reached="", call=None, batch=None):
    """The enterprise list behind every number of the pipeline; one query per page."""
    qs = Enterprise.objects.select_related("call", "batch").order_by("legal_name", "pk")
    if q:
        qs = qs.filter(Q(legal_name__icontains=q) | Q(city__icontains=q) | Q(registration_key__icontains=q))
    if stage:
        qs = qs.filter(stage=stage)
    if call:
        qs = qs.filter(call=call)
    if batch:
        qs = qs.filter(batch=batch)
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
        "funnel": path.funnel_bars(reached),
    }


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


def batches_with_seats() -> list[dict]:
    """Every batch with its places taken and left; two queries."""
    batches = list(Level1Batch.objects.select_related("call").order_by("-call__opens_on", "name"))
    taken = {
        row["batch"]: row["n"]
        for row in Enterprise.objects.filter(batch__isnull=False)
        .exclude(stage__in=path.EXITS)
        .values("batch")
        .annotate(n=Count("pk"))
        .order_by()
    }
    return [{"batch": b, "taken": taken.get(b.pk, 0), "left": max(b.capacity - taken.get(b.pk, 0), 0)} for b in batches]
