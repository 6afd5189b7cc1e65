"""Numbers written for people: counts, percentages, money, indicator values and changes."""

from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from baseline import formatting

MINUS = "\u2212"


def kpi(formula, unit):
    return SimpleNamespace(formula=formula, unit=unit)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(D("1818.00"), "1,818"), (D("0.4"), "0"), (D("1234567.5"), "1,234,568"), (12, "12"), (None, "—")],
)
def test_counts_have_no_decimals_and_thousands_separators(value, expected):
    assert formatting.count(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(D("66.666"), "66.7%"), (D("60"), "60.0%"), (D("0.04"), "0.0%"), (D("-4.25"), f"{MINUS}4.3%"), (None, "—")],
)
def test_percentages_have_one_decimal(value, expected):
    assert formatting.percent(value) == expected


def test_a_signed_percentage_shows_plus_and_minus_and_no_negative_zero():
    assert formatting.percent(D("17.54"), signed=True) == "+17.5%"
    assert formatting.percent(D("-56.25"), signed=True) == f"{MINUS}56.3%"
    assert formatting.percent(D("-0.01"), signed=True) == "0.0%"


def test_money_is_in_pkr_with_thousands_separators():
    assert formatting.money(D("150500.00")) == "PKR 150,500"
    assert formatting.money(D("1250000.49")) == "PKR 1,250,000"
    assert formatting.money(None) == "—"


def test_indicator_values_read_with_their_unit():
    assert formatting.value(D("1818.00"), kpi("workers", "persons")) == "1,818 persons"
    assert formatting.value(D("3.50"), kpi("defect_rate", "%")) == "3.5%"
    assert formatting.value(D("2.46"), kpi("labour_turnover_start_end", "% per month")) == "2.5% per month"
    assert formatting.value(D("0.47"), kpi("productivity", "units per worker-hour")) == "0.47 units per worker-hour"
    assert formatting.value(D("1"), kpi("", "yes/no")) == "yes"


def test_a_change_of_a_percentage_is_in_percentage_points():
    assert formatting.change(D("-4.50"), kpi("defect_rate", "%")) == f"{MINUS}4.5 pp"
    assert formatting.change(D("0.07"), kpi("productivity", "units per worker-hour")) == "+0.07 units per worker-hour"
    assert formatting.change(D("12"), kpi("workers", "persons")) == "+12 persons"


def test_a_relative_change_from_a_base_near_zero_says_so():
    suggestions = kpi("suggestions_per_100_start_end", "per 100 workers per month")
    # 0.05 → 2.46 suggestions per 100 workers would be +4,820 %: the base is below the floor of 1
    assert formatting.relative(None, D("0.05"), suggestions) == "n/a (base below 1)"
    defects = kpi("defect_rate", "%")
    assert formatting.relative(None, D("0.20"), defects) == "n/a (base below 0.5%)"
    assert formatting.relative(D("-56.25"), D("8.00"), defects) == f"{MINUS}56.3%"
    assert formatting.relative(None, D("1"), kpi("", "yes/no")) == "—"  # a practice has no relative change
