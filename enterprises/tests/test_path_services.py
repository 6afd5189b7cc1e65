"""The one transition service and the writes around it, without HTTP."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from enterprises.models import CeoMeeting, Enterprise, Stage, StageTransition
from enterprises.path import selectors as path_selectors
from enterprises.path import services as path_services
from enterprises.screening import decisions
from enterprises.tests.factories import CallFactory
from enterprises.tests.test_path_helpers import (
    DAY,
    INELIGIBLE,
    NEEDS_REVIEW,
    override,
    screened_eoi,
    shortlisted,
    walk_to,
)

pytestmark = pytest.mark.django_db


def test_an_eligible_eoi_becomes_a_screened_enterprise_with_its_history(officer):
    call = CallFactory()
    eoi = screened_eoi(call, "3000-1", legal_name="Ravi Denim (Pvt) Ltd")
    enterprise = path_services.register_enterprise(eoi, by=officer)
    assert enterprise.stage == Stage.SCREENED
    assert enterprise.legal_name == "Ravi Denim (Pvt) Ltd" and enterprise.call == call
    received, screened = enterprise.transitions.all()
    assert (received.from_stage, received.to_stage, received.by) == ("", Stage.EOI_RECEIVED, None)
    assert eoi.reference in received.reason
    assert (screened.from_stage, screened.to_stage, screened.by) == (Stage.EOI_RECEIVED, Stage.SCREENED, officer)
    assert "Eligible" in screened.reason
    # Again: the same enterprise, no new rows.
    assert path_services.register_enterprise(eoi, by=officer) == enterprise
    assert enterprise.transitions.count() == 2


def test_an_ineligible_eoi_needs_an_override_justification(officer):
    eoi = screened_eoi(CallFactory(), "3000-2", **INELIGIBLE)
    with pytest.raises(ValidationError, match="override justification.*“Ineligible”"):
        path_services.register_enterprise(eoi, by=officer)
    assert not Enterprise.objects.exists()
    enterprise = path_services.register_enterprise(eoi, by=officer, override_justification="Now employs 320")
    assert enterprise.stage == Stage.SCREENED
    assert enterprise.transitions.last().override_justification == "Now employs 320"


def test_a_needs_review_eoi_goes_on_once_an_officer_overrides_it(officer):
    eoi = screened_eoi(CallFactory(), "3000-3", **NEEDS_REVIEW)
    with pytest.raises(ValidationError, match="“Needs review”"):
        path_services.register_enterprise(eoi, by=officer)
    override(eoi, officer, outcome="eligible", justification="HR officer hired last week")
    assert path_services.register_enterprise(eoi, by=officer).stage == Stage.SCREENED


def test_a_pending_eoi_waits_at_received(officer):
    eoi = screened_eoi(CallFactory(), "3000-4")
    type(eoi).objects.filter(pk=eoi.pk).update(result="pending")
    eoi.refresh_from_db()
    enterprise = path_services.register_enterprise(eoi, by=officer)
    assert enterprise.stage == Stage.EOI_RECEIVED
    with pytest.raises(ValidationError, match="the screening of the expression of interest"):
        path_services.transition(enterprise, Stage.SCREENED, by=officer)


def test_every_step_of_the_main_line_is_recorded_with_who_when_and_why(officer):
    started = timezone.now()
    enterprise = shortlisted(officer, number="3100-1")
    walk_to(enterprise, Stage.LEVEL2_COMPLETED, officer)
    finished = timezone.now()
    steps = list(enterprise.transitions.values_list("from_stage", "to_stage"))
    assert [to for _from, to in steps] == [
        Stage.EOI_RECEIVED,
        Stage.SCREENED,
        Stage.SHORTLISTED,
        Stage.CEO_MEETING_HELD,
        Stage.BASELINE_DONE,
        Stage.LEVEL1_ACCEPTED,
        Stage.LEVEL1_COMPLETED,
        Stage.LEVEL2_INTEREST,
        Stage.LEVEL2_SHORTLISTED,
        Stage.LEVEL2_IN_PROGRESS,
        Stage.LEVEL2_COMPLETED,
    ]
    assert all(a == b_from for (_x, a), (b_from, _y) in zip(steps, steps[1:], strict=False))
    for record in enterprise.transitions.exclude(to_stage=Stage.EOI_RECEIVED):
        assert record.by == officer
        assert started <= record.at <= finished  # when the step was taken (the column cannot be empty anyway)
        assert record.reason
    taken = list(enterprise.transitions.order_by("pk").values_list("at", flat=True))
    assert taken == sorted(taken)
    baseline = enterprise.transitions.get(to_stage=Stage.BASELINE_DONE)
    assert baseline.reason == "step baseline_done"
    assert enterprise.transitions.get(to_stage=Stage.SHORTLISTED).batch == enterprise.batch
    enterprise.refresh_from_db()
    assert enterprise.baseline_done_on == DAY and enterprise.level1_completed_on == DAY


def test_acceptance_refused_without_meeting_and_baseline_then_allowed(officer):
    enterprise = shortlisted(officer, number="3200-1")
    with pytest.raises(ValidationError) as exc:
        path_services.transition(enterprise, Stage.LEVEL1_ACCEPTED, by=officer)
    message = " ".join(exc.value.messages)
    assert "the meeting with the CEO or main decision-maker" in message and "the basic baseline assessment" in message
    assert enterprise.transitions.count() == 3

    walk_to(enterprise, Stage.BASELINE_DONE, officer, commitment=False)
    with pytest.raises(ValidationError, match="commitment shown at the meeting with the CEO"):
        path_services.transition(enterprise, Stage.LEVEL1_ACCEPTED, by=officer)
    # A second meeting, where commitment shows, is recorded without a change of stage.
    path_services.record_ceo_meeting(
        enterprise, by=officer, held_on=DAY, attendees="Managing director", commitment_shown=True
    )
    assert enterprise.stage == Stage.BASELINE_DONE and CeoMeeting.objects.count() == 2
    path_services.transition(enterprise, Stage.LEVEL1_ACCEPTED, by=officer, reason="Committed")
    assert enterprise.stage == Stage.LEVEL1_ACCEPTED


def test_meeting_needs_attendees_and_the_right_stage(officer):
    enterprise = shortlisted(officer, number="3200-3")
    with pytest.raises(ValidationError, match="who attended"):
        path_services.record_ceo_meeting(enterprise, by=officer, held_on=DAY, attendees=" ", commitment_shown=True)
    walk_to(enterprise, Stage.LEVEL1_ACCEPTED, officer)
    with pytest.raises(ValidationError, match="after the shortlisting and before the acceptance"):
        path_services.record_ceo_meeting(enterprise, by=officer, held_on=DAY, attendees="CEO", commitment_shown=True)


def test_level2_selection_refused_without_interest_then_allowed(officer):
    enterprise = walk_to(shortlisted(officer, number="3300-1"), Stage.LEVEL1_COMPLETED, officer)
    with pytest.raises(ValidationError, match="interest in the full package registered"):
        path_services.select_for_level2([enterprise], by=officer, reason="Good results")
    path_services.transition(enterprise, Stage.LEVEL2_INTEREST, by=officer, on=DAY)
    path_services.select_for_level2([enterprise], by=officer, reason="Good results")
    enterprise.refresh_from_db()
    assert enterprise.stage == Stage.LEVEL2_SHORTLISTED


def test_level2_selection_refused_without_level1_completed(officer):
    enterprise = walk_to(shortlisted(officer, number="3300-2"), Stage.LEVEL1_ACCEPTED, officer)
    with pytest.raises(ValidationError, match="From “Accepted into Level 1” the path goes to"):
        path_services.select_for_level2([enterprise], by=officer, reason="Good results")
    with pytest.raises(ValidationError, match="Write why"):
        path_services.select_for_level2([enterprise], by=officer, reason="")


def test_withdrawal_needs_a_reason_and_ends_the_path(officer):
    enterprise = shortlisted(officer, number="3400-1")
    with pytest.raises(ValidationError, match="a reason"):
        path_services.transition(enterprise, Stage.WITHDRAWN, by=officer, reason="")
    path_services.transition(enterprise, Stage.WITHDRAWN, by=officer, reason="Factory closed for renovation")
    record = enterprise.transitions.last()
    assert (record.to_stage, record.by, record.reason) == (Stage.WITHDRAWN, officer, "Factory closed for renovation")
    with pytest.raises(ValidationError, match="The path has ended"):
        path_services.transition(enterprise, Stage.CEO_MEETING_HELD, by=officer)


def test_not_selected_from_any_open_stage(officer):
    enterprise = walk_to(shortlisted(officer, number="3400-2"), Stage.LEVEL1_COMPLETED, officer)
    path_services.transition(enterprise, Stage.NOT_SELECTED, by=officer, reason="No interest in Level 2")
    assert enterprise.stage == Stage.NOT_SELECTED


def test_a_later_call_restarts_the_path_and_keeps_the_history(officer):
    first_call, later_call = CallFactory(), CallFactory()
    enterprise = shortlisted(officer, call=first_call, number="3500-1")
    later_eoi = screened_eoi(later_call, "3500-1")
    with pytest.raises(ValidationError, match="already on the path"):
        path_services.register_enterprise(later_eoi, by=officer)
    # Refused, the later EOI still awaits a decision; once the path follows it, it does not.
    assert later_eoi.pk in set(decisions.awaiting_decision().values_list("pk", flat=True))
    path_services.transition(enterprise, Stage.WITHDRAWN, by=officer, reason="Not this year")
    again = path_services.register_enterprise(later_eoi, by=officer)
    assert not decisions.awaiting_decision().filter(pk=later_eoi.pk).exists()
    assert again.pk == enterprise.pk
    assert (again.stage, again.call, again.batch) == (Stage.SCREENED, later_call, None)
    stages = list(again.transitions.values_list("to_stage", "call"))
    assert stages[:4] == [
        (Stage.EOI_RECEIVED, first_call.pk),
        (Stage.SCREENED, first_call.pk),
        (Stage.SHORTLISTED, first_call.pk),
        (Stage.WITHDRAWN, first_call.pk),
    ]
    assert stages[4] == (Stage.SCREENED, later_call.pk)


def test_a_stale_stage_is_refused_naming_who_moved_it(officer, django_user_model):
    enterprise = shortlisted(officer, number="3600-1")
    seen_by_other = Enterprise.objects.get(pk=enterprise.pk)
    path_services.transition(enterprise, Stage.WITHDRAWN, by=officer, reason="Closed")
    with pytest.raises(ValidationError, match="just moved to “Withdrawn” by Sadia Hameed; reload"):
        path_services.transition(seen_by_other, Stage.NOT_SELECTED, by=officer, reason="Other reason")
    with pytest.raises(ValidationError, match="just moved"):
        path_services.transition(
            enterprise, Stage.NOT_SELECTED, by=officer, reason="x", expected_stage=Stage.SHORTLISTED
        )
    assert StageTransition.objects.filter(enterprise=enterprise, to_stage=Stage.NOT_SELECTED).count() == 0


def test_timeline_lists_transitions_meetings_and_letters_in_order(officer):
    enterprise = walk_to(shortlisted(officer, number="3700-1"), Stage.CEO_MEETING_HELD, officer)
    kinds = [entry.kind for entry in path_selectors.timeline(enterprise)]
    assert kinds.count("transition") == 4 and kinds.count("meeting") == 1
