"""The enterprise progress report as its reader gets it: page 1 an executive summary whose numbers
are those of the data, a small chart per KPI, numbers written for people, no half-empty page."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest

from baseline import services as baseline_services
from baseline.models import RoundKind
from reporting.models import ReportKind
from reporting.tests import factories
from reporting.tests.helpers import page_fill, page_texts
from reporting.tests.test_reports_pdf import render

pytestmark = pytest.mark.django_db

MINUS = "\u2212"


def one(value) -> str:
    return str(Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def test_page_one_is_an_executive_summary_with_the_numbers_of_the_data(officer, consultant, enterprise):
    factories.rounds(enterprise, officer)
    factories.training_data(enterprise, consultant)
    pages = page_texts(render(ReportKind.ENTERPRISE_PROGRESS, officer, enterprise=enterprise))
    summary = pages[0]
    base, latest = factories.MONTH_BASE, factories.MONTH_LATEST
    # defect rate 80 / 1000 → 35 / 1000: 8.0 % → 3.5 %, −4.5 percentage points, −56.25 % of the baseline
    before = base["defective_units"] * 100 / base["units_checked"]
    after = latest["defective_units"] * 100 / latest["units_checked"]
    assert f"Defect rate fell from {one(before)}% to {one(after)}%" in summary
    assert f"{MINUS}{one(before - after)} pp · {MINUS}{one((before - after) * 100 / before)}%" in summary
    # productivity 40,000 / 100,000 → 47,000 / 100,000: 0.40 → 0.47 units per worker-hour, +17.5 %
    p_before, p_after = base["output_units"] / base["hours_worked"], latest["output_units"] / latest["hours_worked"]
    assert "Productivity rose from 0.40 units per worker-hour to 0.47 units per worker-hour" in summary
    assert f"+0.07 units per worker-hour · +{one((p_after - p_before) * 100 / p_before)}%" in summary
    assert "2 / 2 KPIs improved since the baseline" in summary
    assert "1 practices adopted" in summary and "Written OSH policy." in summary
    # the training app's data: 1 of 3 actions done, two adopted suggestions saving 120,000 + 30,500 a year
    assert "1 / 3 agreed actions done" in summary
    assert "PKR 150,500 a year saved by workers' adopted suggestions" in summary
    assert "2 agreed actions are open (2 overdue). Next due: Mark the aisles 1 (HR manager, 10 Apr 2019)" in summary
    # and nothing else shares page 1
    assert "Each KPI: baseline, latest" not in summary and "Each KPI: baseline, latest" in pages[1]


def test_what_did_not_improve_is_said_too(officer, enterprise):
    factories.rounds(enterprise, officer, latest={**factories.MONTH_BASE, "defective_units": Decimal(95)})
    summary = page_texts(render(ReportKind.ENTERPRISE_PROGRESS, officer, enterprise=enterprise))[0]
    assert "0 / 2 KPIs improved" in summary
    # 8.0 % → 9.5 %: +1.5 pp, +18.75 % of the baseline; productivity 0.40 → 0.40: no change
    assert "Did not improve Defect rate rose from 8.0% to 9.5% (+1.5 pp)" in summary
    assert "Productivity stayed at 0.40 units per worker-hour" in summary
    assert "Look again at Defect rate with the Enterprise Improvement Team." in summary


RICH = {
    "units_checked": 1000,
    "defective_units": 60,
    "lost_time_accidents": 2,
    "hours_worked": 400000,
    "headcount_start": 1990,
    "headcount_end": 2010,
    "leavers": 60,
    "days_absent": 3000,
    "scheduled_workdays": 52000,
    "overtime_hours": 40000,
    "output_units": 160000,
    "energy_kwh": 200000,
    "waste_kg": 8000,
    "suggestions": 1,  # 0.05 per 100 workers: a base near zero
    "workers_women": 700,
    "workers_men": 1118,  # 1,818 workers
    "supervisors_women": 8,
    "supervisors_men": 72,
    "managers": 40,
}


def _three_rounds(enterprise, by):
    """A basic baseline, a comprehensive baseline and a follow-up, each of three months, on every KPI."""
    later = {**RICH, "defective_units": 30, "suggestions": 49, "leavers": 40, "output_units": 180000}
    middle = {**RICH, "defective_units": 45, "suggestions": 10}
    for kind, held_on, values in (
        (RoundKind.BASIC_BASELINE, datetime.date(2018, 12, 5), RICH),
        (RoundKind.COMPREHENSIVE_BASELINE, datetime.date(2019, 4, 5), middle),
        (RoundKind.FOLLOW_UP, datetime.date(2019, 10, 5), later),
    ):
        round_ = baseline_services.create_round(
            enterprise, kind=kind, held_on=held_on, first_month=held_on.replace(day=1), months=1, by=by
        )
        values = {code: Decimal(value) for code, value in values.items()}
        baseline_services.save_rows(round_, [(round_.first_month, values)], by=by, confirmed=True)


def test_numbers_are_written_for_people(officer, enterprise):
    _three_rounds(enterprise, officer)
    text = " ".join(page_texts(render(ReportKind.ENTERPRISE_PROGRESS, officer, enterprise=enterprise)))
    assert "1,818" in text and "1818.00" not in text
    # suggestions per 100 workers: 1 → 49 a month for 2,000 people, 0.05 → 2.45: no "+4,800%"
    assert "n/a (base below 1)" in text
    assert "4,800" not in text and "4800" not in text
    # turnover from the start and end headcount: 60 / 2000 × 100 = 3.0 % → 40 / 2000 = 2.0 %
    assert "Labour turnover fell from 3.0% per month to 2.0% per month" in text


def test_a_chart_per_kpi_with_its_unit(officer, enterprise):
    _three_rounds(enterprise, officer)
    pages = page_texts(render(ReportKind.ENTERPRISE_PROGRESS, officer, enterprise=enterprise))
    charts = " ".join(pages[1:3])
    for title in ("Defect rate % ·", "Productivity units per worker-hour ·", "Accident frequency per 200,000 hours ·"):
        assert title in charts
    # every round on each chart's time line
    assert charts.count("Dec 18") >= 12 and charts.count("Apr 19") >= 12


def test_no_page_is_left_mostly_empty_but_the_last(officer, consultant, enterprise):
    _three_rounds(enterprise, officer)
    factories.training_data(enterprise, consultant)
    factories.attendance(enterprise)
    fills = page_fill(render(ReportKind.ENTERPRISE_PROGRESS, officer, enterprise=enterprise))
    assert len(fills) >= 3
    assert all(fill >= 0.3 for fill in fills[:-1]), [round(fill, 2) for fill in fills]


def test_a_short_report_has_no_half_empty_page_either(officer, consultant, enterprise):
    factories.rounds(enterprise, officer)
    factories.training_data(enterprise, consultant)
    fills = page_fill(render(ReportKind.ENTERPRISE_PROGRESS, officer, enterprise=enterprise))
    assert all(fill >= 0.3 for fill in fills[:-1]), [round(fill, 2) for fill in fills]


def test_the_logo_is_the_wordmark_unless_a_setting_replaces_it(settings, tmp_path):
    from reporting import branding

    assert branding.logo_data_uri().startswith("data:image/svg+xml;base64,")
    logo = tmp_path / "programme.png"
    logo.write_bytes(factories.PNG)
    settings.REPORTS_LOGO = str(logo)
    assert branding.logo_data_uri().startswith("data:image/png;base64,")
    settings.REPORTS_LOGO = str(tmp_path / "missing.svg")  # a wrong path falls back to the wordmark
    assert branding.logo_data_uri().startswith("data:image/svg+xml;base64,")


def test_the_order_book_is_in_the_progress_report_with_its_twelve_months(officer, enterprise):
    from django.utils import timezone

    from baseline.models import OrderLine, OrderStatus

    factories.rounds(enterprise, officer)
    month = timezone.localdate().replace(day=1)
    for status, value in ((OrderStatus.CONFIRMED, 9600000), (OrderStatus.PIPELINE, 4500000)):
        OrderLine.objects.create(
            enterprise=enterprise,
            month=month,
            buyer="Nordic Denim AB",
            product="Jeans",
            quantity=1,
            value_pkr=value,
            status=status,
        )
    text = " ".join(page_texts(render(ReportKind.ENTERPRISE_PROGRESS, officer, enterprise=enterprise)))
    assert "Order book: the next twelve months" in text
    assert "9,600,000" in text and "4,500,000" in text and month.strftime("%b %Y") in text


def test_the_progress_report_reads_its_data_in_a_fixed_number_of_queries(
    officer, consultant, enterprise, django_assert_max_num_queries
):
    """Three rounds, visits, EIT, suggestions, attendance, photos and an order book: at most 15 queries,
    whatever the number of changes (each change's rounds come with it, not one query per change)."""
    from django.utils import timezone

    from baseline.models import Change, OrderLine, OrderStatus
    from reporting import reports
    from reporting.models import FileFormat, ReportJob

    _three_rounds(enterprise, officer)
    factories.training_data(enterprise, consultant)
    factories.attendance(enterprise)
    OrderLine.objects.create(
        enterprise=enterprise,
        month=timezone.localdate().replace(day=1),
        buyer="Nordic Denim AB",
        product="Jeans",
        quantity=1,
        value_pkr=9600000,
        status=OrderStatus.CONFIRMED,
    )
    assert Change.objects.filter(enterprise=enterprise).count() > 15
    job = ReportJob.objects.create(
        kind=ReportKind.ENTERPRISE_PROGRESS,
        requested_by=officer,
        file_format=FileFormat.PDF,
        signature="queries",
        enterprise=enterprise,
    )
    # as the worker reads it (services.run_job): nothing else cached on the instance
    job = ReportJob.objects.select_related("enterprise", "call", "requested_by").get(pk=job.pk)
    with django_assert_max_num_queries(15):
        content = reports.render(job).content
    assert content.startswith(b"%PDF")
