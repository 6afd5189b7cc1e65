"""Programme aggregates on a small hand-made programme: % improving, median change, suppression, query count."""

import datetime
from decimal import Decimal as D

import pytest
from django.db.models import F
from django.urls import reverse

from baseline import selectors
from baseline.models import Change, IndicatorVersion, Round, RoundKind
from enterprises.models import Enterprise
from enterprises.tests.factories import CallFactory, make_enterprise

from .factories import indicator, measured

pytestmark = pytest.mark.django_db

# (defective units at baseline, at follow-up), out of 1000 checked: the defect rate in %
PROGRAMME = {
    "A-1": (60, 30),  # 6 → 3: change -3, improved
    "A-2": (50, 40),  # 5 → 4: -1, improved
    "A-3": (40, 50),  # 4 → 5: +1, worse
    "A-4": (80, 20),  # 8 → 2: -6, improved
    "B-1": (30, 30),  # 3 → 3: 0, not improved
}


@pytest.fixture
def programme(officer):
    call_a, call_b = CallFactory(title="Call A"), CallFactory(title="Call B")
    for number, (before, after) in PROGRAMME.items():
        call = call_a if number.startswith("A") else call_b
        enterprise = make_enterprise(officer, number=f"7000-{number}", call=call)
        measured(
            enterprise,
            {"defective_units": before, "units_checked": 1000},
            {"defective_units": after, "units_checked": 1000},
            by=officer,
        )
    return call_a, call_b


def _defect(aggregates):
    return [a for a in aggregates if a.indicator.code == "defect_rate"]


def test_percent_improving_and_median_change_over_all_enterprises(programme):
    (row,) = _defect(selectors.programme_results("all"))
    # changes: -6, -3, -1, 0, +1 → median -1; improved: 3 of 5
    assert row.enterprises == 5
    assert row.median_change == D("-1.00")
    assert row.improving_pct == D("60.0")


def test_median_change_in_the_unit_and_relative_to_the_baseline(programme):
    """The five enterprises by hand: 6 → 3, 5 → 4, 4 → 5, 8 → 2, 3 → 3 (defect rate, %).

    Absolute (percentage points): -3, -1, +1, -6, 0 → sorted -6, -3, -1, 0, +1 → median -1.
    Relative to each baseline: -50 %, -20 %, +25 %, -75 %, 0 % → sorted -75, -50, -20, 0, +25 → -20 %.
    """
    (row,) = _defect(selectors.programme_results("all"))
    assert row.median_change == D("-1.00")
    assert row.median_change_pct == D("-20.00")
    assert (row.improving, row.at_best, row.not_improving, row.judged) == (3, 0, 2, 5)


def test_the_results_page_labels_each_median_with_its_unit(officer_client, programme):
    body = officer_client.get(reverse("baseline:home")).content.decode()
    assert "in the indicator's unit" in body and "relative to baseline (%)" in body
    assert "−1.0 pp" in body  # −1.0 percentage points, the defect rate being in %
    assert "−20.0%" in body
    assert "60.0%" in body


def test_a_base_near_zero_gives_no_relative_change(officer):
    """Four enterprises; one starts at 0.2 % defects (2 in 1000), below the 0.5 % floor: its +900 %
    is left out of the relative median, which is over the three others: -50 %, -25 %, +10 %."""
    call = CallFactory()
    for number, (before, after) in enumerate([(2, 20), (40, 20), (40, 30), (50, 55)]):
        measured(
            make_enterprise(officer, number=f"7400-{number}", call=call),
            {"defective_units": before, "units_checked": 1000},
            {"defective_units": after, "units_checked": 1000},
            by=officer,
        )
    near_zero = Change.objects.get(indicator=indicator("defect_rate"), baseline_value=D("0.20"))
    assert near_zero.change == D("1.80") and near_zero.change_pct is None
    (row,) = _defect(selectors.programme_results("all"))
    assert row.enterprises == 4
    assert row.median_change_pct == D("-25.00")
    # absolute: +1.8, -2, -1, +0.5 → sorted -2, -1, +0.5, +1.8 → (-1 + 0.5) / 2 = -0.25
    assert row.median_change == D("-0.25")


