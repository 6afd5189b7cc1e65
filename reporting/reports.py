"""The reports: what each one gathers (through selectors.py) and which template renders it.

`render(job, progress)` is what a worker runs; it reports progress as it goes (gathering,
rendering) and returns the file's bytes and its title.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from baseline.orderbook import services as order_book
from enterprises.models import LetterKind, SentLetter
from enterprises.path import letters as enterprise_letters
from score_portal.roles import is_officer

from . import branding, exports, global_database, pdf, readings, selectors
from .models import BusinessCase, FileFormat, ReportJob, ReportKind


@dataclass(frozen=True)
class Rendered:
    title: str
    content: bytes


def _common(job: ReportJob, title: str, subtitle: str = "") -> dict:
    return {
        "job": job,
        "title": title,
        "subtitle": subtitle,
        "generated_at": timezone.localtime(),
        "requested_by": job.requested_by.get_full_name() or job.requested_by.get_username(),
        "logo": branding.logo_data_uri(),
    }


def _enterprise(job: ReportJob):
    return selectors.enterprise_for_report(job.enterprise_id)


def gather_enterprise_baseline(job: ReportJob) -> dict:
    enterprise = _enterprise(job)
    return {
        **_common(job, _("Baseline report"), enterprise.legal_name),
        # The officers' reasons and overrides are internal: a report for a consultant or a contact
        # shows the steps and the criteria only.
        "internal": is_officer(job.requested_by),
        "profile": selectors.profile(enterprise),
        "screening": selectors.screening_result(enterprise),
        "events": selectors.path_events(enterprise),
        "baseline": selectors.baseline_indicators(enterprise),
    }


def gather_enterprise_progress(job: ReportJob) -> dict:
    enterprise = _enterprise(job)
    progress = selectors.indicator_progress(enterprise)
    visits = selectors.visits(enterprise)
    eit = selectors.eit(enterprise)
    suggestions = selectors.suggestions(enterprise)
    return {
        **_common(job, _("Progress and impact report"), enterprise.legal_name),
        "profile": selectors.profile(enterprise),
        "progress": progress,
        "summary": selectors.executive_summary(progress, visits, eit, suggestions),
        "attendance": selectors.training_attendance(enterprise),
        "visits": visits,
        "eit": eit,
        "suggestions": suggestions,
        "photos": selectors.photos(enterprise),
        "order_book": _order_book(enterprise),
    }


def _order_book(enterprise) -> dict | None:
    """The twelve-month order book (criterion 2.2.3), if the enterprise shares one."""
    last = order_book.last_month(enterprise)
    if last is None:
        return None
    totals = order_book.monthly_totals(enterprise, order_book.window_start(enterprise, last=last))
    return {"chart": order_book.chart(totals), "totals": totals}


def gather_business_case(job: ReportJob) -> dict:
    enterprise = _enterprise(job)
    case = BusinessCase.objects.filter(enterprise=enterprise).first()
    return {
        **_common(job, (case.title if case and case.title else _("Business case")), enterprise.legal_name),
        "profile": selectors.profile(enterprise),
        "case": case,
        "figures": selectors.business_case_figures(enterprise),
    }


def gather_letter(job: ReportJob) -> dict:
    enterprise = _enterprise(job)
    sent_id = job.params.get("sent_letter")
    kind = job.params["letter_kind"]
    if sent_id:
        sent = SentLetter.objects.get(pk=sent_id, enterprise=enterprise)
        subject, paragraphs, date = sent.subject, sent.body, timezone.localtime(sent.sent_at).date()
    else:
        letter = enterprise_letters.render_letter(enterprise, kind)
        subject, paragraphs, date = letter.subject, letter.text, timezone.localdate()
    with translation.override(enterprise_letters.language_of(enterprise)):
        title = str(LetterKind(kind).label)
    return {
        **_common(job, title, enterprise.legal_name),
        "enterprise": enterprise,
        "eoi": enterprise.expression_of_interest,
        "call": enterprise.call,
        "subject": subject,
        "body": paragraphs,
        "date": date,
        # A letter goes to the enterprise: in the language of its expression of interest, as its email.
        "language": enterprise_letters.language_of(enterprise),
    }


def eoi_letter_pdf(eoi, letter) -> bytes:
    """A letter about an expression of interest (a regret letter sent, or its preview) as a one-page
    PDF, in the same letterhead as the enterprises' letters. Registered with the screening's decisions."""
    sent_at = getattr(letter, "sent_at", None)
    context = {
        "title": str(LetterKind.EOI_REGRET.label),
        "subtitle": eoi.legal_name,
        "generated_at": timezone.localtime(),
        "logo": branding.logo_data_uri(),
        "enterprise": eoi,  # its legal name and city, as the letterhead shows them
        "eoi": eoi,
        "call": eoi.call,
        "subject": letter.subject,
        "body": getattr(letter, "body", None) or letter.text,
        "date": timezone.localtime(sent_at).date() if sent_at else timezone.localdate(),
    }
    return pdf.render_pdf("reporting/pdf/letter.html", context)


def gather_programme(job: ReportJob) -> dict:
    call = job.call
    reach = selectors.reach(call)
    attendance = selectors.programme_attendance(call)
    batches = selectors.batches(call)
    kpis = selectors.kpi_change(call, batches)
    targets = selectors.targets_with_actuals(call)
    return {
        **_common(job, _("Programme report"), str(call) if call else _("All calls")),
        "call": call,
        "reach": reach,
        "targets": targets,
        "readings": {
            "reach": readings.reach(reach),
            "participants": readings.participants(attendance),
            "improving": readings.improving(kpis),
            "targets": readings.targets(targets),
        },
        "pipeline": selectors.pipeline(call),
        "results": selectors.result_counts(call),
        "criteria": selectors.outcomes_by_criterion(call),
        "batches": batches,
        "batch_totals": selectors.batch_totals(batches),
        "groups": selectors.level2_groups(call),
        "pdf_rows": selectors.PDF_ROWS,
        "sub_sectors": selectors.by_sub_sector(call),
        "attendance": attendance,
        "kpis": kpis,
    }


def gather_call_screening(job: ReportJob) -> dict:
    call = job.call
    return {**_common(job, _("Screening summary"), str(call)), "screening": selectors.call_screening(call)}


@dataclass(frozen=True)
class Spec:
    gather: Callable[[ReportJob], dict]
    template: str


SPECS: dict[str, Spec] = {
    ReportKind.ENTERPRISE_BASELINE: Spec(gather_enterprise_baseline, "reporting/pdf/enterprise_baseline.html"),
    ReportKind.ENTERPRISE_PROGRESS: Spec(gather_enterprise_progress, "reporting/pdf/enterprise_progress.html"),
    ReportKind.BUSINESS_CASE: Spec(gather_business_case, "reporting/pdf/business_case.html"),
    ReportKind.LETTER: Spec(gather_letter, "reporting/pdf/letter.html"),
    ReportKind.PROGRAMME: Spec(gather_programme, "reporting/pdf/programme.html"),
    ReportKind.CALL_SCREENING: Spec(gather_call_screening, "reporting/pdf/call_screening.html"),
}


def _no_progress(progress: int, phase: str) -> None:
    return None


def render(job: ReportJob, progress: Callable[[int, str], None] = _no_progress) -> Rendered:
    if job.kind == ReportKind.GLOBAL_DATABASE:
        progress(15, _("Writing the export"))
        title = f"global-score-database-v{global_database.SCHEMA_VERSION}"
        return Rendered(title, global_database.export_bytes(job.file_format))
    spec = SPECS[job.kind]
    progress(15, _("Gathering the data"))
    context = spec.gather(job)
    title = f"{context['title']} {context['subtitle']}".strip()
    if job.file_format == FileFormat.XLSX:
        progress(55, _("Writing the workbook"))
        return Rendered(title, exports.programme_workbook(context))
    progress(45, _("Rendering the PDF"))
    with translation.override(context.get("language") or translation.get_language()):
        return Rendered(title, pdf.render_pdf(spec.template, context))
