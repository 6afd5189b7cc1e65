"""The visit list as a table (django-tables2): dense on a desk, cards on a phone."""

import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format, time_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from score_portal.roles import display_name
from score_portal.tables import DateColumn, ListTable

from ..models import Visit, VisitAction, VisitStatus


class VisitTable(ListTable):
    date = DateColumn(verbose_name=_("Date"), format="D j M Y", order_by=("date", "start_time", "pk"))
    enterprise = tables.Column(
        verbose_name=_("Enterprise"), accessor="enterprise__legal_name", attrs={"td": {"class": "cell-title"}}
    )
    purpose = tables.Column(verbose_name=_("Purpose"), orderable=False, empty_values=())
    consultant = tables.Column(verbose_name=_("Consultant"), order_by=("consultant__first_name", "pk"))
    status = tables.Column(verbose_name=_("Status"), empty_values=())
    actions = tables.Column(verbose_name=_("Actions"), accessor="action_count", empty_values=(), orderable=False)

    class Meta(ListTable.Meta):
        model = Visit
        fields = ()
        sequence = ("enterprise", "date", "purpose", "consultant", "status", "actions")
        empty_text = _("No visit to show.")

    def render_enterprise(self, record, value):
        # A draft opens in the form, to go on writing it; a submitted visit on its page.
        name = "training:visit_edit" if record.status == VisitStatus.DRAFT else "training:visit_detail"
        return format_html('<a href="{}">{}</a>', reverse(name, args=[record.pk]), value)

    def render_date(self, record, value):
        day = date_format(value, "D j M Y")
        if record.start_time and record.end_time:
            return f"{day}, {time_format(record.start_time, 'H:i')}–{time_format(record.end_time, 'H:i')}"
        return day

    def render_purpose(self, record):
        purpose = record.get_purpose_display() or _("purpose not set")
        if record.module:
            return _("%(purpose)s (Module %(n)s)") % {"purpose": purpose, "n": record.module.number}
        return purpose

    def render_consultant(self, value):
        return display_name(value)

    def render_status(self, record):
        return render_to_string("training/_visit_status.html", {"visit": record})

    def render_actions(self, record):
        text = ngettext("%(n)s action", "%(n)s actions", record.action_count) % {"n": record.action_count}
        if record.open_action_count:
            text += " " + _("(%(n)s open)") % {"n": record.open_action_count}
        return text


class ActionTable(ListTable):
    what = tables.Column(verbose_name=_("Action"), attrs={"td": {"class": "cell-title"}})
    enterprise = tables.Column(verbose_name=_("Enterprise"), accessor="visit__enterprise__legal_name")
    owner = tables.Column(verbose_name=_("Owner"), orderable=False)
    due_on = DateColumn(verbose_name=_("Due"), format="j M Y", order_by=("due_on", "pk"))
    status = tables.Column(verbose_name=_("Status"), empty_values=())
    consultant = tables.Column(verbose_name=_("Consultant"), accessor="visit__consultant", orderable=False)

    class Meta(ListTable.Meta):
        model = VisitAction
        fields = ()
        sequence = ("what", "enterprise", "owner", "due_on", "status", "consultant")
        empty_text = _("No action to show.")

    def render_what(self, record, value):
        return format_html('<a href="{}">{}</a>', reverse("training:visit_detail", args=[record.visit_id]), value)

    def render_status(self, record):
        css = "text-bg-danger" if record.is_overdue else "text-bg-light border"
        return format_html('<span class="badge {}">{}</span>', css, record.get_status_display())

    def render_consultant(self, value):
        return display_name(value)
