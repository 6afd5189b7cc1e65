"""Writes of the enterprise's path through the programme, and of who works with it (assigned
consultants, the enterprise's own contact).

Every change of stage goes through `_move`, called with the enterprise row locked
(select_for_update) inside a transaction: it re-reads the stage, asks the guards in
`rules.py` and records who, when and why in a StageTransition.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from score_portal import notifications
from score_portal.models import NotificationKind
from score_portal.roles import ENTERPRISE_CONTACT, display_name, is_consultant, role_group

from ..models import (
    CeoMeeting,
    ConsultantAssignment,
    Enterprise,
    EnterpriseContact,
    ExpressionOfInterest,
    Level1Batch,
    ScreeningOutcome,
    Stage,
    StageTransition,
)
from . import conditions, letters, rules, selectors


# ---------------------------------------------------------------- the one transition service
def _lock(enterprise: Enterprise, expected_stage: str | None) -> Enterprise:
    """Lock the enterprise row and make sure nobody moved it since the caller read it."""
    locked = Enterprise.objects.select_for_update().select_related("expression_of_interest").get(pk=enterprise.pk)
    expected = expected_stage if expected_stage is not None else enterprise.stage
    if locked.stage != expected:
        last = locked.transitions.select_related("by").order_by("-at", "-pk").first()
        raise ValidationError(
            _("This enterprise was just moved to “%(stage)s” by %(who)s; reload the page.")
            % {"stage": rules.stage_label(locked.stage), "who": display_name(last.by if last else None)},
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
    data_justification: str = "",
    batch: Level1Batch | None = None,
    eoi: ExpressionOfInterest | None = None,
    at: datetime.datetime | None = None,
) -> StageTransition:
    """Check and record one step. The caller holds the row lock and has set the step's own facts."""
    reason = (reason or "").strip()
    override_justification = (override_justification or "").strip()
    data_justification = (data_justification or "").strip()
    if batch is not None:
        batch = Level1Batch.objects.select_for_update().get(pk=batch.pk)
    facts = selectors.gather_facts(enterprise, batch=batch, eoi=eoi)
    from_stage = enterprise.stage
    passed = rules.check_transition(
        from_stage,
        to_stage,
        facts,
        reason=reason,
        override_justification=override_justification,
        data_justification=data_justification,
    )
    _date_the_step(enterprise, to_stage, facts, at)
    eoi = eoi or enterprise.expression_of_interest
    used_override = to_stage in (Stage.SCREENED, Stage.SHORTLISTED) and not rules.eoi_admissible(
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
    _tell_contacts(enterprise, to_stage)
    if not eoi.on_the_path:  # a later call's EOI that the path now follows
        mark_on_the_path([eoi.pk])
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
        data_missing="; ".join(passed),
        data_justification=data_justification if passed else "",
    )


# The steps the enterprise's own contacts are told about, in the portal and by email.
TOLD_TO_CONTACTS = {
    Stage.SHORTLISTED: (
        NotificationKind.SHORTLISTED,
        gettext_lazy("%(name)s is shortlisted for Level 1 of SCORE Training"),
        gettext_lazy("The ILO will contact you to arrange an individual meeting with your CEO or main decision-maker."),
    ),
    Stage.LEVEL1_ACCEPTED: (
        NotificationKind.ACCEPTED,
        gettext_lazy("%(name)s is accepted into Level 1 of SCORE Training"),
        gettext_lazy("Level 1 runs for about three to four months: classroom days and consultancy in your factory."),
    ),
}


def mark_on_the_path(eoi_ids) -> None:
    """The EOIs for which a step of an enterprise's path is being recorded: no decision awaits them
    any more (screening.selectors.decided). Every writer of a StageTransition calls this."""
    ExpressionOfInterest.objects.filter(pk__in=eoi_ids, on_the_path=False).update(on_the_path=True)


def _tell_contacts(enterprise: Enterprise, to_stage: str) -> None:
    if to_stage not in TOLD_TO_CONTACTS:
        return
    kind, title, body = TOLD_TO_CONTACTS[to_stage]
    users = [contact.user for contact in enterprise.contacts.select_related("user")]
    # In the enterprise's language, as its letters, whatever language the officer reads the portal in.
    with translation.override(letters.language_of(enterprise)):
        notifications.notify_many(
            users,
            kind=kind,
            ref=f"enterprise-{enterprise.pk}:{to_stage}:{enterprise.call_id}",
            title=str(title) % {"name": enterprise.legal_name},
            body=str(body),
            url=reverse("enterprises:my_enterprise"),
        )


