"""Programme targets against actuals: the rule that says whether one is on track, the actuals the
portal works out for each kind of target, and where an officer sees them."""

import datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baseline import selectors as baseline_selectors
from baseline.tests.factories import indicator
from enterprises.models import Stage
from reporting import rules, selectors, services
from reporting.models import Target, TargetMetric
from reporting.tests import factories

OPENS, DEADLINE = datetime.date(2019, 1, 1), datetime.date(2020, 12, 31)  # 730 days


def status(share, target, actual, today):
    return rules.target_status(
        share=share,
        target=D(target),
        actual=None if actual is None else D(actual),
        start=OPENS,
        deadline=DEADLINE,
        today=today,
    )


def test_a_count_target_is_on_track_when_ahead_of_the_straight_line():
    # 4,000 workers by the end of 2020; on 1 Jan 2020, 365 of 730 days have gone: 2,000 expected
    mid = datetime.date(2020, 1, 1)
    verdict = status(False, 4000, 2100, mid)
    assert verdict.status == rules.ON_TRACK and verdict.expected == D(2000)
    assert status(False, 4000, 1900, mid).status == rules.OFF_TRACK
    assert status(False, 4000, 4000, mid).status == rules.MET  # reached early: achieved
    assert status(False, 4000, 3999, datetime.date(2021, 1, 1)).status == rules.MISSED


def test_a_share_target_is_on_track_while_it_stands_at_the_target():
    mid = datetime.date(2020, 1, 1)
    assert status(True, 70, "71.4", mid).status == rules.ON_TRACK
    assert status(True, 70, "66.7", mid).status == rules.OFF_TRACK
    assert status(True, 70, "70.0", datetime.date(2021, 3, 1)).status == rules.MET
    assert status(True, 70, "66.7", datetime.date(2021, 3, 1)).status == rules.MISSED
    assert status(True, 70, None, mid).status == rules.NO_DATA


@pytest.fixture
def measured_call(officer):
    """Three enterprises of one call in Level 1 (620 workers each: 250 women, 370 men); the defect rate of
    two falls (8 % → 3.5 %) and of one rises (8 % → 9.5 %): 2 of 3 improve, 66.7 %."""
    seeded = factories.screening_call(officer)
    for enterprise in seeded["enterprises"]:
        enterprise.stage = Stage.LEVEL1_ACCEPTED
        enterprise.save(update_fields=["stage"])
    for enterprise in seeded["enterprises"][:2]:
        factories.rounds(enterprise, officer)
    factories.rounds(seeded["enterprises"][2], officer, latest={**factories.MONTH_BASE, "defective_units": D(95)})
    return seeded


def _target(call, officer, metric, value, **extra):
    return services.save_target(
        by=officer, call=call, metric=metric, value=D(value), deadline=extra.pop("deadline", DEADLINE), **extra
    )


@pytest.mark.django_db
def test_targets_with_actuals_on_and_off_track(officer, measured_call):
    call = measured_call["call"]
    call.opens_on = OPENS
    call.save(update_fields=["opens_on"])
    defect = indicator("defect_rate")
    _target(call, officer, TargetMetric.KPI_IMPROVING, 60, indicator=defect)
    _target(call, officer, TargetMetric.WORKERS_REACHED, 4000)
    items = {item.target.metric: item for item in selectors.targets_with_actuals(today=datetime.date(2020, 1, 1))}
    kpi = items[TargetMetric.KPI_IMPROVING]
    assert kpi.actual == D("66.7") and kpi.status == rules.ON_TRACK
    assert kpi.text == "60% of enterprises improve their defect rate"
    workers = items[TargetMetric.WORKERS_REACHED]
    assert workers.actual == D(3 * 620) and workers.actual_text == "1,860"
    assert workers.status == rules.OFF_TRACK and workers.expected_text == "2,000"
    # a higher bar for the defect rate is off track
    Target.objects.filter(metric=TargetMetric.KPI_IMPROVING).update(value=D(70))
    (kpi,) = [i for i in selectors.targets_with_actuals(call, today=datetime.date(2020, 1, 1)) if i.target.indicator]
    assert kpi.status == rules.OFF_TRACK and kpi.status_label == "off track"


