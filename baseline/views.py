"""Baseline pages. Thin: access comes from enterprises.access, reads from selectors, writes from services.

Who sees what: officers everything; an assigned consultant reads and enters the data of their
enterprises; an enterprise contact reads their own enterprise's figures. Anyone else gets 404
for an enterprise (its existence is not confirmed); a contact trying to enter data gets 403.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from enterprises.access import can_work_on_enterprise, enterprise_for, enterprise_ids_visible_to
from enterprises.models import Enterprise
from score_portal.feedback import tell_refusal
from score_portal.permissions import officer_required
from score_portal.roles import is_officer

from . import charts, imports, rules, sections, selectors, services, submissions
from .forms import (
    ImportForm,
    IndicatorEditForm,
    IndicatorForm,
    MonthValuesForm,
    PracticesForm,
    RoundForm,
)
from .models import Indicator, IndicatorVersion, Kind, MonthlyValue, Result, Round, RoundKind, Submission

IMPORT_SESSION_KEY = "baseline-import-{pk}"
# The indicator enterprise list shows this many at a time (a national programme has thousands).
ENTERPRISE_PAGE_SIZE = 50
# The programme results by batch show this many batches at a time (every indicator for each).
PAGED_GROUPINGS = {"batch"}
GROUP_PAGE_SIZE = 10


def _round_for(request, pk, *, work=False) -> Round:
    """The round if the user may see its enterprise (404 otherwise); 403 to write without the right."""
    rounds = Round.objects.select_related("enterprise").filter(enterprise__in=enterprise_ids_visible_to(request.user))
    round_ = get_object_or_404(rounds, pk=pk)
    if work and not can_work_on_enterprise(request.user, round_.enterprise):
        raise PermissionDenied
    return round_


# ---------------------------------------------------------------- programme (officers)
@officer_required
def home(request):
    grouping = request.GET.get("by", "all")
    if grouping not in selectors.GROUPINGS:
        grouping = "all"
    page = None
    if grouping in PAGED_GROUPINGS:
        # Hundreds of batches: a page of them at a time, their medians alone computed.
        shown = selectors.programme_page(grouping, request.GET.get("page"), GROUP_PAGE_SIZE)
        aggregates, page, found = shown.aggregates, shown.page, shown.breakdown
    else:
        found = selectors.programme_breakdown(grouping)
        aggregates = found.aggregates()
    # The chart shows the shares of all enterprises: summed from the breakdown's counts, no query.
    headline = selectors.headline(found.overall())
    return render(
        request,
        "baseline/home.html",
        {
            "grouping": grouping,
            "page": page,
            "groupings": [(key, label) for key, (_field, label) in selectors.GROUPINGS.items()],
            "blocks": selectors.programme_table(aggregates),
            "kpi_bars": charts.improvement_rows([a for a in headline if a.indicator.kind == Kind.KPI]),
            "practice_bars": charts.improvement_rows([a for a in headline if a.indicator.kind == Kind.PRACTICE]),
            "counts": selectors.programme_counts(),
            "min_group": rules.MIN_GROUP,
            "sections": sections.render_sections(request),
        },
    )


# ---------------------------------------------------------------- catalogue (officers)
@officer_required
def indicator_list(request):
    return render(request, "baseline/indicator_list.html", {"indicators": selectors.indicators()})


@officer_required
def indicator_create(request):
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            indicator = services.create_indicator(by=request.user, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Indicator added."))
            return redirect("baseline:indicator_detail", indicator.pk)
    return render(request, "baseline/indicator_form.html", {"form": form, "indicator": None})


@officer_required
def indicator_detail(request, pk):
    indicator = get_object_or_404(
        Indicator.objects.select_related("current_version").prefetch_related(
            Prefetch("versions", IndicatorVersion.objects.select_related("created_by"))
        ),
        pk=pk,
    )
    used = dict(
        Result.objects.filter(indicator=indicator).values("version").annotate(n=Count("pk")).values_list("version", "n")
    )
    versions = [(version, used.get(version.pk, 0)) for version in indicator.versions.all()]
    return render(request, "baseline/indicator_detail.html", {"indicator": indicator, "versions": versions})


@officer_required
def indicator_edit(request, pk):
    indicator = get_object_or_404(Indicator.objects.select_related("current_version"), pk=pk)
    form = IndicatorEditForm(request.POST or None, indicator=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_indicator(
                indicator,
                by=request.user,
                reason=form.cleaned_data["reason"],
                active=form.cleaned_data["active"],
                **form.definition(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved. Results computed earlier keep the version they used."))
            return redirect("baseline:indicator_detail", indicator.pk)
    return render(request, "baseline/indicator_form.html", {"form": form, "indicator": indicator})


# ---------------------------------------------------------------- enterprises
def enterprise_list(request):
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.enterprises_for(request.user, search=search), ENTERPRISE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    selectors.round_summaries(page.object_list)
    return render(
        request,
        "baseline/enterprise_list.html",
        {"enterprises": page.object_list, "page": page, "search": search, "is_officer": is_officer(request.user)},
    )


def enterprise_results(request, pk):
    enterprise = enterprise_for(request.user, pk, Enterprise.objects.select_related("call", "batch"))
    results = selectors.enterprise_results(enterprise)
    for row in results["kpis"]:
        row.spark = charts.sparkline([cell.value if cell else None for cell in row.cells])
    can_work = can_work_on_enterprise(request.user, enterprise)
    return render(
        request,
        "baseline/enterprise_results.html",
        {
            "enterprise": enterprise,
            "can_work": can_work,
            "round_form": RoundForm() if can_work else None,
            **results,
        },
    )


def round_create(request, pk):
    enterprise = enterprise_for(request.user, pk)
    if not can_work_on_enterprise(request.user, enterprise):
        raise PermissionDenied
    # The path's refusals link here with the kind of round they need.
    kind = request.GET.get("kind")
    form = RoundForm(request.POST or None, initial={"kind": kind} if kind in RoundKind.values else None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.create_round(enterprise, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Round added. Enter its monthly values."))
            return redirect("baseline:round_detail", round_.pk)
    return render(request, "baseline/round_form.html", {"form": form, "enterprise": enterprise})


def round_detail(request, pk):
    round_ = _round_for(request, pk)
    practices = {
        r.indicator_id: r
        for r in Result.objects.filter(round=round_, indicator__kind=Kind.PRACTICE).select_related("version")
    }
    return render(
        request,
        "baseline/round_detail.html",
        {
            "round": round_,
            "enterprise": round_.enterprise,
            "grid": selectors.round_grid(round_),
            "practices": [
                (indicator, practices.get(indicator.pk))
                for indicator in selectors.indicators().filter(kind=Kind.PRACTICE)
            ],
            "can_work": can_work_on_enterprise(request.user, round_.enterprise),
            # the enterprise's own contact sends a month's values for the consultant to accept
            "is_contact": submissions.is_own_contact(request.user, round_.enterprise),
        },
    )


def _month_param(request, round_) -> datetime.date:
    raw = request.GET.get("month") or request.POST.get("month")
    if not raw:
        return round_.month_list()[0]
    try:
        month = imports.parse_month(raw)
    except ValueError:
        raise Http404("No such month") from None
    if month not in round_.month_list():
        raise Http404("Month outside the round")
    return month


def _existing_values(round_, month) -> dict:
    return {
        v.code: (rules.NOT_TRACKED if v.not_tracked else v.value)
        for v in MonthlyValue.objects.filter(round=round_, month=month)
    }


@never_cache
def month_sync(request, pk):
    """A month of figures typed on a phone without signal, sent by its outbox (training/outbox.js):
    the form's own validation and save. Sending it twice saves the same values again, nothing more."""
    round_ = _round_for(request, pk, work=True)
    if request.method != "POST":  # after the access check: an outsider learns nothing from a 405
        return HttpResponseNotAllowed(["POST"])
    month = _month_param(request, round_)
    form = MonthValuesForm(request.POST, round_=round_, month=month, existing=_existing_values(round_, month))
    if not form.is_valid():
        errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        return JsonResponse({"outcome": "invalid", "errors": errors}, status=400)
    try:
        services.save_month(round_, month, form.values(), by=request.user, confirmed=True)
    except ValidationError as exc:
        return JsonResponse({"outcome": "invalid", "errors": {"__all__": exc.messages}}, status=400)
    return JsonResponse({"outcome": "saved", "url": reverse("baseline:round_detail", args=[round_.pk])})


