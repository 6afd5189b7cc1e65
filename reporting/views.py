"""Report pages: ask for a report, follow its progress (htmx polling), download it. Thin: the rules
live in services.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprises.access import enterprise_for, visible_enterprises
from enterprises.models import DataSharingConsent
from score_portal.feedback import tell_refusal
from score_portal.permissions import officer_required
from score_portal.roles import is_officer

from . import datasets, global_database, selectors, services
from .forms import (
    BusinessCaseForm,
    CallScreeningForm,
    DataExportForm,
    EnterpriseReportForm,
    ProgrammeReportForm,
    TargetForm,
)
from .models import BusinessCase, FileFormat, ReportKind, Target

CONTENT_TYPES = {
    FileFormat.PDF: "application/pdf",
    FileFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileFormat.JSONL: "application/jsonl",
    FileFormat.CSV: "text/csv",
}


def _after_request(request, requested: services.Requested):
    job = requested.job
    # Checked first: asking again for a job saved during an outage sends it again, and that may fail again
    # (a job someone else has just asked for is not sent yet either, but has no error).
    if job.waiting_for_queue and (requested.created or job.dispatch_error):
        messages.warning(
            request,
            _(
                "The report queue cannot be reached right now. Your request is saved and the report will be "
                "made as soon as the queue is back; this page will show it."
            ),
        )
    elif not requested.created:
        messages.info(request, _("This report is already being made; you follow the same job."))
    return redirect("reporting:job", pk=job.pk)


def home(request):
    """The report jobs the user may see, and (for officers) the programme reports to ask for."""
    page = Paginator(services.jobs_visible_to(request.user), 25).get_page(request.GET.get("page"))
    officer = is_officer(request.user)
    return render(
        request,
        "reporting/home.html",
        {
            "page": page,
            "officer": officer,
            "programme_form": ProgrammeReportForm() if officer else None,
            "call_form": CallScreeningForm() if officer else None,
            "can_export": bool(datasets.datasets_for(request.user)),
            **_few_enterprises(request.user),
        },
    )


# Up to this many enterprises are listed on the reports page; past it, the picker is a search.
PICKER_LIST = 20


def _few_enterprises(user) -> dict:
    """The user's enterprises as links when there are few (a contact, most consultants), else
    only a search: a national programme's thousands never go into one page. Two queries at most."""
    few = list(visible_enterprises(user).only("pk", "legal_name").order_by("legal_name", "pk")[: PICKER_LIST + 1])
    return {"enterprises": few if len(few) <= PICKER_LIST else None, "enterprise_search": len(few) > PICKER_LIST}


def enterprise_pick(request):
    """Open one enterprise's reports (?enterprise=pk), or find it by name or city (?q=): the
    matches, at most PICKER_LIST, as a page or as the htmx fragment that the search box fills."""
    if "enterprise" in request.GET:
        try:
            pk = int(request.GET.get("enterprise", ""))
        except ValueError:
            return redirect("reporting:home")
        return redirect("reporting:enterprise", pk=enterprise_for(request.user, pk).pk)
    search = request.GET.get("q", "").strip()[:100]
    matches = []
    if search:
        matches = list(
            visible_enterprises(request.user)
            .filter(Q(legal_name__icontains=search) | Q(city__icontains=search))
            .only("pk", "legal_name", "city")
            .order_by("legal_name", "pk")[: PICKER_LIST + 1]
        )
    context = {"matches": matches[:PICKER_LIST], "more": len(matches) > PICKER_LIST, "search": search}
    if request.htmx:
        return render(request, "reporting/_enterprise_matches.html", context)
    return render(request, "reporting/enterprise_search.html", context)


@require_POST
@officer_required
def request_programme(request):
    form = ProgrammeReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pick a valid call and format."))
        return redirect("reporting:home")
    requested = services.request_report(
        request.user,
        ReportKind.PROGRAMME,
        call=form.cleaned_data["call"],
        file_format=form.cleaned_data["file_format"],
    )
    return _after_request(request, requested)


@require_POST
@officer_required
def request_call_screening(request):
    form = CallScreeningForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pick a call."))
        return redirect("reporting:home")
    requested = services.request_report(request.user, ReportKind.CALL_SCREENING, call=form.cleaned_data["call"])
    return _after_request(request, requested)


@require_POST
@officer_required
def request_global_database(request):
    """The export for the global SCORE database, made by a worker like the reports."""
    file_format = request.POST.get("file_format")
    if file_format not in (FileFormat.JSONL, FileFormat.CSV):
        messages.error(request, _("Pick JSON Lines or CSV."))
        return redirect("reporting:data_exports")
    requested = services.request_report(request.user, ReportKind.GLOBAL_DATABASE, file_format=file_format)
    return _after_request(request, requested)


