"""Each report rendered from seeded data; the PDF's text holds the numbers the test works out itself."""

from decimal import ROUND_HALF_UP, Decimal

import pytest

from baseline.models import Indicator, Kind
from enterprises.models import LetterKind, Stage
from enterprises.path import letters
from reporting import reports, services
from reporting.models import FileFormat, ReportJob, ReportKind
from reporting.tests import factories
from reporting.tests.helpers import flat, pdf_pages, pdf_text, workbook

pytestmark = pytest.mark.django_db


def render(kind, by, **subject):
    params = subject.pop("params", {})
    file_format = subject.pop("file_format", FileFormat.PDF)
    job = ReportJob.objects.create(
        kind=kind,
        requested_by=by,
        params=params,
        file_format=file_format,
        signature=f"test-{kind}-{ReportJob.objects.count()}",
        **subject,
    )
    return reports.render(job).content


def two(value) -> str:
    return str(Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def test_enterprise_baseline_report(officer, enterprise):
    factories.rounds(enterprise, officer)
    content = render(ReportKind.ENTERPRISE_BASELINE, officer, enterprise=enterprise)
    text = flat(pdf_text(content))
    base = factories.MONTH_BASE
    assert content.startswith(b"%PDF")
    assert "Baseline report" in text and "Indus Knitwear (Pvt) Ltd" in text
    # profile: the workforce of the EOI, with the women's share worked out here
    assert "620 (250 women, 370 men; 40.3% women)" in text
    assert f"{410 * 100 / 620:.1f}%" in text
    # screening: all nine criteria met
    assert "Eligible" in text and "Criteria met: 9; conditional: 0; not met: 0." in text
    assert "a workforce of at least 300, at least 25% permanent" in text
    # baseline KPIs: defect rate and productivity from the raw monthly inputs
    assert f"Defect rate All {base['defective_units'] * 100 / base['units_checked']:.1f}%" in text
    assert f"Productivity All {two(base['output_units'] / base['hours_worked'])} units per worker-hour" in text
    practices = Indicator.objects.filter(kind=Kind.PRACTICE).count()
    assert f"1 of {practices} practices in place." in text
    assert "Page 1 / " in text


def test_enterprise_report_without_indicators_says_so(officer, enterprise):
    text = flat(pdf_text(render(ReportKind.ENTERPRISE_BASELINE, officer, enterprise=enterprise)))
    assert "Baseline KPIs No data recorded yet." in text
    text = flat(pdf_text(render(ReportKind.ENTERPRISE_PROGRESS, officer, enterprise=enterprise)))
    for section in ("Training attended", "Consultancy visits and agreed actions", "Suggestion scheme"):
        assert f"{section} No data recorded yet." in text


def test_enterprise_progress_report(officer, consultant, enterprise):
    factories.rounds(enterprise, officer)
    factories.training_data(enterprise, consultant)
    people = factories.attendance(enterprise)
    content = render(ReportKind.ENTERPRISE_PROGRESS, officer, enterprise=enterprise)
    text = flat(pdf_text(content))
    base, latest = factories.MONTH_BASE, factories.MONTH_LATEST
    defect_before = base["defective_units"] * 100 / base["units_checked"]
    defect_after = latest["defective_units"] * 100 / latest["units_checked"]
    # the table of figures: values and changes in the KPI's unit (pp for a %), and relative to the baseline
    change = defect_after - defect_before
    relative = (change * 100 / defect_before).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    assert (
        f"Defect rate (%) All {defect_before:.1f}% {defect_after:.1f}% \u2212{-change:.1f} pp \u2212{-relative}% yes"
        in text
    )
    assert two(latest["output_units"] / latest["hours_worked"]) in text
    assert "2 / 2 KPIs improved since the baseline" in text
    assert "1 practices adopted since the baseline" in text and "Written OSH policy" in text
    # training app data: submitted visits only, EIT active members, suggestions and savings
    assert "2 visits; 3 actions agreed, 1 done, 2 open" in text
    assert "5 members (2 women, 3 men); 1 meetings recorded." in text
    assert "4 suggestions received, 2 adopted, 1 not decided yet." in text
    assert f"PKR {120000 + 30500:,} per year" in text
    assert "Cutting section" in text
    # attendance: 3 people over 2 sessions, one absence
    women = sum(1 for p in people if p.sex == "female")
    assert f"{len(people)} participants ({women} women, {len(people) - women} men)" in text
    assert (
        f"Present at {2 * len(people) - 1} of {2 * len(people)} session places recorded (3 by women, 2 by men)" in text
    )
    assert "Worker 2 0 2" in text and "Manager 0 1 1" in text


def test_programme_report(officer, consultant, enterprise):
    seeded = factories.screening_call(officer)
    improving = seeded["enterprises"][:2]
    slipping = seeded["enterprises"][2]
    for e in improving:
        factories.rounds(e, officer)
    factories.rounds(
        slipping,
        officer,
        latest={**factories.MONTH_BASE, "defective_units": Decimal(95)},
        practices_latest=("five_s",),
    )
    content = render(ReportKind.PROGRAMME, officer)
    text = flat(pdf_text(content))
    # 7 EOIs in all: the fixture's own (eligible) and the call's six
    workforces = [620] * 5 + [120, 120]
    assert "Programme report" in text and "All calls" in text
    met = sum(1 for w in workforces if w >= 300)
    assert f"Minimum workforce {met} 0 {len(workforces) - met} {len(workforces)}" in text
    assert f"Shares baseline data {len(workforces) - 1} 0 1 {len(workforces)}" in text
    assert "Human resource officer 6 1 0 7" in text
    # four enterprises on the path (the fixture's and three of the call), two shortlisted into Batch A
    assert "Not selected 0 Total 4" in text  # where the enterprises are now
    assert "Batch A Pakistan SCORE call 2019" in text and "10 2 8" in text
    # KPI change: 2 of 3 enterprises improve their defect rate
    share = (Decimal(2 * 100) / 3).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    assert f"Defect rate All 3 {share}%" in text
    changes = sorted(
        [
            factories.MONTH_LATEST["defective_units"] / 10 - Decimal(8),
            factories.MONTH_LATEST["defective_units"] / 10 - Decimal(8),
            Decimal("9.5") - Decimal(8),
        ]
    )
    # improving, already at the best value, the median change in percentage points and relative
    relative = (changes[1] * 100 / 8).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    assert f"Defect rate All 3 {share}% 0.0% \u2212{-changes[1]:.1f} pp \u2212{-relative}%" in text
    assert "Attendance by sex and role No data recorded yet." in text
    assert pdf_pages(content) >= 2
    factories.attendance(enterprise)
    text = flat(pdf_text(render(ReportKind.PROGRAMME, officer)))
    assert "3 participants (2 women, 1 men)" in text


def test_programme_report_hides_groups_under_three_enterprises(officer, enterprise):
    seeded = factories.screening_call(officer)
    for e in seeded["enterprises"][:2]:
        factories.rounds(e, officer)
    text = flat(pdf_text(render(ReportKind.PROGRAMME, officer)))
    assert "not shown (confidential)" in text
    assert "Defect rate All 2" not in text  # not even how many enterprises the hidden group has


def test_programme_report_for_one_call(officer, enterprise):
    seeded = factories.screening_call(officer)
    text = flat(pdf_text(render(ReportKind.PROGRAMME, officer, call=seeded["call"])))
    assert "Pakistan SCORE call 2019" in text
    assert "Not selected 0 Total 3" in text  # the fixture's enterprise answered another call
    assert "Minimum workforce 4 0 2 6" in text


def test_programme_workbook(officer, enterprise):
    factories.screening_call(officer)
    book = workbook(render(ReportKind.PROGRAMME, officer, file_format=FileFormat.XLSX))
    sheets = {sheet.title: sheet for sheet in book.sheets()}
    criteria = {row[0]: row[1:] for row in sheets["Criteria"]}
    assert criteria["Minimum workforce"] == (5, 0, 2, 7)
    funnel = dict(sheets["Funnel"])
    assert funnel["Shortlisted for a Level 1 batch"] == 2
    batches = list(sheets["Batches"])
    assert batches[0][0] == "Batch A" and batches[0][3:] == (10, 2, 8)


def test_call_screening_summary(officer):
    seeded = factories.screening_call(officer)
    content = render(ReportKind.CALL_SCREENING, officer, call=seeded["call"])
    text = flat(pdf_text(content))
    total = len(seeded["eligible"]) + 1 + len(seeded["ineligible"])
    assert "Screening summary Pakistan SCORE call 2019" in text
    assert f"{total} expressions of interest {len(seeded['eligible'])} Eligible 1 Needs review 2 Ineligible" in text
    assert "Minimum workforce 4 0 2" in text
    assert "Punjab 3 0 2 0 5" in text and "Sindh 0 1 0 0 1" in text
    assert "Minimum workforce, Shares baseline data" in text
    for eoi in seeded["ineligible"]:
        assert eoi.reference.split("-")[-1] in text


def test_business_case(officer, consultant, enterprise):
    factories.rounds(enterprise, officer)
    factories.training_data(enterprise, consultant)
    services.save_business_case(
        enterprise,
        by=officer,
        title="Fewer defects at Indus Knitwear",
        context="Rework ate the margins.",
        actions="An EIT of five tracked defects every week.",
        results="Defects fell by more than half.",
        quote="We now listen to the line.",
        quote_by="Managing director",
        lessons="Start with one line.",
    )
    text = flat(pdf_text(render(ReportKind.BUSINESS_CASE, officer, enterprise=enterprise)))
    assert "Fewer defects at Indus Knitwear" in text
    for words in ("Rework ate the margins.", "Defects fell by more than half.", "We now listen to the line."):
        assert words in text
    base, latest = factories.MONTH_BASE, factories.MONTH_LATEST
    before = base["defective_units"] * 100 / base["units_checked"]
    after = latest["defective_units"] * 100 / latest["units_checked"]
    assert f"Defect rate (%) {before:.1f}% {after:.1f}% \u2212{before - after:.1f} pp" in text
    assert "2 / 2 KPIs improved" in text
    assert f"saving an estimated PKR {120000 + 30500:,} per year" in text


def test_letter_pdf_is_the_letter_text(officer, enterprise):
    seeded = factories.screening_call(officer)
    shortlisted = seeded["eligible"][0].enterprises_following.get()
    assert shortlisted.stage == Stage.SHORTLISTED
    text = flat(
        pdf_text(render(ReportKind.LETTER, officer, enterprise=shortlisted, params={"letter_kind": "shortlisting"}))
    )
    letter = letters.render_letter(shortlisted, LetterKind.SHORTLISTING)
    assert flat(letter.subject) in text
    assert "is shortlisted for Batch A of Level 1" in text
    assert shortlisted.expression_of_interest.reference in text


def test_letter_pdf_of_a_sent_letter(officer, enterprise, mailoutbox):
    sent = letters.send_letter(enterprise, LetterKind.REGRET, by=officer)
    text = flat(
        pdf_text(
            render(
                ReportKind.LETTER,
                officer,
                enterprise=enterprise,
                params={"letter_kind": "regret", "sent_letter": sent.pk},
            )
        )
    )
    assert flat(sent.subject) in text
    assert "We regret that we cannot offer" in text


def test_the_baseline_report_for_the_enterprises_contact_holds_no_officers_reasons(officer, contact, enterprise):
    """The officers' reasons and overrides are internal (the path's page hides them from a contact too)."""
    from enterprises.models import Level1Batch
    from enterprises.path import services as path_services

    batch = Level1Batch.objects.create(call=enterprise.call, name="Batch 1", capacity=10)
    path_services.shortlist_for_batch(
        batch, [enterprise.expression_of_interest], by=officer, reason="SECRET remark about the owner"
    )
    assert "SECRET remark" in flat(pdf_text(render(ReportKind.ENTERPRISE_BASELINE, officer, enterprise=enterprise)))
    text = flat(pdf_text(render(ReportKind.ENTERPRISE_BASELINE, contact, enterprise=enterprise)))
    assert "SECRET" not in text and "Shortlisted for a Level 1 batch" in text
