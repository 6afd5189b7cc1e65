"""Services: saving values, results from inputs, versions, practices, changes. No HTTP."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from baseline import rules, services
from baseline.models import Change, Indicator, IndicatorVersion, MonthlyValue, Result, RoundKind

from .factories import indicator, make_round, measured, with_values

pytestmark = pytest.mark.django_db


def test_the_catalogue_is_loaded_by_the_migration():
    practices = Indicator.objects.filter(kind="practice")
    kpis = Indicator.objects.filter(kind="kpi")
    assert practices.count() >= 13 and kpis.count() >= 10
    assert set(practices.values_list("module", flat=True)) == {1, 2, 3, 4, 5}
    defect = indicator("defect_rate").current_version
    assert (defect.formula, defect.unit, defect.denominator, defect.direction) == (
        "defect_rate",
        "%",
        "units checked",
        "lower",
    )
    # the KPIs defined per average headcount are in their version 2 (start and end headcount)
    current = {i.code: i.current_version for i in Indicator.objects.select_related("current_version")}
    renewed = {"labour_turnover", "overtime_per_worker", "suggestions_per_100"}
    assert all(version.number == 1 for code, version in current.items() if code not in renewed)
    for code in renewed:
        assert current[code].number == 2 and current[code].formula == f"{code}_start_end"
        assert indicator(code).versions.get(number=1).formula == code


def test_results_come_from_the_monthly_means_of_the_inputs(enterprise, officer):
    round_ = make_round(enterprise, months=2, by=officer)
    first, second = round_.month_list()
    services.save_month(round_, first, {"defective_units": D(30), "units_checked": D(1000)}, by=officer)
    services.save_month(round_, second, {"defective_units": D(50), "units_checked": D(1000)}, by=officer)
    result = Result.objects.get(round=round_, indicator__code="defect_rate")
    assert result.value == D("4.00")  # mean 40 / mean 1000 × 100
    assert result.version == indicator("defect_rate").current_version


def test_not_tracked_is_stored_as_such_and_gives_no_value(enterprise, officer):
    round_ = with_values(make_round(enterprise), by=officer, suggestions=rules.NOT_TRACKED, headcount=500)
    stored = MonthlyValue.objects.get(round=round_, code="suggestions")
    assert stored.not_tracked and stored.value is None
    assert not Result.objects.filter(round=round_, indicator__code="suggestions_per_100").exists()


def test_blank_removes_a_value_and_its_result(enterprise, officer):
    round_ = with_values(make_round(enterprise), by=officer, suggestions=12, headcount=600)
    assert Result.objects.get(round=round_, indicator__code="suggestions_per_100").value == D("2.00")
    services.save_month(round_, round_.first_month, {"suggestions": None}, by=officer)
    assert not MonthlyValue.objects.filter(round=round_, code="suggestions").exists()
    assert not Result.objects.filter(round=round_, indicator__code="suggestions_per_100").exists()


def test_invalid_values_are_refused_with_clear_messages(enterprise, officer):
    round_ = make_round(enterprise)
    with pytest.raises(ValidationError) as caught:
        services.save_month(round_, round_.first_month, {"defective_units": D(20), "units_checked": D(10)}, by=officer)
    assert "cannot exceed" in str(caught.value)
    assert not MonthlyValue.objects.exists()


def test_a_month_outside_the_round_is_refused(enterprise, officer):
    round_ = make_round(enterprise)
    with pytest.raises(ValidationError, match="outside this round"):
        services.save_month(round_, datetime.date(2030, 1, 1), {"headcount": D(10)}, by=officer)


def test_more_than_three_times_the_previous_round_needs_confirmation(enterprise, officer):
    with_values(make_round(enterprise), by=officer, leavers=10, headcount=500)
    later = make_round(enterprise, RoundKind.FOLLOW_UP, held_on=datetime.date(2019, 6, 15))
    with pytest.raises(services.NeedsConfirmation) as caught:
        services.save_month(later, later.first_month, {"leavers": D(40), "headcount": D(500)}, by=officer)
    assert "leavers" in caught.value.warnings
    assert not MonthlyValue.objects.filter(round=later).exists()
    services.save_month(later, later.first_month, {"leavers": D(40), "headcount": D(500)}, by=officer, confirmed=True)
    assert MonthlyValue.objects.get(round=later, code="leavers").value == 40


def test_only_follow_ups_repeat(enterprise, officer):
    make_round(enterprise)
    with pytest.raises(ValidationError, match="already has"):
        make_round(enterprise)
    one = make_round(enterprise, RoundKind.FOLLOW_UP, held_on=datetime.date(2019, 5, 1))
    two = make_round(enterprise, RoundKind.FOLLOW_UP, held_on=datetime.date(2019, 9, 1))
    assert (one.number, two.number, two.label) == (1, 2, "Follow-up 2")


def test_editing_an_indicator_adds_a_version_and_keeps_earlier_results(enterprise, officer):
    round_ = with_values(make_round(enterprise), by=officer, defective_units=30, units_checked=1000)
    defect = indicator("defect_rate")
    first = defect.current_version
    services.edit_indicator(defect, by=officer, name="Defect rate (final inspection)", reason="Clarified")
    defect.refresh_from_db()
    assert defect.current_version.number == 2 and defect.current_version.name == "Defect rate (final inspection)"
    assert IndicatorVersion.objects.get(pk=first.pk).name == "Defect rate"  # the old definition is kept
    assert Result.objects.get(round=round_, indicator=defect).version == first
    # A later round is computed with the new version; the earlier result still points at the first.
    later = make_round(enterprise, RoundKind.FOLLOW_UP, held_on=datetime.date(2019, 6, 15))
    with_values(later, by=officer, defective_units=20, units_checked=1000)
    assert Result.objects.get(round=later, indicator=defect).version == defect.current_version
    assert Result.objects.get(round=round_, indicator=defect).version == first


def test_an_unchanged_edit_adds_no_version(officer):
    defect = indicator("defect_rate")
    services.edit_indicator(defect, by=officer, name="Defect rate")
    assert defect.versions.count() == 1


def test_a_kpi_needs_a_formula(officer):
    with pytest.raises(ValidationError):
        services.create_indicator(code="x", kind="kpi", module=2, by=officer, name="X", direction="lower")
    created = services.create_indicator(
        code="rework_rate", kind="kpi", module=2, by=officer, name="Rework", formula="defect_rate", direction="lower"
    )
    assert created.current_version.number == 1


def test_change_baseline_to_latest_and_improvement(enterprise, officer):
    measured(
        enterprise,
        {"defective_units": 60, "units_checked": 1000, "output_units": 5000, "hours_worked": 10000},
        {"defective_units": 30, "units_checked": 1000, "output_units": 4000, "hours_worked": 10000},
        by=officer,
    )
    defect = Change.objects.get(enterprise=enterprise, indicator__code="defect_rate")
    assert (defect.baseline_value, defect.latest_value, defect.change, defect.change_pct) == (
        D("6.00"),
        D("3.00"),
        D("-3.00"),
        D("-50.00"),
    )
    assert defect.improved is True  # lower is better
    productivity = Change.objects.get(enterprise=enterprise, indicator__code="productivity")
    assert productivity.change == D("-0.10") and productivity.improved is False


def test_practices_adopted_since_baseline(enterprise, officer):
    first = make_round(enterprise)
    later = make_round(enterprise, RoundKind.FOLLOW_UP, held_on=datetime.date(2019, 9, 1))
    osh, drills = indicator("osh_committee"), indicator("fire_drills")
    services.save_practices(first, {osh.pk: False, drills.pk: True}, by=officer)
    services.save_practices(later, {osh.pk: True, drills.pk: None}, by=officer)
    change = Change.objects.get(enterprise=enterprise, indicator=osh)
    assert change.improved is True and change.change == 1
    assert not Change.objects.filter(enterprise=enterprise, indicator=drills).exists()  # not known later


def test_sex_disaggregated_results(enterprise, officer):
    round_ = with_values(
        make_round(enterprise),
        by=officer,
        leavers_women=6,
        leavers_men=3,
        headcount_women=200,
        headcount_men=300,
    )
    values = dict(Result.objects.filter(round=round_, indicator__code="labour_turnover").values_list("sex", "value"))
    assert values == {"all": D("1.80"), "women": D("3.00"), "men": D("1.00")}
