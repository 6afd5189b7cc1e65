"""The list pages' rows (tables.rows_html) draw each cell as django-tables2's own BoundRow.get_cell does,
whatever arguments a column's render method takes, with the arguments found once per page."""

import django_tables2 as tables
import pytest
from django.utils.html import format_html

from score_portal import tables as portal_tables
from score_portal.models import MessageStatus, OutgoingMessage

pytestmark = pytest.mark.django_db


class MessageTable(portal_tables.ListTable):
    subject = tables.Column(linkify=lambda record: f"/mail/{record.pk}/")
    status = tables.Column()  # a choice field: its label
    attempts = tables.Column(localize=True)
    by_value = tables.Column(accessor="kind", empty_values=())
    by_record = tables.Column(accessor="pk")
    by_everything = tables.Column(accessor="subject", orderable=False)
    by_value_and_row = tables.Column(accessor="attempts")
    last_error = tables.Column(default="none")  # empty: the column's default, not render_ called
    date = portal_tables.DateColumn(accessor="created_at", format="j M Y")

    class Meta(portal_tables.ListTable.Meta):
        model = OutgoingMessage
        fields = ("subject", "status", "attempts")
        sequence = ("subject", "status", "attempts", "...")

    def render_by_value(self, value):
        return format_html("<b>{}</b>", value or "no kind")

    def render_by_record(self, record):
        return f"#{record.pk} to {', '.join(record.to)}"

    def render_by_everything(self, **kwargs):
        return f"{kwargs['value']} · {kwargs['record'].kind} · {kwargs['bound_column'].name}"

    def render_by_value_and_row(self, value, bound_row):
        return f"{value} ({bound_row.record.subject[:3]})"

    def render_last_error(self, value):
        return f"error: {value}"


def _as_django_tables2_draws(monkeypatch):
    monkeypatch.setattr(portal_tables._CellRenderer, "cell", lambda self, row: row.get_cell(self.column.name))


def test_each_cell_is_the_one_django_tables2_draws(monkeypatch):
    for n, status in enumerate([MessageStatus.WAITING, MessageStatus.SENT, MessageStatus.FAILED] * 3):
        OutgoingMessage.objects.create(
            kind="" if n % 4 == 0 else "eoi-acknowledgement",
            from_email="score@example.org",
            to=[f"person{n}@example.pk"],
            subject=f"Message <{n}> & more",
            body="text",
            status=status,
            attempts=n * 1000,
            last_error="" if n % 2 else "timed out",
        )
    table = MessageTable(OutgoingMessage.objects.order_by("pk"))
    table.paginate(per_page=50)
    ours = portal_tables.rows_html(table)
    with monkeypatch.context() as patched:
        _as_django_tables2_draws(patched)
        theirs = portal_tables.rows_html(MessageTable(OutgoingMessage.objects.order_by("pk")).paginate(per_page=50))
    assert ours == theirs
    # and it says what each kind of column gives
    assert ours.count("<tr ") == 9
    assert "Message &lt;1&gt; &amp; more" in ours and '<a href="/mail/' in ours
    assert "<b>no kind</b>" in ours and "Waiting" in ours
    assert "#" in ours and "to person3@example.pk" in ours
    assert "eoi-acknowledgement · by_everything" in ours and "3000 (Mes)" in ours
    assert "error: timed out" in ours and ">none<" in ours
