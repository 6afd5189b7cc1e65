"""Officer pages: calls, the screening queue and its exports, an EOI's detail, override,
re-screening and manual entry. Views stay thin: reads in selectors, writes in services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from score_portal.permissions import officer_required

from . import selectors, services
from .exports import CONTENT_TYPES, queue_export_response
from .filters import SORT_FIELDS, ScreeningQueueFilter
from .models import Call, Enterprise, ExpressionOfInterest
from .officer_forms import EOI_GROUPS, THRESHOLDS_NOTE, CallForm, OfficerEOIEntry, OverrideForm, RescreenForm

PAGE_SIZE = 25


# ---------------------------------------------------------------- calls
@officer_required
def call_list(request):
    return render(request, "enterprises/officer/call_list.html", {"calls": selectors.calls_with_counts()})


def _call_form_page(request, call=None):
    form = CallForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        call = form.save()
        messages.success(request, _("The call “%(title)s” was saved.") % {"title": call.title})
        return redirect("enterprises:call_list")
    return render(
        request,
        "enterprises/officer/call_form.html",
        {"form": form, "call": call, "thresholds_note": THRESHOLDS_NOTE},
    )


@officer_required
def call_create(request):
    return _call_form_page(request)


@officer_required
def call_edit(request, pk):
    return _call_form_page(request, get_object_or_404(Call, pk=pk))


# ---------------------------------------------------------------- the queue
def _sort_columns(current: str) -> dict:
    """For each sortable column: the sort value its header link sets, and its current direction."""
    columns = {}
    for name in SORT_FIELDS:
        direction = "asc" if current == name else "desc" if current == f"-{name}" else ""
        columns[name] = {"next": f"-{name}" if direction == "asc" else name, "direction": direction}
    return columns


@officer_required
def screening_queue(request):
    queryset = selectors.screening_queue()
    filterset = ScreeningQueueFilter(request.GET or None, queryset=queryset)
    eois = filterset.qs
    file_format = request.GET.get("format")
    if file_format in CONTENT_TYPES:
        return queue_export_response(eois, file_format)

    # Counts per result under every filter except the result itself, so that each count
    # says what choosing that result would show.
    facet_data = request.GET.copy()
    facet_data.pop("result", None)
    counts = selectors.result_counts(ScreeningQueueFilter(facet_data or None, queryset=queryset).qs)

    page = Paginator(eois, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # evaluated once, then used twice
    failed = selectors.failed_criteria(page.object_list)
    rows = [(eoi, [selectors.CRITERION_LABELS[c] for c in failed.get(eoi.pk, [])]) for eoi in page.object_list]
    return render(
        request,
        "enterprises/officer/queue.html",
        {
            "filterset": filterset,
            "page": page,
            "rows": rows,
            "counts": counts,
            "total": sum(c["count"] for c in counts),
            "current_result": request.GET.get("result", ""),
            "columns": _sort_columns(request.GET.get("o", "")),
        },
    )


# ---------------------------------------------------------------- one EOI
def _eoi_sections(eoi) -> list[tuple[str, list[tuple[str, object]]]]:
    """The EOI's answers grouped as on the form, each as (label, value to show)."""
    sections = []
    for title, names in EOI_GROUPS:
        items = []
        for name in names:
            field = ExpressionOfInterest._meta.get_field(name)
            value = getattr(eoi, name)
            if field.choices:
                value = getattr(eoi, f"get_{name}_display")()
            elif isinstance(value, bool):
                value = _("Yes") if value else _("No")
            items.append((capfirst(field.verbose_name), value))
            if name == "workforce_permanent":
                share = eoi.permanent_share
                items.append((_("Permanent share"), f"{share}%" if share is not None else "—"))
        sections.append((str(title), items))
    return sections


def _detail_page(request, eoi, *, override_form=None, rescreen_form=None, status=200):
    screening = eoi.current_screening
    context = {
        "eoi": eoi,
        "sections": _eoi_sections(eoi),
        "screening": screening,
        "criteria": selectors.current_criteria(eoi),
        "thresholds": selectors.describe_thresholds(screening.thresholds) if screening else None,
        "duplicates": selectors.possible_duplicates(eoi),
        "changes": selectors.result_history(eoi),
        "earlier": [(s, selectors.describe_thresholds(s.thresholds)) for s in selectors.earlier_screenings(eoi)],
        "enterprise": Enterprise.objects.filter(registration_key=eoi.registration_key).first(),
        "override_form": override_form or OverrideForm(),
        "rescreen_form": rescreen_form or RescreenForm(),
    }
    return render(request, "enterprises/officer/eoi_detail.html", context, status=status)


def _get_eoi(pk):
    try:
        return selectors.eoi_for_detail(pk)
    except ExpressionOfInterest.DoesNotExist as exc:
        raise Http404(_("No such expression of interest.")) from exc


@officer_required
def eoi_detail(request, pk):
    return _detail_page(request, _get_eoi(pk))


@officer_required
@require_POST
def eoi_override(request, pk):
    eoi = _get_eoi(pk)
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            services.override_result(
                eoi,
                officer=request.user,
                outcome=form.cleaned_data["outcome"],
                justification=form.cleaned_data["justification"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The result was changed; the history records why."))
            return redirect("enterprises:eoi_detail", pk=eoi.pk)
    messages.error(request, _("The result was not changed. See the override form below."))
    return _detail_page(request, eoi, override_form=form, status=400)


@officer_required
@require_POST
def eoi_rescreen(request, pk):
    eoi = _get_eoi(pk)
    form = RescreenForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, eoi, rescreen_form=form, status=400)
    screening = services.screen_expression_of_interest(
        eoi, requested_by=request.user, reason=form.cleaned_data["reason"].strip()
    )
    messages.success(
        request,
        _("Re-screened with the call's current thresholds: %(result)s.") % {"result": screening.get_outcome_display()},
    )
    return redirect("enterprises:eoi_detail", pk=eoi.pk)


@officer_required
def eoi_create(request, call_id):
    call = get_object_or_404(Call, pk=call_id)
    entry = OfficerEOIEntry(call, request.POST or None)
    if request.method == "POST" and entry.is_valid():
        try:
            eoi = services.submit_expression_of_interest(
                call, entry.eoi_data(), entered_by=request.user, today=entry.received_on
            )
        except services.DuplicateExpressionOfInterest as exc:
            entry.add_registration_error(exc.messages)
            messages.error(request, exc.messages[0])
        else:
            messages.success(
                request,
                _("Expression of interest %(reference)s saved and screened: %(result)s.")
                % {"reference": eoi.reference, "result": eoi.get_result_display()},
            )
            if eoi.is_late:
                messages.warning(
                    request,
                    _("It is marked late: the call closed on %(date)s.")
                    % {"date": date_format(call.closes_on, "j F Y")},
                )
            return redirect(reverse("enterprises:eoi_detail", args=[eoi.pk]))
    return render(request, "enterprises/officer/eoi_form.html", {"entry": entry, "call": call})
