"""The enterprise list as a table: officers' "Enterprises" and a consultant's "My enterprises"."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from score_portal.roles import display_name
from score_portal.tables import NUMBER, DateColumn, ListTable, select_column

from ..models import Enterprise
from ..templatetags.stages import stage_badge


class EnterpriseTable(ListTable):
    select = select_column()
    legal_name = tables.Column(
        verbose_name=_("Enterprise"),
        linkify=("enterprises:enterprise_detail", {"pk": tables.A("pk")}),
        attrs={"td": {"class": "cell-title"}},
    )
    city = tables.Column(verbose_name=_("City"))
    workforce_total = tables.Column(verbose_name=_("Workers"), attrs=NUMBER)
    stage = tables.Column(verbose_name=_("Stage"), order_by=("stage", "pk"))
    call = tables.Column(
        verbose_name=_("Call"),
        accessor="call__code",
        order_by=("call__code", "legal_name"),
        attrs={"td": {"class": "text-nowrap"}},
    )
    batch = tables.Column(
        verbose_name=_("Batch"), accessor="batch__name", default="—", attrs={"td": {"class": "text-nowrap"}}
    )
    stage_changed_at = DateColumn(verbose_name=_("Since"), format="j M Y", attrs={"td": {"class": "text-nowrap"}})
    # Optional columns, chosen in the "Columns" menu.
    consultants = tables.Column(
        verbose_name=_("Consultant"),
        accessor="pk",
        orderable=False,
        empty_values=(),
        attrs={"td": {"class": "text-nowrap"}},
    )
    last_visit_on = DateColumn(
        verbose_name=_("Last visit"), format="j M Y", default="—", attrs={"td": {"class": "text-nowrap"}}
    )
    overdue_actions = tables.Column(verbose_name=_("Overdue actions"), default=0, attrs=NUMBER)
    days_at_step = tables.Column(
        verbose_name=_("Days at this step"),
        accessor="stage_changed_at",
        order_by=("-stage_changed_at", "pk"),
        attrs=NUMBER,
    )

    optional = {
        "consultants": _("Consultant"),
        "last_visit_on": _("Last visit"),
        "overdue_actions": _("Overdue actions"),
        "days_at_step": _("Days at this step"),
    }
    shown_by_default = ("consultants", "days_at_step")

    class Meta(ListTable.Meta):
        model = Enterprise
        fields = ()
        sequence = (
            "select",
            "legal_name",
            "city",
            "workforce_total",
            "stage",
            "call",
            "batch",
            "stage_changed_at",
            "consultants",
            "last_visit_on",
            "overdue_actions",
            "days_at_step",
        )
        order_by = ("legal_name",)
        empty_text = _("No enterprise matches these filters.")

    def render_stage(self, record, value):
        # A template per cell cost more than the rest of the row at 100 rows a page; `value` is the stage's
        # label already (django-tables2 reads get_stage_display, which is slow: it translates every stage).
        return stage_badge(record.stage, value)

    def render_consultants(self, record):
        # Prefetched by selectors.enterprise_rows when the column is shown: no query per row.
        names = [display_name(a.consultant) for a in record.consultant_assignments.all()]
        return ", ".join(names) or "—"

    def render_days_at_step(self, value):
        return (timezone.now() - value).days

    def order_legal_name(self, queryset, is_descending):
        # The primary key breaks ties, so that no enterprise appears on two pages.
        return queryset.order_by(("-" if is_descending else "") + "legal_name", "pk"), True