def _date_the_step(enterprise: Enterprise, to_stage: str, facts: rules.PathFacts, at) -> None:
    """The dates a data-backed step leaves on the enterprise, from the data itself unless given."""
    day = timezone.localdate(at) if at else timezone.localdate()
    if to_stage == Stage.BASELINE_DONE and enterprise.baseline_done_on is None:
        enterprise.baseline_done_on = facts.basic_round_held_on or day
    elif to_stage == Stage.LEVEL1_COMPLETED:
        enterprise.level1_completed_on = enterprise.level1_completed_on or day
        if enterprise.comprehensive_baseline_on is None:
            enterprise.comprehensive_baseline_on = facts.comprehensive_round_held_on


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
    data_justification: str = "",
    batch: Level1Batch | None = None,
    at: datetime.datetime | None = None,
) -> StageTransition:
    """Move an enterprise one step along the path, or refuse with what is missing.

    `expected_stage` is the stage the officer saw (default: the stage of the object passed in);
    if another officer moved the enterprise meanwhile, the move is refused. `on` is the date the
    step happened, for the steps that have one (baseline, Level 1 completed, interest registered);
    the data-backed steps otherwise take it from their data. `data_justification` passes the data
    gates (a round, attendance, visits, the first Level 2 workshop) and is recorded on the step.
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
        locked,
        to_stage,
        by=by,
        reason=reason,
        override_justification=override_justification,
        data_justification=data_justification,
        batch=batch,
        at=at,
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
    if locked.stage not in rules.MEETING_STAGES:
        raise ValidationError(
            _(
                "A meeting with the CEO is recorded after the shortlisting and before the acceptance into Level 1; "
                "the enterprise is at “%(stage)s”."
            )
            % {"stage": rules.stage_label(locked.stage)},
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
            mark_on_the_path([eoi.pk])
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
        if not advance or enterprise.stage != Stage.EOI_RECEIVED or eoi.result == ScreeningOutcome.PENDING:
            return enterprise
        reason = _screened_reason(eoi)
    elif enterprise.stage in rules.FINAL:
        # A later call: the path starts again from this EOI.
        reason = _received_reason(eoi) + " " + _screened_reason(eoi)
    else:
        raise ValidationError(
            _(
                "%(name)s is already on the path under “%(call)s” (“%(stage)s”); it can answer a later call "
                "once that path has ended (completed, withdrawn or not selected)."
            )
            % {"name": enterprise.legal_name, "call": enterprise.call, "stage": rules.stage_label(enterprise.stage)},
            code="already_on_path",
        )
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
    rules.check_capacity(len(eois), selectors.seats_left(batch))

    def shortlist(eoi):
        if eoi.call_id != batch.call_id:
            raise ValidationError(
                _("it answered another call than the batch's (“%(call)s”)") % {"call": batch.call}, code="call"
            )
        enterprise = register_enterprise(eoi, by=by, override_justification=override_justification, at=at)
        record = _move(
            _lock(enterprise, None),
            Stage.SHORTLISTED,
            by=by,
            reason=reason,
            override_justification=override_justification,
            batch=batch,
            at=at,
        )
        # Staff it promised to hire if selected: now it is, and the promise falls due.
        conditions.conditions_from_screening(enterprise, on=timezone.localdate(record.at))
        return record

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


def register_level2_interest(enterprise: Enterprise, *, by, on: datetime.date | None = None) -> StageTransition:
    """Key step 4: the enterprise (its contact, or an officer for it) registers its interest in the
    full SCORE package once Level 1 is completed."""
    return transition(
        enterprise,
        Stage.LEVEL2_INTEREST,
        by=by,
        reason=_("Interest in the full SCORE package registered by %(who)s.") % {"who": display_name(by)},
        on=on or timezone.localdate(),
    )


# ---------------------------------------------------------------- consultants and contacts
@transaction.atomic
def assign_consultant(enterprise, consultant, *, by):
    """Give a consultant access to an enterprise. Assigning twice changes nothing."""
    if not is_consultant(consultant):
        raise ValidationError(
            {"consultant": _("%(name)s is not a consultant.") % {"name": consultant.get_username()}},
            code="not_consultant",
        )
    assignment, created = ConsultantAssignment.objects.get_or_create(
        enterprise=enterprise, consultant=consultant, defaults={"assigned_by": by}
    )
    if created:
        notifications.notify(
            user=consultant,
            kind=NotificationKind.ASSIGNED,
            ref=f"assignment-{assignment.pk}",
            title=_("%(name)s is assigned to you") % {"name": enterprise.legal_name},
            body=_("%(officer)s assigned %(name)s, %(city)s, to you.")
            % {"officer": display_name(by), "name": enterprise.legal_name, "city": enterprise.city},
            url=reverse("enterprises:enterprise_detail", args=[enterprise.pk]),
        )
    return assignment


@transaction.atomic
def unassign_consultant(enterprise, consultant, *, by) -> None:
    for assignment in ConsultantAssignment.objects.filter(enterprise=enterprise, consultant=consultant):
        # simple_history records the removal; the request middleware names who did it.
        assignment._history_user = by
        assignment.delete()


@transaction.atomic
def link_contact(user, enterprise, *, position: str = ""):
    """Make a user the enterprise's contact (role "Enterprise contact"), seeing only that enterprise."""
    user.groups.add(role_group(ENTERPRISE_CONTACT))
    contact = EnterpriseContact.objects.filter(user=user).first()
    if contact is None:
        return EnterpriseContact.objects.create(user=user, enterprise=enterprise, position=position)
    if (contact.enterprise_id, contact.position) != (enterprise.pk, position):
        # Only a real change is saved, so that the history holds changes and nothing else.
        contact.enterprise, contact.position = enterprise, position
        contact.save()
    return contact