def test_enterprises_already_at_the_best_value_are_told_apart(officer):
    """No defects before and after cannot improve: counted apart from those that did not improve."""
    call = CallFactory()
    for number, (before, after) in enumerate([(0, 0), (0, 0), (40, 20), (30, 35)]):
        measured(
            make_enterprise(officer, number=f"7500-{number}", call=call),
            {"defective_units": before, "units_checked": 1000},
            {"defective_units": after, "units_checked": 1000},
            by=officer,
        )
    (row,) = _defect(selectors.programme_results("all"))
    assert (row.improving, row.at_best, row.not_improving) == (1, 2, 1)
    assert (row.improving_pct, row.at_best_pct, row.not_improving_pct) == (D("25.0"), D("50.0"), D("25.0"))


def _third_call(officer):
    """Call C with three enterprises, none improving (defect rate 5 → 5)."""
    call_c = CallFactory(title="Call C")
    for number in ("1", "2", "3"):
        measured(
            make_enterprise(officer, number=f"7000-C-{number}", call=call_c),
            {"defective_units": 50, "units_checked": 1000},
            {"defective_units": 50, "units_checked": 1000},
            by=officer,
        )
    return call_c


def test_by_call_with_an_even_group_and_a_suppressed_one(officer, programme):
    call_a, call_b = programme
    call_c = _third_call(officer)
    rows = {row.group: row for row in _defect(selectors.programme_results("call"))}
    # call A: -6, -3, -1, +1 → median (-3 + -1) / 2 = -2; improved 3 of 4
    assert rows[call_a.pk].median_change == D("-2.00")
    assert rows[call_a.pk].improving_pct == D("75.0")
    # call B has one enterprise: nothing is shown; nor is call C, the next smallest, without which
    # all enterprises minus calls A and C would give call B back
    for hidden in (call_b, call_c):
        assert rows[hidden.pk].suppressed
        assert rows[hidden.pk].median_change is None and rows[hidden.pk].improving_pct is None


def test_a_small_group_hides_the_only_other_one(programme):
    call_a, call_b = programme
    rows = {row.group: row for row in _defect(selectors.programme_results("call"))}
    # all enterprises (5, shown) minus call A would be call B's one enterprise
    assert rows[call_a.pk].suppressed and rows[call_b.pk].suppressed


