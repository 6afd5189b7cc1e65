"""The formulas and rules against hand-computed cases, without database or HTTP."""

import itertools
from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baseline import rules
from baseline.rules import NOT_TRACKED as NT

# formula, inputs, expected (hand-computed; rounded half-up to 2 places; None = no value)
FORMULA_CASES = [
    # defect rate = defective / checked × 100
    ("defect_rate", {"defective_units": D(37), "units_checked": D(1200)}, D("3.08")),  # 3.0833
    ("defect_rate", {"defective_units": D(1), "units_checked": D(8)}, D("12.50")),
    ("defect_rate", {"defective_units": D(1), "units_checked": D(400)}, D("0.25")),
    ("defect_rate", {"defective_units": D(1), "units_checked": D(800)}, D("0.13")),  # 0.125 rounds up
    ("defect_rate", {"defective_units": D(0), "units_checked": D(500)}, D("0.00")),  # zero defects is a value
    ("defect_rate", {"defective_units": D(5), "units_checked": D(0)}, None),  # zero denominator
    ("defect_rate", {"defective_units": D(5)}, None),  # missing denominator
    ("defect_rate", {"defective_units": NT, "units_checked": D(500)}, None),  # not tracked is not zero
    # accident frequency = accidents × 200,000 / hours
    ("accident_frequency", {"lost_time_accidents": D(3), "hours_worked": D(250000)}, D("2.40")),
    ("accident_frequency", {"lost_time_accidents": D(1), "hours_worked": D(123456)}, D("1.62")),  # 1.6200
    ("accident_frequency", {"lost_time_accidents": D(0), "hours_worked": D(90000)}, D("0.00")),
    ("accident_frequency", {"lost_time_accidents": NT, "hours_worked": D(90000)}, None),
    # labour turnover = leavers / average headcount × 100
    ("labour_turnover", {"leavers": D(12), "headcount": D(480)}, D("2.50")),
    ("labour_turnover", {"leavers": D(7), "headcount": D(300)}, D("2.33")),
    ("labour_turnover", {"leavers_women": D(4), "leavers_men": D(3), "headcount": D(300)}, D("2.33")),
    ("labour_turnover", {"leavers_women": D(4), "leavers_men": NT, "headcount": D(300)}, None),
    # absenteeism = days absent / scheduled workdays × 100
    ("absenteeism", {"days_absent": D("412.5"), "scheduled_workdays": D(12500)}, D("3.30")),
    ("absenteeism", {"days_absent": D(0), "scheduled_workdays": D(0)}, None),
    # overtime hours per worker
    ("overtime_per_worker", {"overtime_hours": D(9450), "headcount": D(630)}, D("15.00")),
    ("overtime_per_worker", {"overtime_hours": D(100), "headcount": D(3)}, D("33.33")),
    # productivity = output / hours worked
    ("productivity", {"output_units": D(52000), "hours_worked": D(104000)}, D("0.50")),
    ("productivity", {"output_units": D(10), "hours_worked": D(3)}, D("3.33")),
    ("productivity", {"output_units": D(10), "hours_worked": D(6)}, D("1.67")),  # 1.6667 rounds up
    # energy and waste per unit
    ("energy_per_unit", {"energy_kwh": D(61000), "output_units": D(52000)}, D("1.17")),
    ("waste_per_unit", {"waste_kg": D(1300), "output_units": D(52000)}, D("0.03")),  # 0.025 rounds up
    ("waste_per_unit", {"waste_kg": D(1300), "output_units": None}, None),
    # suggestions per 100 workers
    ("suggestions_per_100", {"suggestions": D(18), "headcount": D(600)}, D("3.00")),
    ("suggestions_per_100", {"suggestions": NT, "headcount": D(600)}, None),
    # workforce by sex
    ("workers", {"workers": D(575)}, D("575.00")),
    ("workers", {"workers_women": D(250), "workers_men": D(325)}, D("575.00")),
    ("workers", {"workers": NT}, None),
    ("supervisors", {"supervisors_women": D(3), "supervisors_men": D(17)}, D("20.00")),
    ("supervisors", {"supervisors_women": D(3)}, None),  # half a split is no total
    ("managers", {"managers": D(12)}, D("12.00")),
    ("women_supervisors_share", {"supervisors_women": D(3), "supervisors_men": D(17)}, D("15.00")),
    ("women_supervisors_share", {"supervisors_women": D(0), "supervisors_men": D(0)}, None),
    ("women_supervisors_share", {"supervisors_women": D(3), "supervisors_men": NT}, None),
    # version 2: headcount entered at the start and the end of the month, averaged by the portal
    # 12 leavers, 470 at the start and 490 at the end: 12 / 480 × 100 = 2.5 %
    ("labour_turnover_start_end", {"leavers": D(12), "headcount_start": D(470), "headcount_end": D(490)}, D("2.50")),
    # 7 / ((290 + 311) / 2 = 300.5) × 100 = 2.3294…
    ("labour_turnover_start_end", {"leavers": D(7), "headcount_start": D(290), "headcount_end": D(311)}, D("2.33")),
    # by sex and summed: start 200 + 280, end 210 + 270 → 480; leavers 5 + 7
    (
        "labour_turnover_start_end",
        {
            "leavers_women": D(5),
            "leavers_men": D(7),
            "headcount_start_women": D(200),
            "headcount_start_men": D(280),
            "headcount_end_women": D(210),
            "headcount_end_men": D(270),
        },
        D("2.50"),
    ),
    # a round entered before the start and end were asked for keeps its value
    ("labour_turnover_start_end", {"leavers": D(12), "headcount": D(480)}, D("2.50")),
    ("labour_turnover_start_end", {"leavers": D(12), "headcount_start": D(470)}, None),  # half a month is no average
    ("labour_turnover_start_end", {"leavers": D(12), "headcount_start": NT, "headcount_end": D(4)}, None),
    (
        "overtime_per_worker_start_end",
        {"overtime_hours": D(9450), "headcount_start": D(620), "headcount_end": D(640)},
        D("15.00"),
    ),
    (
        "suggestions_per_100_start_end",
        {"suggestions": D(18), "headcount_start": D(590), "headcount_end": D(610)},
        D("3.00"),
    ),
]