@pytest.mark.django_db
def test_a_kpi_targets_actual_is_the_results_pages_cell_of_its_call(officer, measured_call):
    """Read for the targets' indicators alone, each actual is the cell of the whole table by call."""
    call = measured_call["call"]
    codes = ("defect_rate", "productivity", "absenteeism")
    for code in codes:
        _target(call, officer, TargetMetric.KPI_IMPROVING, 60, indicator=indicator(code))
    table = {
        a.indicator.code: a.improving_pct
        for a in baseline_selectors.programme_results("call", medians=False)
        if a.group == call.pk and a.sex == "all"
    }
    actuals = {i.target.indicator.code: i.actual for i in selectors.targets_with_actuals(today=OPENS)}
    assert actuals == {code: table.get(code) for code in codes}
    assert actuals["defect_rate"] == D("66.7") and actuals["productivity"] is not None


@pytest.mark.django_db
def test_women_participants_target(officer, enterprise):
    factories.attendance(enterprise)  # 2 women and 1 man: 66.7 %
    _target(enterprise.call, officer, TargetMetric.WOMEN_PARTICIPANTS_SHARE, 40)
    (item,) = selectors.targets_with_actuals(today=datetime.date(2019, 6, 1))
    assert item.actual == D("66.7") and item.status == rules.ON_TRACK
    assert item.text == "40% of participants women" and item.actual_text == "66.7%"


@pytest.mark.django_db
def test_the_results_page_the_targets_page_and_the_home_page_show_targets(officer_client, officer, measured_call):
    call = measured_call["call"]
    _target(call, officer, TargetMetric.KPI_IMPROVING, 70, indicator=indicator("defect_rate"))
    body = officer_client.get(reverse("baseline:home")).content.decode()
    assert "Targets against actuals" in body and "70% of enterprises improve their defect rate" in body
    assert "66.7%" in body
    body = officer_client.get(reverse("reporting:targets")).content.decode()
    assert "70% of enterprises improve their defect rate" in body
    body = officer_client.get(reverse("home")).content.decode()
    assert "Programme targets on track or achieved" in body


@pytest.mark.django_db
def test_an_officer_sets_a_target_through_the_form(officer_client, enterprise):
    response = officer_client.post(
        reverse("reporting:targets"),
        {"call": enterprise.call.pk, "metric": "workers_reached", "value": "4000", "deadline": "2020-12-31"},
    )
    assert response.status_code == 302
    target = Target.objects.get()
    assert (target.value, target.indicator) == (D(4000), None)
    response = officer_client.post(
        reverse("reporting:targets"),
        {"call": enterprise.call.pk, "metric": "kpi_improving", "value": "170", "deadline": "2020-12-31"},
    )
    body = response.content.decode()
    assert "Pick the indicator" in body and "at most 100" in body


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["consultant", "contact"])
def test_only_officers_see_or_set_targets(persona_client, persona):
    client = persona_client(persona)
    assert client.get(reverse("reporting:targets")).status_code in (403, 404)


@pytest.mark.django_db
def test_the_targets_page_has_a_bounded_query_count(
    officer_client, officer, measured_call, django_assert_max_num_queries
):
    call = measured_call["call"]
    for code in ("defect_rate", "productivity", "absenteeism"):
        _target(call, officer, TargetMetric.KPI_IMPROVING, 50, indicator=indicator(code))
    for metric in (TargetMetric.WORKERS_REACHED, TargetMetric.PARTICIPANTS, TargetMetric.WOMEN_PARTICIPANTS_SHARE):
        _target(call, officer, metric, 30)
    with django_assert_max_num_queries(25):
        response = officer_client.get(reverse("reporting:targets"))
    assert response.content.decode().count("target-status") == 6


@pytest.mark.django_db
def test_the_officers_home_reads_the_targets_once_for_its_figure_and_its_worklist(
    officer_client, officer, measured_call
):
    call = measured_call["call"]
    _target(call, officer, TargetMetric.KPI_IMPROVING, 90, indicator=indicator("defect_rate"))
    _target(call, officer, TargetMetric.WORKERS_REACHED, 4000)
    with CaptureQueriesContext(connection) as home:
        body = officer_client.get(reverse("home")).content.decode()
    assert "Programme targets on track or achieved" in body and "Programme targets off track" in body
    assert sum('FROM "reporting_target"' in q["sql"] for q in home.captured_queries) == 1
    # Elsewhere (the weekly digest, another page) each read is made afresh.
    with CaptureQueriesContext(connection) as twice:
        selectors.targets_with_actuals()
        selectors.targets_with_actuals()
    assert sum('FROM "reporting_target"' in q["sql"] for q in twice.captured_queries) == 2
