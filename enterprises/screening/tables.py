"""The screening queue as a table (django-tables2); its sort keys are the filter's `o` values, so a
header link and an export sort alike."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from score_portal.tables import NUMBER, DateColumn, ListTable, select_column

from ..models import ExpressionOfInterest
from ..templatetags.stages import eoi_flags, eoi_result
from .rules import criterion_label


class ScreeningQueueTable(ListTable):
    select = select_column()
    reference = tables.Column(
        verbose_name=_("Reference"),
        linkify=("enterprises:eoi_detail", {"pk": tables.A("pk")}),
        orderable=False,
        attrs={"td": {"class": "text-nowrap"}},
    )
    name = tables.Column(verbose_name=_("Name"), accessor="legal_name", attrs={"td": {"class": "cell-title"}})
    city = tables.Column(verbose_name=_("City"), orderable=False)
    sub_sector = tables.Column(verbose_name=_("Sub-sector"), orderable=False)
    workforce = tables.Column(verbose_name=_("Workers"), accessor="workforce_total", attrs=NUMBER)
    permanent = tables.Column(
        verbose_name=_("Permanent"), accessor="permanent_share", orderable=False, attrs=NUMBER, default="—"
    )
    result = tables.Column(verbose_name=_("Result"), order_by=("result_rank",), empty_values=())
    flags = tables.Column(verbose_name=_("Flags"), accessor="pk", orderable=False, empty_values=())
    call = tables.Column(
        verbose_name=_("Call"), accessor="call__code", orderable=False, attrs={"td": {"class": "text-nowrap"}}
    )
    submitted = DateColumn(
        verbose_name=_("Submitted"), accessor="submitted_at", format="j M Y", attrs={"td": {"class": "text-nowrap"}}
    )

    class Meta(ListTable.Meta):
        model = ExpressionOfInterest
        fields = ()
        sequence = (
            "select",
            "reference",
            "name",
            "city",
            "sub_sector",
            "workforce",
            "permanent",
            "result",
            "flags",
            "call",
            "submitted",
        )
        order_by_field = "o"
        empty_text = _("No expression of interest matches these filters.")

    def __init__(self, *args, failed: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.failed = failed or {}

    def render_permanent(self, value):
        return f"{value}%"

    # Built in Python (stages.py), not a template per cell: two templates a row cost more than the rest of the row.
    def render_result(self, record):
        html = eoi_result(record)
        failed = [criterion_label(code) for code in self.failed.get(record.pk, [])]
        if failed:
            html += format_html('<div class="cell-note">{} {}</div>', _("Not met:"), ", ".join(failed))
        return html

    def render_flags(self, record):
        return eoi_flags(record)