# ---------------------------------------------------------------- many enterprises at once (the list's bulk actions)
@dataclass(frozen=True)
class BulkOutcome:
    """What a bulk action did to one enterprise (or expression of interest): done, or refused with the reason."""

    enterprise: Enterprise | ExpressionOfInterest
    done: bool
    message: str


def bulk_assign_consultant(enterprises, consultant, *, by) -> list[BulkOutcome]:
    """Assign one consultant to each enterprise the rules allow; each assignment stands on its own,
    so one refusal takes nothing from the others."""
    outcomes = []
    already = set(
        ConsultantAssignment.objects.filter(enterprise__in=enterprises, consultant=consultant).values_list(
            "enterprise_id", flat=True
        )
    )
    for enterprise in enterprises:
        refusal = rules.assignment_refusal(enterprise.stage)
        if refusal:
            outcomes.append(BulkOutcome(enterprise, False, _("Not assigned: %(why)s.") % {"why": refusal}))
        elif enterprise.pk in already:
            outcomes.append(BulkOutcome(enterprise, True, _("Already assigned.")))
        else:
            try:
                assign_consultant(enterprise, consultant, by=by)
            except ValidationError as exc:
                outcomes.append(BulkOutcome(enterprise, False, " ".join(exc.messages)))
            else:
                outcomes.append(BulkOutcome(enterprise, True, _("Assigned.")))
    return outcomes


def bulk_transition(enterprises, to_stage: str, *, by, reason: str = "", on=None) -> list[BulkOutcome]:
    """Move each enterprise one step where every guard allows; the others are listed with what the
    guards found missing. Each move is its own transaction, as on the enterprise page."""
    outcomes = []
    for enterprise in enterprises:
        try:
            transition(enterprise, to_stage, by=by, reason=reason, expected_stage=enterprise.stage, on=on)
        except ValidationError as exc:
            outcomes.append(BulkOutcome(enterprise, False, " ".join(exc.messages)))
        else:
            outcomes.append(
                BulkOutcome(enterprise, True, _("Moved to “%(stage)s”.") % {"stage": rules.stage_label(to_stage)})
            )
    return outcomes


def bulk_register(eois, *, by) -> list[BulkOutcome]:
    """Register each EOI as an enterprise on the path ("screened") where the guards allow: an eligible
    result, or an officer's override. The others are listed with the reason; none needs the others."""
    outcomes = []
    for eoi in eois:
        try:
            enterprise = register_enterprise(eoi, by=by)
        except ValidationError as exc:
            outcomes.append(BulkOutcome(eoi, False, " ".join(exc.messages)))
        else:
            outcomes.append(
                BulkOutcome(eoi, True, _("On the path: “%(stage)s”.") % {"stage": enterprise.get_stage_display()})
            )
    return outcomes