def enterprise_reports(request, pk):
    """The reports of one enterprise: ask for one, and the earlier ones."""
    enterprise = enterprise_for(request.user, pk)
    officer = is_officer(request.user)
    form = EnterpriseReportForm(request.POST or None, officer=officer)
    if request.method == "POST" and form.is_valid():
        params = {"letter_kind": form.cleaned_data.get("letter_kind")}
        kind = form.cleaned_data["kind"]
        try:
            requested = services.request_report(
                request.user, kind, enterprise=enterprise, params=params if kind == ReportKind.LETTER else None
            )
        except PermissionDenied:
            raise Http404("No such report") from None
        return _after_request(request, requested)
    jobs = services.jobs_visible_to(request.user).filter(enterprise=enterprise)[:20]
    return render(
        request,
        "reporting/enterprise.html",
        {
            "enterprise": enterprise,
            "form": form,
            "jobs": jobs,
            "officer": officer,
            "case": BusinessCase.objects.filter(enterprise=enterprise).first() if officer else None,
        },
    )


@officer_required
def business_case(request, pk):
    enterprise = enterprise_for(request.user, pk)
    case = BusinessCase.objects.filter(enterprise=enterprise).first()
    form = BusinessCaseForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        services.save_business_case(enterprise, by=request.user, **form.cleaned_data)
        messages.success(request, _("Business case saved. Ask for its PDF below."))
        return redirect("reporting:enterprise", pk=enterprise.pk)
    return render(request, "reporting/business_case_form.html", {"enterprise": enterprise, "form": form})


def job_detail(request, pk):
    job = services.job_for(request.user, pk)
    return render(request, "reporting/job_detail.html", {"job": job})


def job_status(request, pk):
    """The progress panel alone, polled by htmx every two seconds until the job is done or failed."""
    job = services.job_for(request.user, pk)
    return render(request, "reporting/_job_status.html", {"job": job})


@require_POST
def job_retry(request, pk):
    job = services.job_for(request.user, pk)
    try:
        job = services.retry_job(job, by=request.user)
    except ValidationError as exc:
        tell_refusal(request, exc)
        return redirect("reporting:job", pk=job.pk)
    job.refresh_from_db()
    if job.waiting_for_queue:
        messages.warning(request, _("The report queue still cannot be reached; the request stays saved."))
    return redirect("reporting:job", pk=job.pk)


def download(request, pk):
    """The file, for those who may see the data in it; 404 for everyone else."""
    job = services.job_for(request.user, pk)
    if not job.downloadable:
        raise Http404("This report has no file (not ready, failed, or removed after the retention period).")
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is gone.") from None
    response = FileResponse(
        handle, as_attachment=True, filename=job.download_name, content_type=CONTENT_TYPES[job.file_format]
    )
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------- programme targets (officers)
@officer_required
def targets(request):
    """The programme's targets against their actuals, and a form to set one."""
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_target(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Target saved."))
            return redirect("reporting:targets")
    return render(
        request,
        "reporting/targets.html",
        {"form": form, "targets": selectors.targets_with_actuals(), "today": timezone.localdate()},
    )


@officer_required
def target_edit(request, pk):
    target = get_object_or_404(Target.objects.select_related("call", "indicator"), pk=pk)
    form = TargetForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_target(by=request.user, target=target, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Target saved."))
            return redirect("reporting:targets")
    return render(request, "reporting/target_form.html", {"form": form, "target": target})


@require_POST
@officer_required
def target_delete(request, pk):
    target = get_object_or_404(Target, pk=pk)
    services.delete_target(target, by=request.user)
    messages.success(request, _("Target removed."))
    return redirect("reporting:targets")


# ---------------------------------------------------------------- raw data for evaluators
def data_exports(request):
    """Long-format tables as CSV or XLSX: officers all of them; consultants the rows of their own
    enterprises; nobody else (404, as for an enterprise outside one's scope)."""
    available = datasets.datasets_for(request.user)
    if not available:
        raise Http404("No data to export")
    form = DataExportForm(
        request.GET if "dataset" in request.GET else None,
        datasets=available,
        enterprises=visible_enterprises(request.user),
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        dataset = datasets.DATASETS[data["dataset"]]
        filters = datasets.Filters(call=data["call"], batch=data["batch"], sub_sector=data["sub_sector"])
        headers, rows = dataset.build(request.user, filters)
        name = "-".join(p for p in ("score", dataset.code, filters.slug(), timezone.localdate().isoformat()) if p)
        if data["file_format"] == "xlsx":
            response = HttpResponse(
                datasets.xlsx_bytes(str(dataset.label), headers, rows), content_type=CONTENT_TYPES[FileFormat.XLSX]
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        else:
            response = StreamingHttpResponse(datasets.csv_lines(headers, rows), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        response["Cache-Control"] = "private, no-store"
        return response
    return render(
        request,
        "reporting/data_exports.html",
        {
            "form": form,
            "datasets": available,
            "officer": is_officer(request.user),
            "global_schema_version": global_database.SCHEMA_VERSION,
            "consenting": DataSharingConsent.objects.filter(global_database=True).count(),
        },
    )
