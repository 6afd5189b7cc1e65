"""The call's eligibility criteria, judged without the database or HTTP."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from enterprises.models import ScreeningOutcome, Verdict
from enterprises.screening import rules
from enterprises.tests.factories import eoi_data

PAKISTAN_2018 = rules.Thresholds(
    min_workforce=300,
    min_permanent_share=Decimal("25"),
    sub_sectors=("rmg_woven", "rmg_knitwear", "dyeing_woven", "dyeing_knitwear"),
)


def applicant(**overrides):
    return SimpleNamespace(**eoi_data(**overrides))


def verdict_of(code, eoi, thresholds=PAKISTAN_2018):
    return next(c for c in rules.screen(eoi, thresholds).criteria if c.code == code)


@pytest.mark.parametrize(("total", "expected"), [(299, Verdict.NOT_MET), (300, Verdict.MET), (301, Verdict.MET)])
def test_workforce_boundary(total, expected):
    eoi = applicant(workforce_total=total, workforce_women=100, workforce_men=total - 100, workforce_permanent=200)
    result = verdict_of("workforce", eoi)
    assert result.verdict == expected
    assert str(total) in result.reason and "300" in result.reason


@pytest.mark.parametrize(
    ("permanent", "expected", "shown"),
    [(249, Verdict.NOT_MET, "24.9%"), (250, Verdict.MET, "25.0%"), (251, Verdict.MET, "25.1%")],
)
def test_permanent_share_boundary(permanent, expected, shown):
    eoi = applicant(workforce_total=1000, workforce_women=400, workforce_men=600, workforce_permanent=permanent)
    result = verdict_of("permanent_share", eoi)
    assert result.verdict == expected
    assert f"{permanent} of 1000 = {shown}" in result.reason


def test_the_reason_quotes_the_numbers_as_an_officer_would_say_them():
    eoi = applicant(workforce_total=320, workforce_women=100, workforce_men=220, workforce_permanent=70)
    assert verdict_of("permanent_share", eoi).reason == "Permanent workforce 70 of 320 = 21.9%, below the 25% minimum."


def test_a_share_just_under_the_minimum_is_not_rounded_up():
    # 333 of 1333 is 24.98%: shown rounded as 25.0%, but still below the minimum.
    eoi = applicant(workforce_total=1333, workforce_women=333, workforce_men=1000, workforce_permanent=333)
    result = verdict_of("permanent_share", eoi)
    assert result.verdict == Verdict.NOT_MET


def test_zero_workforce_fails_size_and_share_without_dividing_by_zero():
    eoi = applicant(workforce_total=0, workforce_women=0, workforce_men=0, workforce_permanent=0)
    verdict = rules.screen(eoi, PAKISTAN_2018)
    assert verdict.outcome == ScreeningOutcome.INELIGIBLE
    assert verdict_of("permanent_share", eoi).reason == "No workforce reported, so no permanent share can be computed."


@pytest.mark.parametrize(
    ("status", "expected", "outcome"),
    [
        ("in_place", Verdict.MET, ScreeningOutcome.ELIGIBLE),
        ("willing", Verdict.CONDITIONAL, ScreeningOutcome.NEEDS_REVIEW),
        ("no", Verdict.NOT_MET, ScreeningOutcome.INELIGIBLE),
    ],
)
@pytest.mark.parametrize("role", ["hr_officer", "compliance_officer", "industrial_engineer"])
def test_staff_in_place_willing_to_hire_or_not(role, status, expected, outcome):
    eoi = applicant(**{role: status})
    assert verdict_of(role, eoi).verdict == expected
    assert rules.screen(eoi, PAKISTAN_2018).outcome == outcome


def test_nominee_with_decision_authority_is_accepted():
    eoi = applicant(
        ceo_available=False, nominee_name="Kamran Butt", nominee_position="Director", nominee_has_authority=True
    )
    result = verdict_of("decision_maker", eoi)
    assert result.verdict == Verdict.MET
    assert "Kamran Butt, Director" in result.reason


def test_nominee_without_decision_authority_is_not():
    eoi = applicant(
        ceo_available=False, nominee_name="Kamran Butt", nominee_position="Clerk", nominee_has_authority=False
    )
    result = verdict_of("decision_maker", eoi)
    assert result.verdict == Verdict.NOT_MET
    assert "no direct decision-making authority" in result.reason


def test_ceo_unavailable_and_nobody_named():
    assert verdict_of("decision_maker", applicant(ceo_available=False)).verdict == Verdict.NOT_MET


@pytest.mark.parametrize(
    ("sub_sector", "expected"),
    [("rmg_woven", Verdict.MET), ("dyeing_knitwear", Verdict.MET), ("other", Verdict.NOT_MET)],
)
def test_sub_sector_must_be_targeted_by_the_call(sub_sector, expected):
    eoi = applicant(sub_sector=sub_sector, sub_sector_other="Home textiles" if sub_sector == "other" else "")
    result = verdict_of("sub_sector", eoi)
    assert result.verdict == expected
    if sub_sector == "other":
        assert "Home textiles" in result.reason


def test_thresholds_belong_to_the_call_not_the_code():
    small_enterprises = rules.Thresholds(min_workforce=50, min_permanent_share=Decimal("50"), sub_sectors=("other",))
    eoi = applicant(
        workforce_total=80, workforce_women=40, workforce_men=40, workforce_permanent=30, sub_sector="other"
    )
    assert verdict_of("workforce", eoi, small_enterprises).verdict == Verdict.MET
    assert verdict_of("sub_sector", eoi, small_enterprises).verdict == Verdict.MET
    share = verdict_of("permanent_share", eoi, small_enterprises)
    assert share.verdict == Verdict.NOT_MET and "below the 50% minimum" in share.reason


@pytest.mark.parametrize(
    ("field", "code"), [("shares_order_status", "order_status"), ("shares_baseline_data", "baseline_data")]
)
def test_unwilling_to_share_data_is_ineligible(field, code):
    eoi = applicant(**{field: False})
    assert verdict_of(code, eoi).verdict == Verdict.NOT_MET
    assert rules.screen(eoi, PAKISTAN_2018).outcome == ScreeningOutcome.INELIGIBLE


def test_every_criterion_is_judged_once_in_a_fixed_order():
    verdict = rules.screen(applicant(), PAKISTAN_2018)
    assert [c.code for c in verdict.criteria] == list(rules.CRITERION_CODES)
    assert verdict.outcome == ScreeningOutcome.ELIGIBLE
    assert verdict.failed() == []
