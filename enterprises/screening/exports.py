"""CSV and XLSX exports of the (filtered) screening queue, with tablib."""

import tablib
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .rules import criterion_label
from .selectors import failed_criteria

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def safe_cell(value):
    """Neutralise text a spreadsheet would run as a formula (CSV injection): prefix it with a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def queue_dataset(queryset) -> tablib.Dataset:
    """One row per EOI of the queryset, in its order; two queries whatever the number of rows."""
    headers = [
        _("Reference"),
        _("Call"),
        _("Legal name"),
        _("Registration number"),
        _("City"),
        _("Province"),
        _("Sub-sector"),
        _("Total workforce"),
        _("Permanent"),
        _("Permanent %"),
        _("Contract"),
        _("Women"),
        _("Men"),
        _("Result"),
        _("Overridden"),
        _("Late"),
        _("Possible duplicate"),
        _("Submitted"),
        _("Failed criteria"),
        _("Contact person"),
        _("Contact email"),
        _("Contact phone"),
    ]
    failed = failed_criteria(queryset)
    data = tablib.Dataset(headers=headers, title=_("Screening queue"))
    for eoi in queryset.select_related("call").iterator(chunk_size=500):
        sub_sector = eoi.get_sub_sector_display()
        if eoi.sub_sector_other:
            sub_sector = f"{sub_sector}: {eoi.sub_sector_other}"
        row = [
            eoi.reference,
            eoi.call.title,
            eoi.legal_name,
            eoi.registration_number,
            eoi.city,
            eoi.get_province_display(),
            sub_sector,
            eoi.workforce_total,
            eoi.workforce_permanent,
            float(eoi.permanent_share) if eoi.permanent_share is not None else "",
            eoi.workforce_contract,
            eoi.workforce_women,
            eoi.workforce_men,
            eoi.get_result_display(),
            _yes_no(eoi.result_overridden),
            _yes_no(eoi.is_late),
            _yes_no(eoi.possible_duplicate),
            timezone.localtime(eoi.submitted_at).strftime("%Y-%m-%d %H:%M"),
            "; ".join(criterion_label(code) for code in failed.get(eoi.pk, [])),
            eoi.contact_name,
            eoi.contact_email,
            eoi.contact_phone,
        ]
        data.append([safe_cell(str(value)) if not isinstance(value, int | float) else value for value in row])
    return data


def queue_export_response(queryset, file_format: str) -> HttpResponse:
    data = queue_dataset(queryset)
    # CSV starts with a byte-order mark so that Excel reads Urdu and other non-ASCII names correctly.
    content = "\ufeff" + data.export("csv") if file_format == "csv" else data.export("xlsx")
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="screening-queue-{stamp}.{file_format}"'
    return response