def test_the_programme_page_suppresses_small_groups(officer_client, officer, programme):
    _third_call(officer)
    response = officer_client.get(reverse("baseline:home"), {"by": "call"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("not shown (confidential)") == 2
    assert "75.0%" in body and "\u22122.0 pp" in body
    assert "progress-stacked" in body


def test_two_enterprises_are_always_suppressed(officer):
    call = CallFactory()
    for number in ("1", "2"):
        measured(
            make_enterprise(officer, number=f"7100-{number}", call=call),
            {"defective_units": 50, "units_checked": 1000},
            {"defective_units": 10, "units_checked": 1000},
            by=officer,
        )
    (row,) = _defect(selectors.programme_results("all"))
    assert row.suppressed and row.improving_pct is None and row.median_change is None
    assert selectors.headline(selectors.programme_results("all")) == []


def _many_enterprises(officer, how_many):
    """Enterprises with a baseline and a follow-up on every KPI, bulk-made (the services are tested elsewhere)."""
    template = make_enterprise(officer, number="7200-0")
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(
            registration_key=f"many{n}",
            legal_name=f"Many {n}",
            city="Lahore",
            sub_sector=("rmg_woven", "rmg_knitwear", "dyeing_woven")[n % 3],
            workforce_total=500,
            expression_of_interest=template.expression_of_interest,
            call=template.call,
            stage="level1_completed",
        )
        for n in range(how_many)
    )
    rounds = []
    for enterprise in enterprises:
        rounds.append(
            Round(
                enterprise=enterprise,
                kind=RoundKind.BASIC_BASELINE,
                held_on=datetime.date(2019, 1, 1),
                first_month=datetime.date(2018, 12, 1),
            )
        )
        rounds.append(
            Round(
                enterprise=enterprise,
                kind=RoundKind.FOLLOW_UP,
                held_on=datetime.date(2019, 9, 1),
                first_month=datetime.date(2019, 8, 1),
            )
        )
    rounds = Round.objects.bulk_create(rounds)
    versions = list(IndicatorVersion.objects.filter(pk=F("indicator__current_version")).select_related("indicator"))
    changes = []
    for n, enterprise in enumerate(enterprises):
        base, latest = rounds[2 * n], rounds[2 * n + 1]
        for version in versions:
            delta = D((n % 7) - 3)
            changes.append(
                Change(
                    enterprise=enterprise,
                    indicator=version.indicator,
                    version=version,
                    baseline_round=base,
                    latest_round=latest,
                    baseline_value=D(10),
                    latest_value=D(10) + delta,
                    change=delta,
                    improved=delta < 0,
                )
            )
    Change.objects.bulk_create(changes)


@pytest.mark.parametrize("by", ["all", "call", "batch", "sub_sector"])
def test_programme_page_query_count_does_not_grow_with_enterprises(
    officer_client, officer, by, django_assert_max_num_queries
):
    _many_enterprises(officer, 60)
    with django_assert_max_num_queries(20):
        response = officer_client.get(reverse("baseline:home"), {"by": by})
    assert response.status_code == 200
    rows = [a for a in selectors.programme_results(by) if a.indicator.code == "defect_rate"]
    assert sum(a.enterprises for a in rows) == 60


def test_database_median_matches_the_reference(officer):
    _many_enterprises(officer, 11)
    from baseline import rules

    (row,) = _defect(selectors.programme_results("all"))
    expected = rules.median(Change.objects.filter(indicator=indicator("defect_rate")).values_list("change", flat=True))
    assert row.median_change == expected


@pytest.mark.parametrize("by", ["all", "call", "sub_sector"])
def test_percentile_cont_and_the_portable_median_agree(officer, programme, monkeypatch, by):
    """On PostgreSQL the medians come from percentile_cont beside the counts; elsewhere (SQLite) from
    the window-function query. On the hand-made programme, with an even group, both give the same."""
    _third_call(officer)
    _many_enterprises(officer, 10)  # an even count, changes -3 … +3
    native = [
        (a.indicator.pk, a.sex, a.group, a.median_change, a.median_change_pct) for a in selectors.programme_results(by)
    ]
    monkeypatch.setattr(selectors, "uses_percentile_cont", lambda queryset: False)
    portable = [
        (a.indicator.pk, a.sex, a.group, a.median_change, a.median_change_pct) for a in selectors.programme_results(by)
    ]
    assert native == portable
    assert any(row[3] is not None for row in native) and any(row[4] is not None for row in native)


def _in_batches(how_many_batches):
    """The enterprises spread over batches of their call, round robin; one in ten without a batch."""
    from enterprises.models import Level1Batch

    enterprises = list(Enterprise.objects.order_by("pk"))
    call = enterprises[0].call
    batches = [
        Level1Batch.objects.create(call=call, name=f"Batch {k:02d}", capacity=25) for k in range(how_many_batches)
    ]
    for n, enterprise in enumerate(enterprises):
        enterprise.batch = None if n % 10 == 9 else batches[n % how_many_batches]
    Enterprise.objects.bulk_update(enterprises, ["batch"])


@pytest.mark.parametrize("how_many_batches", [4, 23])
def test_by_batch_shows_a_page_of_batches_with_the_figures_of_the_whole_breakdown(
    officer_client, officer, how_many_batches, django_assert_max_num_queries
):
    from baseline.views import GROUP_PAGE_SIZE

    _many_enterprises(officer, 120)
    _in_batches(how_many_batches)
    whole = {(a.indicator.pk, a.sex, a.group_label): a for a in selectors.programme_results("batch")}
    seen = []
    page = 1
    while True:
        with django_assert_max_num_queries(20):
            response = officer_client.get(reverse("baseline:home"), {"by": "batch", "page": page})
        shown = [a for block in response.context["blocks"] for a in block.rows]
        groups = {a.group_label for a in shown}
        assert 0 < len(groups) <= GROUP_PAGE_SIZE
        for a in shown:  # the same cell, the same confidentiality and medians, as the whole breakdown's
            b = whole[(a.indicator.pk, a.sex, a.group_label)]
            assert (a.enterprises, a.suppressed, a.improving_pct, a.median_change, a.median_change_pct) == (
                b.enterprises,
                b.suppressed,
                b.improving_pct,
                b.median_change,
                b.median_change_pct,
            )
        seen.extend(sorted(groups))
        if not response.context["page"].has_next():
            break
        page += 1
    assert seen == sorted({label for _i, _s, label in whole})  # every batch once, in name order
    # the chart's overall figures, summed from the batches' counts, are those of all enterprises
    overall = {(a.indicator.pk, a.sex): a for a in selectors.programme_results("all")}
    for a in selectors.programme_breakdown("batch").overall():
        b = overall[(a.indicator.pk, a.sex)]
        assert (a.enterprises, a.improving, a.judged, a.at_best, a.suppressed) == (
            b.enterprises,
            b.improving,
            b.judged,
            b.at_best,
            b.suppressed,
        )
