"""The programme report for the ILO: a summary page first, whose readings are written from the
numbers, and the same indicator results on the page, in the PDF and in the workbook."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from baseline.tests.factories import indicator, measured
from enterprises.models import Stage
from enterprises.tests.factories import CallFactory, make_enterprise
from reporting import services
from reporting.models import FileFormat, ReportKind, TargetMetric
from reporting.tests import factories
from reporting.tests.helpers import page_texts, workbook
from reporting.tests.test_reports_pdf import render

pytestmark = pytest.mark.django_db
MINUS = "\u2212"

# defect rate (defective units per 1000 checked), baseline → follow-up, of five enterprises
FIVE = [(60, 30), (50, 40), (40, 50), (80, 20), (30, 30)]


@pytest.fixture
def five(officer):
    """Absolute changes (pp): -3, -1, +1, -6, 0 → median -1.0 pp. Relative: -50, -20, +25, -75, 0 % →
    median -20.0 %. Improved: 3 of 5, 60.0 %."""
    call = CallFactory(title="Call of five")
    for n, (before, after) in enumerate(FIVE):
        measured(
            make_enterprise(officer, number=f"7600-{n}", call=call),
            {"defective_units": before, "units_checked": 1000},
            {"defective_units": after, "units_checked": 1000},
            by=officer,
        )
    return call


def test_page_pdf_and_workbook_show_the_same_results(officer_client, officer, five):
    body = officer_client.get(reverse("baseline:home")).content.decode()
    assert f"{MINUS}1.0 pp" in body and f"{MINUS}20.0%" in body and "60.0%" in body
    pages = page_texts(render(ReportKind.PROGRAMME, officer))
    assert f"Defect rate (%) 5 60.0% 0.0% {MINUS}1.0 pp {MINUS}20.0%" in pages[0]  # the summary page
    assert f"Defect rate All 5 60.0% 0.0% {MINUS}1.0 pp {MINUS}20.0%" in " ".join(pages[1:])  # the annex
    book = workbook(render(ReportKind.PROGRAMME, officer, file_format=FileFormat.XLSX))
    sheets = {sheet.title: sheet for sheet in book.sheets()}
    (row,) = [r for r in sheets["Indicators by all"] if r[0] == "Defect rate" and r[2] == "All"]
    assert row[3:9] == (5, 60.0, 0.0, -1.0, "pp", -20.0)


def test_the_summary_page_reads_its_figures(officer, enterprise):
    seeded = factories.screening_call(officer)
    for e in seeded["enterprises"]:
        e.stage = Stage.LEVEL1_ACCEPTED
        e.save(update_fields=["stage"])
        factories.rounds(e, officer)
    factories.attendance(enterprise)  # 2 women workers, 1 man manager; present at 5 of 6 places
    services.save_target(
        by=officer,
        call=seeded["call"],
        metric=TargetMetric.KPI_IMPROVING,
        indicator=indicator("defect_rate"),
        value=Decimal(70),
        deadline=seeded["call"].closes_on.replace(year=2099),
    )
    summary = page_texts(render(ReportKind.PROGRAMME, officer))[0]
    # three enterprises of 620 workers each (250 women, 370 men) are in Level 1
    assert "3 enterprises reached" in summary
    assert (
        "SCORE reaches 3 enterprises, accepted into Level 1 or beyond, which employ 1,860 workers: "
        "750 women (40.3%) and 1,110 men." in summary
    )
    assert (
        "3 participants took part in the training, 2 of them women (66.7%); "
        "managers: 0 women and 1 men; workers: 2 women and 0 men" in summary
    )
    assert "present at 5 of the 6 session places recorded (83.3%)" in summary
    # all three improved their defect rate, 8 % → 3.5 %: 100 %, −4.5 pp, −56.3 %
    assert "3 enterprises have been measured at a baseline and again later." in summary
    assert (
        f"100.0% of 3 enterprises improved it, with a median change of {MINUS}4.5 pp ({MINUS}56.3% of the baseline)"
        in summary
    )
    assert "1 of 1 targets are achieved or on track." in summary
    assert "70% of enterprises improve their defect rate" in summary and "on track" in summary
    # the long tables are in the annex, after the summary
    assert "Where the enterprises are now" not in summary


def test_the_programme_pdf_summarises_what_grows_and_the_workbook_keeps_it_all(officer):
    """23 batches: the PDF shows the first 20 batches and, per indicator, the three batches where the
    most enterprises improved and the three where the fewest did; the workbook has every batch."""
    from baseline.tests.test_programme import _in_batches, _many_enterprises
    from reporting import selectors
    from reporting.tests.helpers import flat, pdf_text

    _many_enterprises(officer, 120)
    _in_batches(23)
    text = flat(pdf_text(render(ReportKind.PROGRAMME, officer)))
    assert f"The first {selectors.PDF_ROWS} of 23 batches; every one is in the Excel workbook." in text
    assert "among the 23 batches measured; every batch is in the Excel workbook" in text
    kpis = selectors.kpi_change(None)
    # a batch named: in the list of 20, or among an indicator's extremes; not every batch for every indicator
    named = len(re.findall(r"Batch \d\d", text))
    assert named <= selectors.PDF_ROWS + 2 * selectors.EXTREMES * len(kpis["batch_extremes"]) < 23 * 10
    for item in kpis["batch_extremes"]:
        assert len(item.top) <= selectors.EXTREMES and len(item.bottom) <= selectors.EXTREMES
        shares = [a.improving_pct for a, _name in item.top + item.bottom]
        assert shares == sorted(shares, reverse=True)
        assert not any(a.suppressed for a, _name in item.top + item.bottom)
    book = workbook(render(ReportKind.PROGRAMME, officer, file_format=FileFormat.XLSX))
    sheets = {sheet.title: sheet for sheet in book.sheets()}
    assert len(sheets["Batches"]) == 23
    batches = {row[1].split(" · ")[0] for row in sheets["Indicators by batch"]}
    assert batches == {f"Batch {k:02d}" for k in range(23)} | {"No batch"}


@pytest.mark.parametrize("by", ["all", "call", "batch", "sub_sector"])
def test_the_medians_are_computed_once_per_page_and_per_breakdown_of_the_report(officer_client, officer, five, by):
    """With a KPI target (whose actual is a share by call): the results page asks for the medians of
    its breakdown once, none for its chart or the targets; the report once per breakdown it shows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.save_target(
        by=officer,
        call=five,
        metric=TargetMetric.KPI_IMPROVING,
        indicator=indicator("defect_rate"),
        value=Decimal(70),
        deadline=five.closes_on.replace(year=2099),
    )
    postgres = connection.vendor == "postgresql"

    def median_queries(queries) -> int:
        # percentile_cont on PostgreSQL; elsewhere the window query, one for each of the two medians
        sql = [q["sql"].upper() for q in queries]
        return sum("PERCENTILE_CONT" in q for q in sql) if postgres else sum("ROW_NUMBER" in q for q in sql) // 2

    with CaptureQueriesContext(connection) as page:
        response = officer_client.get(reverse("baseline:home"), {"by": by})
    assert response.status_code == 200 and "Targets against actuals" in response.content.decode()
    assert median_queries(page.captured_queries) == 1
    with CaptureQueriesContext(connection) as report:
        render(ReportKind.PROGRAMME, officer)
    assert median_queries(report.captured_queries) == 4  # all, by call, by batch, by sub-sector