def month_entry(request, pk):
    round_ = _round_for(request, pk)
    # The enterprise's own contact submits the month for the consultant to accept.
    contact = submissions.is_own_contact(request.user, round_.enterprise)
    if not contact and not can_work_on_enterprise(request.user, round_.enterprise):
        raise PermissionDenied
    month = _month_param(request, round_)
    existing = _existing_values(round_, month)
    form = MonthValuesForm(request.POST or None, round_=round_, month=month, existing=existing)
    if request.method == "POST" and form.is_valid() and contact:
        try:
            submissions.submit_month(round_, month, form.values(), by=request.user)
        except ValidationError as exc:
            tell_refusal(request, exc)
        else:
            messages.success(
                request, _("Sent to your consultant, who accepts the values or returns them with a comment.")
            )
            return redirect("baseline:submissions", round_.enterprise_id)
    elif request.method == "POST" and form.is_valid():
        try:
            services.save_month(round_, month, form.values(), by=request.user, confirmed=True)
        except ValidationError as exc:
            tell_refusal(request, exc)
        else:
            messages.success(request, _("Values for %(month)s saved.") % {"month": month.strftime("%Y-%m")})
            return redirect("baseline:round_detail", round_.pk)
    first, more = form.split_groups(selectors.tracked_inputs(round_.enterprise))
    return render(
        request,
        "baseline/month_form.html",
        {"round": round_, "enterprise": round_.enterprise, "month": month, "form": form, "first": first, "more": more},
    )


