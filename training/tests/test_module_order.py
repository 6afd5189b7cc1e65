"""The module order recommended from hand-made needs, where the right order is known."""

import pytest

from training.delivery.module_order import EnterpriseNeeds, parse_order, parse_priorities, recommend


def test_shared_priorities_decide_the_order():
    needs = [EnterpriseNeeds(name, priorities=(5, 3, 2, 4)) for name in ("A", "B", "C", "D")]
    assert recommend(needs).order == [5, 3, 2, 4]


def test_the_majority_first_priority_goes_first():
    needs = [
        EnterpriseNeeds("A", priorities=(3,)),
        EnterpriseNeeds("B", priorities=(3,)),
        EnterpriseNeeds("C", priorities=(3,)),
        EnterpriseNeeds("D", priorities=(4,)),
    ]
    recommendation = recommend(needs)
    # 3 scores 12, 4 scores 4; 2 and 5 score nothing and keep their numbers' order
    assert recommendation.order == [3, 4, 2, 5]
    first = recommendation.scores[0]
    assert first.first_priority_of == ["A", "B", "C"] and first.total == 12


def test_practice_gaps_alone_order_the_modules():
    needs = [
        EnterpriseNeeds("A", gaps={2: 0.1, 3: 0.5, 4: 0.9, 5: 0.3}),
        EnterpriseNeeds("B", gaps={2: 0.2, 3: 0.6, 4: 0.8, 5: 0.4}),
    ]
    recommendation = recommend(needs)
    assert recommendation.order == [4, 3, 5, 2]
    assert recommendation.scores[0].mean_gap_pct == 85


def test_a_wide_gap_outweighs_a_lone_priority():
    needs = [
        EnterpriseNeeds("A", priorities=(2,), gaps={2: 0.0, 5: 1.0}),
        EnterpriseNeeds("B", gaps={5: 1.0}),
        EnterpriseNeeds("C", gaps={5: 0.75}),
    ]
    # module 5: 4 + 4 + 3 = 11 gap points; module 2: 4 priority points
    assert recommend(needs).order[:2] == [5, 2]


def test_ties_go_to_more_first_priorities_then_the_larger_gap_then_the_number():
    # 3 and 4 both score 4: 3 is someone's first priority, 4 only a gap
    needs = [EnterpriseNeeds("A", priorities=(3,)), EnterpriseNeeds("B", gaps={4: 1.0})]
    assert recommend(needs).order == [3, 4, 2, 5]
    # nothing known: the modules follow their numbers, and the page says so
    empty = recommend([EnterpriseNeeds("A"), EnterpriseNeeds("B")])
    assert empty.order == [2, 3, 4, 5] and not empty.has_data
    assert "follow their numbers" in empty.explanation()[0]


def test_the_explanation_says_why():
    needs = [
        EnterpriseNeeds("Indus", priorities=(5, 3), gaps={5: 0.5}),
        EnterpriseNeeds("Ravi", priorities=(5,), gaps={5: 0.5, 3: 1.0}),
    ]
    recommendation = recommend(needs)
    assert recommendation.order[0] == 5
    lines = recommendation.explanation()
    assert lines[0].startswith("1. Module 5 — score 12")
    assert "first priority of 2 enterprises (Indus, Ravi)" in lines[0]
    assert "50% of its practices not yet in place" in lines[0]


def test_unknown_modules_and_repeats_in_priorities_are_ignored():
    needs = [EnterpriseNeeds("A", priorities=(1, 4, 4, 9), gaps={1: 1.0, 7: 1.0})]
    recommendation = recommend(needs)
    assert recommendation.order == [4, 2, 3, 5]
    assert recommendation.scores[0].total == 4


@pytest.mark.parametrize(
    ("text", "expected"), [("3, 2, 5, 4", [3, 2, 5, 4]), ("2 3 4 5", [2, 3, 4, 5]), ("2,3,4", None), ("2,2,4,5", None)]
)
def test_parse_order(text, expected):
    assert parse_order(text) == expected


@pytest.mark.parametrize(("text", "expected"), [("", []), ("5, 3", [5, 3]), ("1", None), ("3,3", None), ("x", None)])
def test_parse_priorities(text, expected):
    assert parse_priorities(text) == expected
