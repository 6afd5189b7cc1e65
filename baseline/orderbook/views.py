"""The order book pages: the twelve-month chart and the lines (whoever may see the enterprise's KPIs),
adding a line and importing rows (officers, the assigned consultant, the enterprise's contact)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprises.access import enterprise_for
from score_portal.feedback import tell_refusal

from .. import submissions
from . import services
from .forms import OrderImportForm, OrderLineForm

SESSION_KEY = "orderbook-import-{pk}"
LINES_SHOWN = 200


def _enterprise(request, pk, *, enter=False):
    enterprise = enterprise_for(request.user, pk)  # 404 for whoever may not see it, as the KPIs
    if enter and not services.can_enter_orders(request.user, enterprise):
        raise PermissionDenied
    return enterprise


def _submit(request, enterprise, lines):
    """The enterprise's contact sends lines to the consultant, who accepts them (then they are saved)."""
    try:
        submissions.submit_orders(enterprise, lines, by=request.user)
    except ValidationError as exc:
        tell_refusal(request, exc)
        return redirect("baseline:order_book", pk=enterprise.pk)
    messages.success(request, _("Sent to your consultant, who accepts the lines or returns them with a comment."))
    return redirect("baseline:submissions", enterprise.pk)


def order_book(request, pk):
    enterprise = _enterprise(request, pk)
    can_enter = services.can_enter_orders(request.user, enterprise)
    form = OrderLineForm(request.POST or None) if can_enter else None
    if request.method == "POST":
        if not can_enter:
            raise PermissionDenied
        if form.is_valid():
            cells = {**form.cleaned_data, "month": form.cleaned_data["month"].isoformat()}
            if submissions.is_own_contact(request.user, enterprise):
                return _submit(request, enterprise, [cells])
            try:
                services.save_lines(enterprise, [cells], by=request.user)
            except ValidationError as exc:
                tell_refusal(request, exc)
            else:
                messages.success(request, _("The order was added to the order book."))
                return redirect("baseline:order_book", pk=enterprise.pk)
    start = services.window_start(enterprise)
    totals = services.monthly_totals(enterprise, start)
    lines = enterprise.order_lines.select_related("entered_by").order_by("-month", "buyer", "pk")[:LINES_SHOWN]
    return render(
        request,
        "baseline/orderbook/order_book.html",
        {
            "enterprise": enterprise,
            "chart": services.chart(totals),
            "totals": totals,
            "lines": lines,
            "form": form,
            "can_enter": can_enter,
            "is_contact": submissions.is_own_contact(request.user, enterprise),
        },
    )


@require_POST
def order_line_delete(request, pk, line_pk):
    enterprise = _enterprise(request, pk, enter=True)
    if submissions.is_own_contact(request.user, enterprise):
        raise PermissionDenied  # accepted lines are the consultant's to correct
    line = get_object_or_404(enterprise.order_lines, pk=line_pk)
    services.delete_line(line, by=request.user)
    messages.success(request, _("The line was removed."))
    return redirect("baseline:order_book", pk=enterprise.pk)


def order_import(request, pk):
    """Upload or paste → preview with each row's errors → confirm. Nothing is saved before the confirmation."""
    enterprise = _enterprise(request, pk, enter=True)
    key = SESSION_KEY.format(pk=enterprise.pk)
    if request.method == "POST" and request.POST.get("action") == "confirm":
        stored = request.session.get(key)
        if not stored:
            messages.error(request, _("The preview has expired; upload the rows again."))
            return redirect("baseline:order_import", pk=enterprise.pk)
        if submissions.is_own_contact(request.user, enterprise):
            request.session.pop(key, None)
            return _submit(request, enterprise, services.deserialise(stored))
        try:
            count = services.save_lines(enterprise, services.deserialise(stored), by=request.user)
        except ValidationError as exc:
            tell_refusal(request, exc)
            return redirect("baseline:order_import", pk=enterprise.pk)
        request.session.pop(key, None)
        messages.success(request, _("%(count)s order lines imported.") % {"count": count})
        return redirect("baseline:order_book", pk=enterprise.pk)
    form = OrderImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        preview = form.cleaned_data["rows"]
        if preview and all(row.ok for row in preview):
            request.session[key] = services.serialise(preview)
        else:
            request.session.pop(key, None)
    return render(
        request,
        "baseline/orderbook/import.html",
        {
            "enterprise": enterprise,
            "form": form,
            "preview": preview,
            "can_confirm": bool(preview) and all(row.ok for row in preview),
            "columns": services.COLUMNS,
        },
    )


def order_template(request, pk):
    _enterprise(request, pk, enter=True)
    response = HttpResponse(services.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="order-book-template.csv"'
    return response