def practices_entry(request, pk):
    round_ = _round_for(request, pk, work=True)
    practices = selectors.indicators().filter(kind=Kind.PRACTICE, active=True)
    existing = {
        r.indicator_id: r.value == 1 for r in Result.objects.filter(round=round_, indicator__kind=Kind.PRACTICE)
    }
    form = PracticesForm(request.POST or None, practices=practices, existing=existing)
    if request.method == "POST" and form.is_valid():
        services.save_practices(round_, form.answers(), by=request.user)
        messages.success(request, _("Practices saved."))
        return redirect("baseline:round_detail", round_.pk)
    return render(
        request, "baseline/practices_form.html", {"round": round_, "enterprise": round_.enterprise, "form": form}
    )


def import_values(request, pk):
    """Upload or paste → preview with each row's errors → confirm. Nothing is saved before the confirmation."""
    round_ = _round_for(request, pk, work=True)
    key = IMPORT_SESSION_KEY.format(pk=round_.pk)
    if request.method == "POST" and request.POST.get("action") == "confirm":
        stored = request.session.get(key)
        if not stored:
            messages.error(request, _("The preview has expired; upload the rows again."))
            return redirect("baseline:import_values", round_.pk)
        try:
            count = services.save_rows(
                round_, imports.deserialise(stored), by=request.user, confirmed=bool(request.POST.get("confirm"))
            )
        except services.NeedsConfirmation:
            messages.error(request, _("Tick the box to confirm the values flagged as more than 3× the previous round."))
            return redirect("baseline:import_values", round_.pk)
        except (ValidationError, ValueError) as exc:
            tell_refusal(request, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
            return redirect("baseline:import_values", round_.pk)
        request.session.pop(key, None)
        messages.success(request, _("%(count)s months imported.") % {"count": count})
        return redirect("baseline:round_detail", round_.pk)

    form = ImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        preview = imports.parse_rows(form.cleaned_data["headers"], form.cleaned_data["data"])
        services.check_rows(round_, preview)
        if preview and all(row.ok for row in preview):
            request.session[key] = imports.serialise(preview)
        else:
            request.session.pop(key, None)
    return render(
        request,
        "baseline/import.html",
        {
            "round": round_,
            "enterprise": round_.enterprise,
            "form": form,
            "preview": preview,
            "can_confirm": bool(preview) and all(row.ok for row in preview),
            "has_warnings": bool(preview) and any(row.warnings for row in preview),
            "columns": rules.ENTRY_CODES,
        },
    )


def import_template(request, pk):
    round_ = _round_for(request, pk, work=True)
    response = HttpResponse(imports.template_csv(round_), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="round-{round_.pk}-template.csv"'
    return response


# ---------------------------------------------------------------- what the enterprise submits
def submission_list(request, pk):
    """The enterprise's submissions, newest first, with accept / return for whoever records its data."""
    enterprise = enterprise_for(request.user, pk)
    can_decide = can_work_on_enterprise(request.user, enterprise)
    rows = list(
        Submission.objects.filter(enterprise=enterprise).select_related("round", "submitted_by", "decided_by")[:100]
    )
    for row in rows:
        row.summary = submissions.summary(row)
    return render(
        request,
        "baseline/submissions.html",
        {"enterprise": enterprise, "rows": rows, "can_decide": can_decide},
    )


@require_POST
def submission_decide(request, pk, submission_pk):
    enterprise = enterprise_for(request.user, pk)
    if not can_work_on_enterprise(request.user, enterprise):
        raise PermissionDenied
    submission = get_object_or_404(Submission, pk=submission_pk, enterprise=enterprise)
    try:
        if request.POST.get("decision") == "accept":
            submissions.accept(submission, by=request.user)
            messages.success(request, _("Accepted and saved."))
        else:
            submissions.return_to_enterprise(submission, by=request.user, comment=request.POST.get("comment", ""))
            messages.success(request, _("Returned to the enterprise with your comment."))
    except ValidationError as exc:
        tell_refusal(request, exc)
    return redirect("baseline:submissions", enterprise.pk)