@pytest.mark.parametrize(("formula", "inputs", "expected"), FORMULA_CASES)
def test_formula_against_hand_computed_case(formula, inputs, expected):
    assert rules.compute(formula, inputs) == expected


def test_every_formula_has_hand_computed_cases():
    assert {case[0] for case in FORMULA_CASES} == set(rules.FORMULAS)


@pytest.mark.parametrize(
    ("formula", "inputs", "sex", "expected"),
    [
        ("labour_turnover", {"leavers_women": D(6), "headcount_women": D(200)}, "women", D("3.00")),
        ("labour_turnover", {"leavers_men": D(1), "headcount_men": D(300)}, "men", D("0.33")),
        ("labour_turnover", {"leavers": D(7), "headcount": D(500)}, "women", None),  # not disaggregated
        ("absenteeism", {"days_absent_women": D(50), "scheduled_workdays_women": D(1000)}, "women", D("5.00")),
        ("workers", {"workers_women": D(250), "workers_men": D(325)}, "men", D("325.00")),
        ("defect_rate", {"defective_units": D(1), "units_checked": D(10)}, "women", None),  # no sex split
    ],
)
def test_formulas_by_sex(formula, inputs, sex, expected):
    assert rules.compute(formula, inputs, sex) == expected


@pytest.mark.parametrize(
    ("direction", "baseline", "latest", "expected"),
    [
        ("lower", D("4.20"), D("2.10"), True),
        ("lower", D("2.10"), D("4.20"), False),
        ("lower", D("2.10"), D("2.10"), False),  # no change is not an improvement
        ("higher", D("0.40"), D("0.52"), True),
        ("higher", D("0.52"), D("0.40"), False),
        ("neutral", D(500), D(600), None),
        ("lower", None, D(1), None),
        ("higher", D(1), NT, None),
    ],
)
def test_improved_follows_the_direction(direction, baseline, latest, expected):
    assert rules.improved(direction, baseline, latest) is expected


@pytest.mark.parametrize(
    ("baseline", "latest", "change", "pct"),
    [
        (D("4.20"), D("2.10"), D("-2.10"), D("-50.00")),
        (D("0.40"), D("0.52"), D("0.12"), D("30.00")),
        (D("3.00"), D("3.10"), D("0.10"), D("3.33")),
        (D(0), D(5), D("5.00"), None),  # no percentage from a zero baseline
        (None, D(5), None, None),
    ],
)
def test_change_absolute_and_percent(baseline, latest, change, pct):
    assert rules.change(baseline, latest) == change
    assert rules.change_pct(baseline, latest) == pct


def test_suppression_below_three_enterprises():
    assert rules.suppressed(0) and rules.suppressed(2)
    assert not rules.suppressed(3)


def test_median_reference():
    assert rules.median([D(3), D(1), D(2)]) == D(2)
    assert rules.median([D(4), D(1), D(2), D(3)]) == D("2.50")
    assert rules.median([]) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("", None), ("  ", None), ("NT", NT), ("not tracked", NT), ("1,200", D(1200)), (" 3.5 ", D("3.5")), (7, D(7))],
)
def test_parse_value(raw, expected):
    assert rules.parse_value(raw) == expected if expected is not NT else rules.parse_value(raw) is NT


