"""The enterprises ticked on the list, as a CSV file."""

import csv

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy

HEADER = (
    gettext_lazy("Enterprise"),
    gettext_lazy("Registration number"),
    gettext_lazy("City"),
    gettext_lazy("Sub-sector"),
    gettext_lazy("Workforce"),
    gettext_lazy("Stage"),
    gettext_lazy("Since"),
    gettext_lazy("Call"),
    gettext_lazy("Batch"),
)


def safe_cell(value):
    """Text a spreadsheet would run as a formula (CSV injection) gets a leading quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def enterprises_csv(enterprises) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="enterprises-{timezone.localdate():%Y%m%d}.csv"'
    writer = csv.writer(response)
    writer.writerow([str(name) for name in HEADER])
    for e in enterprises:
        writer.writerow(
            safe_cell(value)
            for value in (
                e.legal_name,
                e.registration_key,
                e.city,
                e.get_sub_sector_display(),
                e.workforce_total,
                e.get_stage_display(),
                f"{e.stage_changed_at:%Y-%m-%d}",
                e.call.code,
                e.batch.name if e.batch else "",
            )
        )
    return response
