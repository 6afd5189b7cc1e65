"""Headcount as factories record it: at the start and at the end of the month, averaged by the portal
for the KPIs defined per average headcount (their version 2). Version 1 and its results stay."""

import datetime
from decimal import Decimal as D

import pytest

from baseline import rules, services
from baseline.models import Result

from .factories import indicator, make_round, with_values

pytestmark = pytest.mark.django_db


def test_turnover_is_computed_from_the_start_and_end_headcount(enterprise, officer):
    # 460 on the payroll on the 1st, 500 on the 31st: average 480; 12 left: 12 / 480 × 100 = 2.5 %
    round_ = with_values(make_round(enterprise), by=officer, leavers=12, headcount_start=460, headcount_end=500)
    result = Result.objects.get(round=round_, indicator=indicator("labour_turnover"), sex="all")
    assert result.value == D("2.50")
    assert result.version.number == 2 and result.version.formula == "labour_turnover_start_end"


def test_turnover_by_sex_from_start_and_end(enterprise, officer):
    round_ = with_values(
        make_round(enterprise),
        by=officer,
        leavers_women=3,
        leavers_men=9,
        headcount_start_women=190,
        headcount_end_women=210,  # 200 on average: 3 / 200 = 1.5 %
        headcount_start_men=290,
        headcount_end_men=270,  # 280: 9 / 280 = 3.2142… %
    )
    values = dict(
        Result.objects.filter(round=round_, indicator=indicator("labour_turnover")).values_list("sex", "value")
    )
    assert values == {"women": D("1.50"), "men": D("3.21"), "all": D("2.50")}  # 12 / 480


def test_overtime_and_suggestions_use_the_same_average(enterprise, officer):
    round_ = with_values(
        make_round(enterprise), by=officer, overtime_hours=9000, suggestions=30, headcount_start=590, headcount_end=610
    )
    values = dict(Result.objects.filter(round=round_).values_list("indicator__code", "value"))
    assert values["overtime_per_worker"] == D("15.00")  # 9000 / 600
    assert values["suggestions_per_100"] == D("5.00")  # 30 / 600 × 100


def test_leavers_cannot_exceed_the_average_headcount():
    errors = rules.check_month({"leavers": D(30), "headcount_start": D(20), "headcount_end": D(21)})
    assert errors["leavers"] == ["Leavers (30) cannot exceed Average headcount (20.5)."]
    assert rules.check_month({"leavers": D(20), "headcount_start": D(20), "headcount_end": D(21)}) == {}


def test_a_result_of_version_1_keeps_its_version(enterprise, officer):
    """Rounds computed before version 2 keep the value and version they were computed with."""
    turnover = indicator("labour_turnover")
    round_ = make_round(enterprise, by=officer)
    services.edit_indicator(turnover, by=officer, reason="back to v1 for the test", formula="labour_turnover")
    with_values(round_, by=officer, leavers=12, headcount=480)
    old = Result.objects.get(round=round_, indicator=turnover, sex="all")
    assert old.version.formula == "labour_turnover" and old.value == D("2.50")
    services.edit_indicator(turnover, by=officer, reason="start and end", formula="labour_turnover_start_end")
    later = make_round(enterprise, kind="follow_up", held_on=datetime.date(2019, 9, 15), by=officer)
    with_values(later, by=officer, leavers=6, headcount_start=470, headcount_end=490)
    old.refresh_from_db()
    assert old.version.formula == "labour_turnover" and old.value == D("2.50")
    new = Result.objects.get(round=later, indicator=turnover, sex="all")
    assert new.version.formula == "labour_turnover_start_end" and new.value == D("1.25")


def test_the_entry_form_asks_for_start_and_end_not_an_average(enterprise, officer):
    from baseline.forms import MonthValuesForm

    round_ = make_round(enterprise, by=officer)
    form = MonthValuesForm(round_=round_, month=round_.first_month)
    assert "headcount_start" in form.fields and "headcount_end_women" in form.fields
    assert "headcount" not in form.fields
    # a round entered with the average keeps it editable
    form = MonthValuesForm(round_=round_, month=round_.first_month, existing={"headcount": D(480)})
    assert "headcount" in form.fields