@pytest.mark.parametrize("raw", ["abc", "1.2.3", "nan", "inf", True])
def test_parse_value_refuses_non_numbers(raw):
    with pytest.raises(ValueError):
        rules.parse_value(raw)


def test_not_tracked_is_not_zero_and_not_missing():
    assert NT is not None and NT != 0
    assert rules.mean([NT, NT]) is NT
    assert rules.mean([]) is None
    assert rules.mean([D(2), NT, D(4)]) == D(3)


@pytest.mark.parametrize(
    ("values", "code", "fragment"),
    [
        ({"units_checked": D(0)}, "units_checked", "above zero"),
        ({"defective_units": D(30), "units_checked": D(20)}, "defective_units", "cannot exceed"),
        ({"leavers": D(600), "headcount": D(500)}, "leavers", "cannot exceed"),
        ({"days_absent_women": D(60), "scheduled_workdays_women": D(50)}, "days_absent_women", "cannot exceed"),
        ({"headcount": D(-1)}, "headcount", "negative"),
        ({"leavers": D("2.5")}, "leavers", "whole number"),
        ({"lost_time_accidents": D(20000)}, "lost_time_accidents", "not plausible"),
        ({"hours_worked": D(500000), "headcount": D(100)}, "hours_worked", "hours per person"),
        ({"workers": D(100), "workers_women": D(30), "workers_men": D(60)}, "workers", "add up to 90"),
    ],
)
def test_check_month_explains_errors(values, code, fragment):
    errors = rules.check_month(values)
    assert code in errors
    assert fragment in " ".join(errors[code])


def test_check_month_accepts_a_plausible_month_and_not_tracked_denominators():
    values = {
        "units_checked": D(1200),
        "defective_units": D(37),
        "headcount": D(600),
        "hours_worked": D(124800),
        "leavers": D(12),
        "scheduled_workdays": NT,
        "days_absent": NT,
        "workers": D(560),
        "workers_women": D(260),
        "workers_men": D(300),
    }
    assert rules.check_month(values) == {}


def test_jumps_ask_for_confirmation_above_three_times_the_previous_round():
    previous = {"leavers": D(10), "headcount": D(500), "suggestions": D(0)}
    warnings = rules.jumps({"leavers": D(31), "headcount": D(1500), "suggestions": D(9)}, previous)
    assert set(warnings) == {"leavers"}  # exactly 3× is fine; no previous value (0) gives no warning
    assert "3×" in warnings["leavers"]


