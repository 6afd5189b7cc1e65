"""Submitting, screening and overriding expressions of interest, without HTTP."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from enterprises.models import ExpressionOfInterest, ResultChange, ScreeningOutcome
from enterprises.screening import services
from enterprises.tests.factories import CallFactory, eoi_data

pytestmark = pytest.mark.django_db


def test_a_submission_gets_a_reference_numbered_within_its_call():
    call = CallFactory(opens_on=datetime.date(2018, 7, 1), closes_on=datetime.date(2018, 8, 10))
    today = datetime.date(2018, 7, 20)
    first = services.submit_expression_of_interest(call, eoi_data(registration_number="111"), today=today)
    second = services.submit_expression_of_interest(call, eoi_data(registration_number="222"), today=today)
    assert first.reference == "SCORE-PK-2018-0001"
    assert second.reference == "SCORE-PK-2018-0002"
    assert first.status_token != second.status_token and len(first.status_token) >= 32


def test_a_submission_is_screened_at_once_with_the_thresholds_it_used():
    eoi = services.submit_expression_of_interest(CallFactory(), eoi_data())
    eoi.refresh_from_db()
    assert eoi.result == ScreeningOutcome.ELIGIBLE
    assert eoi.current_screening.thresholds["min_workforce"] == 300
    assert eoi.current_screening.criteria.count() == 9
    change = eoi.result_changes.get()
    assert change.source == ResultChange.Source.AUTOMATIC and change.changed_by is None
    assert (change.from_result, change.to_result) == (ScreeningOutcome.PENDING, ScreeningOutcome.ELIGIBLE)


def test_the_same_registration_number_twice_in_a_call_is_refused_with_whom_to_contact():
    call = CallFactory(contact_name="Sadia Hameed", contact_email="hameeds@ilo.org")
    services.submit_expression_of_interest(call, eoi_data(registration_number="1234567-8"))
    with pytest.raises(services.DuplicateExpressionOfInterest) as refused:
        services.submit_expression_of_interest(call, eoi_data(registration_number=" 12345678 "))
    assert "already exists" in refused.value.messages[0]
    assert "Sadia Hameed" in refused.value.messages[0] and "hameeds@ilo.org" in refused.value.messages[0]
    assert ExpressionOfInterest.objects.count() == 1


def test_the_same_registration_number_may_answer_another_call():
    services.submit_expression_of_interest(CallFactory(), eoi_data())
    services.submit_expression_of_interest(CallFactory(), eoi_data())
    assert ExpressionOfInterest.objects.count() == 2


def test_same_name_and_city_is_flagged_on_both_as_a_possible_duplicate():
    call = CallFactory()
    first = services.submit_expression_of_interest(call, eoi_data(registration_number="1", legal_name="Gul Ahmed"))
    second = services.submit_expression_of_interest(call, eoi_data(registration_number="2", legal_name="GUL AHMED "))
    other = services.submit_expression_of_interest(call, eoi_data(registration_number="3", legal_name="Nishat"))
    first.refresh_from_db()
    assert first.possible_duplicate and second.possible_duplicate
    assert not other.possible_duplicate


def test_the_public_form_cannot_submit_after_the_close_date_but_an_officer_can_mark_it_late(officer):
    call = CallFactory(opens_on=datetime.date(2018, 7, 1), closes_on=datetime.date(2018, 8, 10))
    after = datetime.date(2018, 8, 11)
    with pytest.raises(services.CallClosed, match="closed on 10 August 2018"):
        services.submit_expression_of_interest(call, eoi_data(), today=after)
    assert not ExpressionOfInterest.objects.exists()
    late = services.submit_expression_of_interest(call, eoi_data(), today=after, entered_by=officer)
    assert late.is_late and late.entered_by == officer
    on_time = services.submit_expression_of_interest(
        call, eoi_data(registration_number="9"), today=datetime.date(2018, 8, 10), entered_by=officer
    )
    assert not on_time.is_late


def test_changing_a_call_threshold_does_not_change_past_results_until_an_officer_rescreens(officer):
    call = CallFactory()
    eoi = services.submit_expression_of_interest(
        call, eoi_data(workforce_total=320, workforce_women=120, workforce_men=200, workforce_permanent=100)
    )
    first_screening = eoi.current_screening
    call.min_workforce = 400
    call.save()
    eoi.refresh_from_db()
    assert eoi.result == ScreeningOutcome.ELIGIBLE

    services.screen_expression_of_interest(eoi, requested_by=officer, reason="Call raised to 400 workers")
    eoi.refresh_from_db()
    assert eoi.result == ScreeningOutcome.INELIGIBLE
    assert eoi.current_screening.thresholds["min_workforce"] == 400
    first_screening.refresh_from_db()
    assert first_screening.thresholds["min_workforce"] == 300
    latest = eoi.result_changes.first()
    assert latest.source == ResultChange.Source.RESCREENING
    assert latest.changed_by == officer and latest.justification == "Call raised to 400 workers"


def test_each_screening_keeps_the_tally_of_its_criteria(officer):
    call = CallFactory()
    eoi = services.submit_expression_of_interest(
        call, eoi_data(workforce_total=320, workforce_women=120, workforce_men=200, workforce_permanent=100)
    )

    def tally(screening):
        verdicts = [c.verdict for c in screening.criteria.all()]
        return {
            "criteria_met": verdicts.count("met"),
            "criteria_conditional": verdicts.count("conditional"),
            "criteria_not_met": verdicts.count("not_met"),
        }

    first = eoi.current_screening
    first.refresh_from_db()
    assert tally(first)["criteria_not_met"] == 0 and tally(first)["criteria_met"] > 0
    assert {name: getattr(first, name) for name in tally(first)} == tally(first)

    call.min_workforce = 400
    call.save()
    second = services.screen_expression_of_interest(eoi, requested_by=officer, reason="Call raised to 400 workers")
    second.refresh_from_db()
    assert tally(second)["criteria_not_met"] == 1
    assert {name: getattr(second, name) for name in tally(second)} == tally(second)
    first.refresh_from_db()
    assert first.criteria_not_met == 0  # the earlier screening keeps its own


def test_override_needs_a_written_justification(officer):
    eoi = services.submit_expression_of_interest(CallFactory(), eoi_data(hr_officer="no"))
    assert eoi.result == ScreeningOutcome.INELIGIBLE
    with pytest.raises(ValidationError) as refused:
        services.override_result(eoi, officer=officer, outcome=ScreeningOutcome.ELIGIBLE, justification="   ")
    assert "justification" in refused.value.message_dict
    eoi.refresh_from_db()
    assert eoi.result == ScreeningOutcome.INELIGIBLE and not eoi.result_overridden


def test_override_is_kept_in_the_history_with_who_and_why(officer):
    eoi = services.submit_expression_of_interest(CallFactory(), eoi_data(hr_officer="no"))
    services.override_result(
        eoi, officer=officer, outcome=ScreeningOutcome.ELIGIBLE, justification="HR officer hired on 1 Sept 2018"
    )
    eoi.refresh_from_db()
    assert eoi.result == ScreeningOutcome.ELIGIBLE and eoi.result_overridden
    history = list(eoi.result_changes.all())
    assert [h.source for h in history] == [ResultChange.Source.OVERRIDE, ResultChange.Source.AUTOMATIC]
    assert history[0].changed_by == officer
    assert history[0].justification == "HR officer hired on 1 Sept 2018"
    assert (history[0].from_result, history[0].to_result) == (ScreeningOutcome.INELIGIBLE, ScreeningOutcome.ELIGIBLE)


def test_an_override_to_the_same_result_is_refused(officer):
    eoi = services.submit_expression_of_interest(CallFactory(), eoi_data())
    with pytest.raises(ValidationError, match="already"):
        services.override_result(eoi, officer=officer, outcome=ScreeningOutcome.ELIGIBLE, justification="x")


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("0300-8486929", "+923008486929"),
        ("+92 300 8486929", "+923008486929"),
        ("0092-300-8486929", "+923008486929"),
        ("042-35761234", "+924235761234"),
        ("12345", None),
        ("0300-848692x", None),
    ],
)
def test_pakistani_phone_numbers(raw, normalised):
    assert services.normalise_phone(raw) == normalised


def test_the_database_refuses_an_inconsistent_workforce_even_without_forms():
    call = CallFactory()
    with pytest.raises(IntegrityError):
        services.submit_expression_of_interest(call, eoi_data(workforce_permanent=700))


def test_a_call_not_open_yet_says_when_it_opens():
    call = CallFactory(opens_on=datetime.date(2018, 7, 1), closes_on=datetime.date(2018, 8, 10))
    with pytest.raises(services.CallClosed, match="opens on 1 July 2018"):
        services.submit_expression_of_interest(call, eoi_data(), today=datetime.date(2018, 6, 5))
