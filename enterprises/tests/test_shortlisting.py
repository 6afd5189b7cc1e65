"""Shortlisting for a Level 1 batch: ranking, capacity, overrides, all or nothing."""

import pytest
from django.core.exceptions import ValidationError

from enterprises.models import Enterprise, ExpressionOfInterest, Stage
from enterprises.path import rules as path_rules
from enterprises.path import selectors as path_selectors
from enterprises.path import services as path_services
from enterprises.tests.factories import CallFactory
from enterprises.tests.test_path_helpers import INELIGIBLE, NEEDS_REVIEW, batch_for, screened_eoi

pytestmark = pytest.mark.django_db


def test_ranking_lists_the_unshortlisted_eligible_first(officer):
    call = CallFactory()
    small = screened_eoi(
        call,
        "4000-1",
        workforce_total=400,
        workforce_women=100,
        workforce_men=300,
        workforce_permanent=300,
        workforce_contract=100,
    )
    large = screened_eoi(call, "4000-2")
    review = screened_eoi(call, "4000-3", **NEEDS_REVIEW)
    ineligible = screened_eoi(call, "4000-4", **INELIGIBLE)
    other_call = screened_eoi(CallFactory(), "4000-5")
    batch = batch_for(call, capacity=2)
    rows = path_selectors.shortlisting_candidates(batch)
    assert [row.eoi for row in rows] == [large, small, review, ineligible]
    assert rows[0].candidate.criteria_met == 9 and rows[2].candidate.criteria_conditional == 1
    assert other_call not in [row.eoi for row in rows]

    path_services.shortlist_for_batch(batch, [large], by=officer, reason="Largest workforce")
    assert [row.eoi for row in path_selectors.shortlisting_candidates(batch)] == [small, review, ineligible]


def test_capacity_is_enforced(officer):
    call = CallFactory()
    batch = batch_for(call, capacity=2)
    eois = [screened_eoi(call, f"4100-{i}") for i in range(3)]
    with pytest.raises(ValidationError, match="picked 3 enterprises but the batch has only 2 free places"):
        path_services.shortlist_for_batch(batch, eois, by=officer, reason="All good")
    assert not Enterprise.objects.exists()

    path_services.shortlist_for_batch(batch, eois[:2], by=officer, reason="All good")
    assert path_selectors.seats_left(batch) == 0
    with pytest.raises(ValidationError, match="only 0 free places"):
        path_services.shortlist_for_batch(batch, eois[2:], by=officer, reason="One more")
    # Even one at a time through the general service, the full batch refuses.
    enterprise = path_services.register_enterprise(eois[2], by=officer)
    with pytest.raises(ValidationError, match="a free place in the batch"):
        path_services.transition(enterprise, Stage.SHORTLISTED, by=officer, batch=batch)


def test_a_withdrawal_frees_a_place(officer):
    call = CallFactory()
    batch = batch_for(call, capacity=1)
    first, second = screened_eoi(call, "4200-1"), screened_eoi(call, "4200-2")
    path_services.shortlist_for_batch(batch, [first], by=officer, reason="Best")
    enterprise = Enterprise.objects.get(expression_of_interest=first)
    path_services.transition(enterprise, Stage.WITHDRAWN, by=officer, reason="Changed its mind")
    path_services.shortlist_for_batch(batch, [second], by=officer, reason="Next in line")
    assert path_selectors.seats_left(batch) == 0


def test_ineligible_needs_an_override_justification_and_it_is_recorded(officer):
    call = CallFactory()
    batch = batch_for(call)
    good, bad = screened_eoi(call, "4300-1"), screened_eoi(call, "4300-2", **INELIGIBLE)
    with pytest.raises(ValidationError) as exc:
        path_services.shortlist_for_batch(batch, [good, bad], by=officer, reason="Pilot")
    assert "Enterprise 4300-2" in exc.value.messages[0]
    assert "override justification" in exc.value.messages[0]
    assert not Enterprise.objects.exists(), "all or nothing"

    path_services.shortlist_for_batch(
        batch, [good, bad], by=officer, reason="Pilot", override_justification="Workforce grew to 310 in 2018"
    )
    good_row = Enterprise.objects.get(expression_of_interest=good).transitions.get(to_stage=Stage.SHORTLISTED)
    bad_row = Enterprise.objects.get(expression_of_interest=bad).transitions.get(to_stage=Stage.SHORTLISTED)
    assert good_row.override_justification == ""
    assert bad_row.override_justification == "Workforce grew to 310 in 2018"
    assert (bad_row.by, bad_row.reason, bad_row.batch) == (officer, "Pilot", batch)


def test_reason_and_a_pick_are_required(officer):
    call = CallFactory()
    batch = batch_for(call)
    eoi = screened_eoi(call, "4400-1")
    with pytest.raises(ValidationError, match="Write why"):
        path_services.shortlist_for_batch(batch, [eoi], by=officer, reason=" ")
    with pytest.raises(ValidationError, match="Pick at least one"):
        path_services.shortlist_for_batch(batch, [], by=officer, reason="x")


def test_a_batch_takes_only_its_own_calls_eois(officer):
    batch = batch_for(CallFactory())
    eoi = screened_eoi(CallFactory(), "4500-1")
    with pytest.raises(ValidationError, match="another call"):
        path_services.shortlist_for_batch(batch, [eoi], by=officer, reason="x")


def test_the_database_ranks_as_the_rules_do(officer):
    """The candidates are ranked and counted in the database (the page reads one page of them): the
    order and the weights are rules.rank_key's, eoi_admissible's and commitment_score's."""
    call = CallFactory()
    varied = [
        {},
        NEEDS_REVIEW,
        INELIGIBLE,
        {
            "ceo_available": False,
            "nominee_name": "A. Khan",
            "nominee_position": "Director",
            "nominee_has_authority": True,
        },
        {
            "ceo_available": False,
            "nominee_name": "B. Shah",
            "nominee_position": "Manager",
            "nominee_has_authority": False,
        },
        {"shares_order_status": False},
        {"shares_baseline_data": False, "shares_order_status": False},
        {
            "workforce_total": 900,
            "workforce_permanent": 700,
            "workforce_contract": 200,
            "workforce_women": 400,
            "workforce_men": 500,
            "workforce_managers": 90,
            "workforce_workers": 810,
        },
        {**NEEDS_REVIEW, "compliance_officer": "willing"},
    ]
    eois = [screened_eoi(call, f"4300-{i}", **answers) for i, answers in enumerate(varied)]
    overridden = eois[1]
    overridden.result_overridden = True
    overridden.save(update_fields=["result_overridden"])
    batch = batch_for(call, capacity=3)
    ranked = path_selectors.ranked_candidates(batch)
    assert ranked.count() == len(eois)
    candidates = [r.candidate for r in ranked[:]]
    by_id = {eoi.pk: eoi for eoi in ExpressionOfInterest.objects.filter(pk__in=[e.pk for e in eois])}
    for candidate in candidates:
        eoi = by_id[candidate.eoi_id]
        assert candidate.admissible == path_rules.eoi_admissible(eoi.result, eoi.result_overridden)
        assert candidate.commitment == path_rules.commitment_score(eoi)
    assert candidates == sorted(candidates, key=path_rules.rank_key)
    assert len({c.commitment for c in candidates}) >= 3 and {c.admissible for c in candidates} == {True, False}
    # A page of the ranking is its slice, and a later page goes on where the first ended.
    assert [r.candidate for r in ranked[2:5]] == candidates[2:5]
