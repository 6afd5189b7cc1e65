"""Small groups stay hidden when the totals are shown: a hand-made programme where hiding only the
small group would be undone by subtraction, read back from the results page, the programme PDF and
the programme workbook as an analyst would read them."""

import re
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from baseline import rules, selectors
from baseline.tests.factories import measured
from enterprises.tests.factories import CallFactory, make_enterprise
from reporting.models import FileFormat, ReportKind
from reporting.tests.helpers import flat, pdf_text, workbook
from reporting.tests.test_reports_pdf import render

pytestmark = pytest.mark.django_db

HIDDEN = "not shown (confidential)"

# sub-sector → the defect rate (defective units per 1000 checked) of each enterprise, before → after
PROGRAMME = {
    "rmg_woven": [(60, 20)],  # the one enterprise of its sub-sector, and it improved
    "rmg_knitwear": [(50, 40), (50, 60), (50, 50)],
    "dyeing_woven": [(70, 30), (70, 60), (70, 80), (70, 10)],
    "dyeing_knitwear": [(40, 30), (40, 20), (40, 45)],
}
LABELS = {
    "rmg_woven": "Ready-made garments (woven)",
    "rmg_knitwear": "Ready-made garments (knitwear)",
    "dyeing_woven": "Dyeing (woven)",
    "dyeing_knitwear": "Dyeing (knitwear)",
}
TRUTH = {
    LABELS[code]: (len(rates), sum(1 for before, after in rates if after < before)) for code, rates in PROGRAMME.items()
}


@pytest.fixture
def programme(officer):
    call = CallFactory(title="Call for the confidentiality test")
    for code, rates in PROGRAMME.items():
        for n, (before, after) in enumerate(rates):
            measured(
                make_enterprise(officer, number=f"7300-{code}-{n}", call=call, sub_sector=code),
                {"defective_units": before, "units_checked": 1000},
                {"defective_units": after, "units_checked": 1000},
                by=officer,
            )


def _improving(enterprises: int, pct: str) -> int:
    return int((Decimal(pct) * enterprises / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def what_subtraction_gives(total: tuple[int, int], groups: dict) -> dict:
    """An analyst's arithmetic: the total minus the shown groups is the hidden groups' sum, which
    is one group's figures when one group alone is hidden. `groups` maps a label to
    (enterprises, improving), or to None when hidden."""
    hidden = [label for label, figures in groups.items() if figures is None]
    shown = [figures for figures in groups.values() if figures is not None]
    rest = (total[0] - sum(n for n, _i in shown), total[1] - sum(i for _n, i in shown))
    return {tuple(hidden): rest}


def assert_nothing_small_can_be_worked_out(total, groups):
    assert total == (11, sum(improving for _n, improving in TRUTH.values()))
    assert groups[LABELS["rmg_woven"]] is None, "the one-enterprise sub-sector is hidden"
    for shown_label, figures in groups.items():
        if figures is not None:
            assert figures == TRUTH[shown_label]
    ((hidden, rest),) = what_subtraction_gives(total, groups).items()
    # the subtraction gives only the sum of two or more groups, over at least three enterprises
    assert len(hidden) >= 2
    assert rest[0] == sum(TRUTH[label][0] for label in hidden) >= rules.MIN_GROUP


def test_hiding_the_small_group_alone_would_be_undone_by_subtraction(programme):
    rows = [a for a in selectors.programme_results("sub_sector") if a.indicator.code == "defect_rate"]
    plain = {a.group_label: None if rules.suppressed(a.enterprises) else TRUTH[a.group_label] for a in rows}
    (all_row,) = [a for a in selectors.programme_results("all") if a.indicator.code == "defect_rate"]
    gives = what_subtraction_gives((all_row.enterprises, all_row.improving), plain)
    assert gives == {(LABELS["rmg_woven"],): (1, 1)}  # one enterprise, and it improved


class _Rows(HTMLParser):
    """Every table row of a page as the texts of its cells."""

    def __init__(self):
        super().__init__()
        self.rows, self._cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _page_rows(client, by) -> dict:
    parser = _Rows()
    parser.feed(client.get(reverse("baseline:home"), {"by": by}).content.decode())
    figures = {}
    for cells in parser.rows:
        if cells and cells[0].startswith("Defect rate"):
            cells = cells[1:]  # the indicator's heading spans its rows
        if by == "all" and cells and cells[0] == "All":
            cells = ["All enterprises", *cells]  # one group: the page names no group column
        if len(cells) >= 3 and (cells[0] in TRUTH or cells[0] == "All enterprises"):
            if cells[2] == HIDDEN:
                figures[cells[0]] = None
            else:
                enterprises = int(cells[2])
                # enterprises, median change (unit), median change (%), % improving, at the best value
                figures[cells[0]] = (enterprises, _improving(enterprises, cells[5].rstrip(" %")))
    return figures


def test_the_results_page_gives_no_small_group_back(officer_client, programme):
    total = _page_rows(officer_client, "all")["All enterprises"]
    groups = _page_rows(officer_client, "sub_sector")
    assert set(groups) == set(TRUTH)
    assert_nothing_small_can_be_worked_out(total, groups)


def test_the_programme_pdf_gives_no_small_group_back(officer, programme):
    text = flat(pdf_text(render(ReportKind.PROGRAMME, officer)))
    (total,) = re.findall(r"Defect rate All (\d+) ([\d.]+)%", text)
    groups = {}
    for label in TRUTH:
        shown = re.search(rf"Defect rate {re.escape(label)} (\d+) ([\d.]+)%", text)
        hidden = f"Defect rate {label} {HIDDEN}" in text
        assert bool(shown) != hidden, label
        groups[label] = None if hidden else (int(shown[1]), _improving(int(shown[1]), shown[2]))
    assert_nothing_small_can_be_worked_out((int(total[0]), _improving(int(total[0]), total[1])), groups)


def test_the_programme_workbook_gives_no_small_group_back_nor_its_size(officer, programme):
    book = workbook(render(ReportKind.PROGRAMME, officer, file_format=FileFormat.XLSX))
    sheets = {sheet.title: sheet for sheet in book.sheets()}
    (total,) = [row for row in sheets["Indicators by all"] if row[0] == "Defect rate" and row[2] == "All"]
    groups = {}
    for indicator, label, _sex, enterprises, improving_pct, at_best, median, _unit, relative, note in sheets[
        "Indicators by sub-sector"
    ]:
        if indicator != "Defect rate":
            continue
        if note:
            assert note == HIDDEN and enterprises is None and improving_pct is None and median is None
            assert at_best is None and relative is None
            groups[label] = None
        else:
            groups[label] = (enterprises, _improving(enterprises, str(improving_pct)))
    assert set(groups) == set(TRUTH)
    assert_nothing_small_can_be_worked_out((total[3], _improving(total[3], str(total[4]))), groups)
