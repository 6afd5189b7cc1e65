"""The activity log (officers): one page over every decision and change, and its CSV export."""

import csv

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from score_portal.permissions import officer_required

from . import selectors
from .forms import ActivityFilterForm

PAGE_SIZE = 50
CSV_CHUNK = 500


def _filtered(request):
    form = ActivityFilterForm(request.GET or None)
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    return form, selectors.activity(**filters)


@officer_required
def log(request):
    form, rows = _filtered(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "activity/log.html", {"form": form, "page": page, "entries": selectors.entries(page)})


class _Echo:
    def write(self, value):
        return value


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


@officer_required
def log_csv(request):
    """Every entry that passes the filters, named a chunk at a time (so the queries grow with the rows / 500)."""
    _form, rows = _filtered(request)
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(["when", "kind", "by", "about", "enterprise", "what", "why"])
        offset = 0
        while True:
            chunk = selectors.entries(rows[offset : offset + CSV_CHUNK])
            for entry in chunk:
                yield writer.writerow(
                    [
                        timezone.localtime(entry.at).isoformat(timespec="seconds"),
                        entry.kind_label,
                        _name(entry.by),
                        _name(entry.about),
                        entry.enterprise.legal_name if entry.enterprise else "",
                        entry.what,
                        entry.why,
                    ]
                )
            if len(chunk) < CSV_CHUNK:
                return
            offset += CSV_CHUNK

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="score-activity-{timezone.localdate():%Y%m%d}.csv"'
    return response