# ---------------------------------------------------------------- complementary suppression
def _rank(rows: list[list[Fraction]]) -> int:
    rows = [list(row) for row in rows]
    rank, columns = 0, len(rows[0]) if rows else 0
    for column in range(columns):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][column]), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][column]:
                factor = rows[r][column] / rows[rank][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank


def _smallest_derivable_sum(sizes, hidden, coarser, hidden_coarse) -> int | None:
    """What an analyst can work out from everything published (each shown cell, each shown coarser
    group, the total): the smallest number of enterprises in a set of hidden cells whose sum is
    determined. Every published sum is a linear equation over the hidden figures, so a set is
    determined when its 0/1 vector lies in the span of the equations. None when nothing is."""
    fine = sorted(hidden)
    groups = sorted(set(coarser)) if coarser else []
    coarse = [g for g in groups if g in hidden_coarse]
    unknowns = [("cell", i) for i in fine] + [("group", g) for g in coarse]
    at = {u: n for n, u in enumerate(unknowns)}
    if not unknowns:
        return None
    equations = [[Fraction(1) if kind == "cell" else Fraction(0) for kind, _key in unknowns]]  # the total
    for g in groups:  # a group is the sum of its cells, whether or not either is shown
        row = [Fraction(0)] * len(unknowns)
        for i in fine:
            if coarser[i] == g:
                row[at[("cell", i)]] = Fraction(1)
        if g in hidden_coarse:
            row[at[("group", g)]] = Fraction(-1)
        equations.append(row)
    if coarse:  # the coarser breakdown adds up to the total too
        equations.append([Fraction(1) if kind == "group" else Fraction(0) for kind, _key in unknowns])
    rank = _rank(equations)
    smallest = None
    for count in range(1, len(fine) + 1):
        for subset in itertools.combinations(fine, count):
            vector = [Fraction(1) if kind == "cell" and key in subset else Fraction(0) for kind, key in unknowns]
            if _rank(equations + [vector]) == rank:
                total = sum(sizes[i] for i in subset)
                smallest = total if smallest is None else min(smallest, total)
    return smallest


def test_one_small_cell_takes_the_next_smallest_with_it():
    # plain suppression hides only the 1, which the total (11) minus 3 + 4 + 3 gives back
    assert rules.hidden_cells([1, 3, 4, 3]) == {0, 1}
    assert _smallest_derivable_sum([1, 3, 4, 3], {0}, None, set()) == 1
    assert _smallest_derivable_sum([1, 3, 4, 3], {0, 1}, None, set()) == 4


def test_hidden_cells_reach_the_minimum_together():
    # two cells of one enterprise each would reveal a group of two
    assert rules.hidden_cells([1, 1, 10, 20]) == {0, 1, 2}
    assert rules.hidden_cells([2, 2, 10]) == {0, 1}


def test_nothing_is_hidden_when_every_cell_is_large_enough():
    assert rules.hidden_cells([3, 4, 3]) == frozenset()
    assert rules.hidden_cells([5]) == frozenset()


def test_a_small_total_is_hidden_with_its_only_cell():
    assert rules.hidden_cells([2]) == {0}
    assert rules.hidden_cells([1, 1]) == {0, 1}


def test_ties_go_to_the_first_cell():
    assert rules.hidden_cells([3, 1, 3]) == {0, 1}


def test_batches_of_a_hidden_call_are_hidden_and_a_shown_call_protects_its_own():
    # call a: batches of 1 and 5 (6 enterprises, shown); call b: 4 (shown); call c: 2 (hidden)
    sizes = [1, 5, 4, 2]
    calls = ["a", "a", "b", "c"]
    hidden = rules.hidden_cells(sizes, calls)
    # call c is hidden, with call b (the next smallest) as its complement; so are their batches;
    # in call a (published: 6) the 1 needs the 5 with it
    assert hidden == {0, 1, 2, 3}
    assert rules.hidden_cells([2, 4, 6], None) == {0, 1}


def test_the_calls_hidden_with_the_batches_are_the_calls_the_call_breakdown_hides():
    # calls a = 1, c = 1 + 2, b = 3 enterprises: a is hidden, and b or c (a tie) with it. Had the
    # batches hidden c while the call breakdown (listed a, b, c) hid b, call b's one batch of 3 would
    # be shown, and a = all 7 - b 3 - c 3 = 1 enterprise could be worked out.
    sizes, calls = [1, 1, 3, 2], ["a", "c", "b", "c"]
    hidden_calls = {["a", "b", "c"][n] for n in rules.hidden_cells([1, 3, 3], keys=["a", "b", "c"])}
    listed_otherwise = {["c", "a", "b"][n] for n in rules.hidden_cells([3, 1, 3], keys=["c", "a", "b"])}
    assert hidden_calls == listed_otherwise == {"a", "b"}
    # calls a and b hidden with all their batches; call c (3, shown) hides its 1 and its 2 together
    assert rules.hidden_cells(sizes, calls, keys=["a1", "c1", "b1", "c2"]) == {0, 1, 2, 3}


@given(
    st.lists(st.integers(min_value=1, max_value=9), min_size=1, max_size=7),
    st.lists(st.sampled_from("abc"), min_size=7, max_size=7),
    st.booleans(),
)
@settings(max_examples=300, deadline=None)
def test_no_small_group_can_be_worked_out_from_what_is_shown(sizes, calls, nested):
    coarser = calls[: len(sizes)] if nested else None
    hidden = rules.hidden_cells(sizes, coarser)
    assert {i for i, size in enumerate(sizes) if size < rules.MIN_GROUP} <= hidden
    hidden_coarse = set()
    if coarser:
        # the call breakdown lists its calls in an order of its own (here: reversed), not the batches'
        groups = sorted(set(coarser), reverse=True)
        totals = [sum(s for s, g in zip(sizes, coarser, strict=False) if g == group) for group in groups]
        hidden_coarse = {groups[n] for n in rules.hidden_cells(totals, keys=groups)}
    derivable = _smallest_derivable_sum(sizes, hidden, coarser, hidden_coarse)
    if sum(sizes) >= rules.MIN_GROUP:  # a small total hides itself, and everything in it
        assert derivable is None or derivable >= rules.MIN_GROUP


def test_a_round_input_given_for_women_and_men_counts_as_entered_for_the_baseline_gate():
    import datetime

    from baseline.gates import REQUIRED_INPUTS, round_gaps

    month = datetime.date(2026, 1, 1)
    entered = {(month, code) for code in REQUIRED_INPUTS if code != "leavers"}
    assert round_gaps([month], entered) == 1
    assert round_gaps([month], entered | {(month, "leavers_women")}) == 1
    assert round_gaps([month], entered | {(month, "leavers_women"), (month, "leavers_men")}) == 0
    assert round_gaps([month, datetime.date(2026, 2, 1)], entered | {(month, "leavers")}) == len(REQUIRED_INPUTS)
