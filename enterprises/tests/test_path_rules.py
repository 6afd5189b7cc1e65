"""The path's rules as plain functions: no database, no HTTP."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from enterprises.models import ScreeningOutcome, Stage
from enterprises.path import rules as path


def facts(stage, **extra):
    return path.PathFacts(stage=stage, **{"eoi_result": ScreeningOutcome.ELIGIBLE, **extra})


def refusal(from_stage, to_stage, f, **kwargs) -> str:
    with pytest.raises(ValidationError) as exc:
        path.check_transition(from_stage, to_stage, f, **kwargs)
    return " ".join(exc.value.messages)


def test_every_stage_but_the_final_ones_can_exit_with_a_reason():
    for stage in path.MAIN_LINE:
        if stage in path.FINAL:
            continue
        for exit_stage in path.EXITS:
            path.check_transition(stage, exit_stage, facts(stage), reason="Changed owners")
            assert "a reason" in refusal(stage, exit_stage, facts(stage), reason="  ")


def test_final_stages_go_nowhere_but_back_to_screened_with_a_new_call():
    for stage in path.FINAL:
        assert "only an expression of interest to a later call" in refusal(stage, Stage.SHORTLISTED, facts(stage))
        assert "an expression of interest to a later call" in refusal(stage, Stage.SCREENED, facts(stage))
        path.check_transition(stage, Stage.SCREENED, facts(stage, new_call_eoi=True))


def test_skipping_steps_is_refused_with_the_way_forward():
    message = refusal(Stage.SCREENED, Stage.LEVEL1_COMPLETED, facts(Stage.SCREENED))
    assert "From “Screened” the path goes to “Shortlisted for a Level 1 batch”" in message
    assert "Level 1 completed" in message


def test_the_same_stage_again_is_refused():
    assert "already at" in refusal(Stage.SCREENED, Stage.SCREENED, facts(Stage.SCREENED))


def test_unknown_stage_is_refused():
    assert "not a stage" in refusal(Stage.SCREENED, "graduated", facts(Stage.SCREENED))


@pytest.mark.parametrize(
    ("result", "overridden", "justification", "allowed"),
    [
        (ScreeningOutcome.ELIGIBLE, False, "", True),
        (ScreeningOutcome.ELIGIBLE, True, "", True),
        (ScreeningOutcome.NEEDS_REVIEW, True, "", True),
        (ScreeningOutcome.NEEDS_REVIEW, False, "", False),
        (ScreeningOutcome.INELIGIBLE, False, "", False),
        (ScreeningOutcome.INELIGIBLE, True, "", False),
        (ScreeningOutcome.INELIGIBLE, False, "Workforce grew to 320 since the EOI", True),
    ],
)
def test_shortlisting_needs_eligibility_or_an_override(result, overridden, justification, allowed):
    f = facts(Stage.SCREENED, eoi_result=result, eoi_overridden=overridden, batch_id=1, batch_seats_left=3)
    if allowed:
        path.check_transition(Stage.SCREENED, Stage.SHORTLISTED, f, override_justification=justification)
    else:
        message = refusal(Stage.SCREENED, Stage.SHORTLISTED, f, override_justification=justification)
        assert "an eligible screening result or an override justification" in message
        assert str(ScreeningOutcome(result).label) in message


def test_shortlisting_needs_a_batch_of_the_call_with_room():
    assert "a Level 1 batch" in refusal(Stage.SCREENED, Stage.SHORTLISTED, facts(Stage.SCREENED))
    full = facts(Stage.SCREENED, batch_id=1, batch_seats_left=0)
    assert "a free place in the batch (it is full)" in refusal(Stage.SCREENED, Stage.SHORTLISTED, full)
    other_call = facts(Stage.SCREENED, batch_id=1, batch_seats_left=2, batch_call_matches=False)
    assert "the enterprise's own call" in refusal(Stage.SCREENED, Stage.SHORTLISTED, other_call)


def test_acceptance_into_level1_needs_the_meeting_commitment_and_baseline():
    message = refusal(Stage.SHORTLISTED, Stage.LEVEL1_ACCEPTED, facts(Stage.SHORTLISTED))
    assert "the meeting with the CEO or main decision-maker" in message
    assert "the basic baseline assessment" in message

    no_commitment = facts(Stage.BASELINE_DONE, ceo_meeting_held=True, baseline_done=True)
    message = refusal(Stage.BASELINE_DONE, Stage.LEVEL1_ACCEPTED, no_commitment)
    assert "commitment shown at the meeting with the CEO" in message
    assert "baseline" not in message

    no_baseline = facts(Stage.CEO_MEETING_HELD, ceo_meeting_held=True, commitment_shown=True)
    message = refusal(Stage.CEO_MEETING_HELD, Stage.LEVEL1_ACCEPTED, no_baseline)
    assert "the basic baseline assessment" in message and "commitment" not in message

    ready = facts(Stage.BASELINE_DONE, ceo_meeting_held=True, commitment_shown=True, baseline_done=True)
    path.check_transition(Stage.BASELINE_DONE, Stage.LEVEL1_ACCEPTED, ready)


def test_baseline_needs_the_meeting_and_a_complete_round():
    message = refusal(Stage.CEO_MEETING_HELD, Stage.BASELINE_DONE, facts(Stage.CEO_MEETING_HELD))
    assert "a basic baseline measurement round" in message
    gaps = facts(Stage.CEO_MEETING_HELD, ceo_meeting_held=True, basic_round_exists=True, basic_round_gaps=5)
    assert "5 input-months neither entered nor marked “not tracked”" in refusal(
        Stage.CEO_MEETING_HELD, Stage.BASELINE_DONE, gaps
    )
    path.check_transition(
        Stage.CEO_MEETING_HELD,
        Stage.BASELINE_DONE,
        facts(Stage.CEO_MEETING_HELD, ceo_meeting_held=True, baseline_done=True),
    )


def test_level2_shortlisting_needs_level1_completed_interest_and_comprehensive_baseline():
    message = refusal(
        Stage.LEVEL1_COMPLETED, Stage.LEVEL2_SHORTLISTED, facts(Stage.LEVEL1_COMPLETED, level1_completed=True)
    )
    assert "interest in the full package registered" in message
    assert "the comprehensive baseline at the end of Level 1" in message
    assert "Level 1 completed;" not in message

    ready = facts(Stage.LEVEL2_INTEREST, level1_completed=True, level2_interest=True, comprehensive_baseline_done=True)
    path.check_transition(Stage.LEVEL2_INTEREST, Stage.LEVEL2_SHORTLISTED, ready)
    assert "Level 1 completed" in " ".join(path.missing_for(Stage.LEVEL2_SHORTLISTED, facts(Stage.LEVEL2_INTEREST)))


def test_level1_completed_needs_the_classroom_days_the_visits_and_the_comprehensive_round():
    message = refusal(
        Stage.LEVEL1_ACCEPTED,
        Stage.LEVEL1_COMPLETED,
        facts(Stage.LEVEL1_ACCEPTED, classroom_days_attended=(1, 3), visits_done=1, visits_required=3),
    )
    assert "attendance at Level 1 classroom day 2 (at least one participant of the enterprise each day)" in message
    assert "3 Level 1 consultancy visits (the call's minimum; 1 submitted)" in message
    assert "a comprehensive baseline measurement round" in message
    ready = facts(
        Stage.LEVEL1_ACCEPTED,
        classroom_days_attended=(1, 2, 3),
        visits_done=3,
        visits_required=3,
        comprehensive_baseline_done=True,
    )
    path.check_transition(Stage.LEVEL1_ACCEPTED, Stage.LEVEL1_COMPLETED, ready)


def test_level2_in_progress_needs_the_first_workshop_of_its_group():
    assert "a place in a Level 2 group" in refusal(
        Stage.LEVEL2_SHORTLISTED, Stage.LEVEL2_IN_PROGRESS, facts(Stage.LEVEL2_SHORTLISTED)
    )
    waiting = facts(Stage.LEVEL2_SHORTLISTED, level2_group="Lahore 1")
    assert "the first workshop of its Level 2 group (“Lahore 1”) held" in refusal(
        Stage.LEVEL2_SHORTLISTED, Stage.LEVEL2_IN_PROGRESS, waiting
    )
    started = facts(Stage.LEVEL2_SHORTLISTED, level2_group="Lahore 1", level2_started_on=datetime.date(2026, 1, 5))
    path.check_transition(Stage.LEVEL2_SHORTLISTED, Stage.LEVEL2_IN_PROGRESS, started)


def test_a_written_justification_passes_the_data_gates_and_nothing_else():
    no_data = facts(Stage.CEO_MEETING_HELD)
    passed = path.check_transition(
        Stage.CEO_MEETING_HELD,
        Stage.BASELINE_DONE,
        facts(Stage.CEO_MEETING_HELD, ceo_meeting_held=True),
        data_justification="Round kept on paper; entered next week",
    )
    assert passed == ["a basic baseline measurement round"]
    # The meeting is a record of its own, not data a justification stands in for.
    message = refusal(Stage.CEO_MEETING_HELD, Stage.BASELINE_DONE, no_data, data_justification="Trust me")
    assert "the meeting with the CEO" in message and "baseline measurement round" not in message


def test_level2_past_fifteen_months_is_warned():
    started = datetime.date(2025, 1, 10)
    assert path.level2_span_warning(started, datetime.date(2026, 4, 10)) == ""
    warning = path.level2_span_warning(started, datetime.date(2026, 5, 11))
    assert "16 months ago" in warning and "12–15 months" in warning
    assert path.level2_span_warning(started, datetime.date(2026, 5, 11), completed=True) == ""


def test_dated_steps_need_their_date():
    assert "the date the interest in the full package was registered" in refusal(
        Stage.LEVEL1_COMPLETED, Stage.LEVEL2_INTEREST, facts(Stage.LEVEL1_COMPLETED, level1_completed=True)
    )
    path.check_transition(Stage.LEVEL2_IN_PROGRESS, Stage.LEVEL2_COMPLETED, facts(Stage.LEVEL2_IN_PROGRESS))


def test_screening_step_needs_a_screened_admissible_eoi():
    pending = facts(Stage.EOI_RECEIVED, eoi_result=ScreeningOutcome.PENDING)
    assert "the screening of the expression of interest" in refusal(Stage.EOI_RECEIVED, Stage.SCREENED, pending)
    ineligible = facts(Stage.EOI_RECEIVED, eoi_result=ScreeningOutcome.INELIGIBLE)
    assert "override justification" in refusal(Stage.EOI_RECEIVED, Stage.SCREENED, ineligible)


def test_next_steps_say_what_they_still_need():
    steps = {s.stage: s for s in path.next_steps(facts(Stage.SHORTLISTED))}
    assert steps[Stage.CEO_MEETING_HELD].missing == []
    assert steps[Stage.CEO_MEETING_HELD].action == "ceo_meeting"
    assert any("the basic baseline assessment" in m for m in steps[Stage.LEVEL1_ACCEPTED].missing)

    steps = path.next_steps(facts(Stage.CEO_MEETING_HELD, ceo_meeting_held=True, commitment_shown=False))
    baseline = next(s for s in steps if s.stage == Stage.BASELINE_DONE)
    # The round is data entered before the step, not the step's own record: it is listed.
    assert baseline.missing == ["a basic baseline measurement round"]
    steps = path.next_steps(facts(Stage.CEO_MEETING_HELD, ceo_meeting_held=True, baseline_done=True))
    assert next(s for s in steps if s.stage == Stage.BASELINE_DONE).missing == []
    acceptance = next(s for s in steps if s.stage == Stage.LEVEL1_ACCEPTED)
    assert "commitment shown at the meeting with the CEO" in acceptance.missing

    assert path.next_steps(facts(Stage.WITHDRAWN)) == []
    [level2] = [
        s
        for s in path.next_steps(facts(Stage.LEVEL1_COMPLETED, level1_completed=True))
        if s.stage.startswith("level2_s")
    ]
    assert "interest in the full package registered" in level2.missing


def test_ranking_puts_eligible_strong_committed_large_first():
    c = path.Candidate
    ranked = sorted(
        [
            c(
                1,
                admissible=False,
                criteria_met=9,
                criteria_conditional=0,
                criteria_not_met=0,
                commitment=4,
                workforce=2000,
            ),
            c(
                2,
                admissible=True,
                criteria_met=8,
                criteria_conditional=1,
                criteria_not_met=0,
                commitment=4,
                workforce=900,
            ),
            c(
                3,
                admissible=True,
                criteria_met=9,
                criteria_conditional=0,
                criteria_not_met=0,
                commitment=2,
                workforce=400,
            ),
            c(
                4,
                admissible=True,
                criteria_met=9,
                criteria_conditional=0,
                criteria_not_met=0,
                commitment=4,
                workforce=350,
            ),
            c(
                5,
                admissible=True,
                criteria_met=9,
                criteria_conditional=0,
                criteria_not_met=0,
                commitment=4,
                workforce=1200,
            ),
        ],
        key=path.rank_key,
    )
    assert [x.eoi_id for x in ranked] == [5, 4, 3, 2, 1]


def test_capacity_check_names_the_free_places():
    path.check_capacity(3, 3)
    with pytest.raises(ValidationError, match="only 2 free places"):
        path.check_capacity(3, 2)
