"""What every list page shares: a django-tables2 table of 50 rows a page, columns the reader may
show or hide (remembered per list in the session), and the cards it becomes on a phone
(templates/tables/stacked.html with static/css/lists.css).

The apps build their own tables on `ListTable`; score_portal knows none of them.
"""

import django_tables2 as tables
from django.core.paginator import Paginator
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import date as date_filter
from django.templatetags.l10n import localize, unlocalize
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext_lazy as _
from django_tables2.utils import signature as arguments_of

PER_PAGE = 50

# A column of counts or amounts: right-aligned, never wrapped.
NUMBER = {"th": {"class": "text-end"}, "td": {"class": "text-end text-nowrap"}}


def select_column() -> tables.CheckBoxColumn:
    """The row checkboxes of a list with bulk actions: each box posts `ids` with the page's
    `bulk-form`, and the header box selects them all (static/js/lists.js)."""
    return tables.CheckBoxColumn(
        accessor="pk",
        attrs={
            "th__input": {"class": "form-check-input", "data-select-all": "ids", "aria-label": _("Select all")},
            "td__input": {"class": "form-check-input", "name": "ids", "form": "bulk-form", "aria-label": _("Select")},
            "td": {"class": "cell-select"},
        },
    )


class DateColumn(tables.Column):
    """A date (or a date and time, in the portal's time zone) in `format`, as the template filter `date` writes it.

    django-tables2's own DateColumn compiles a template for every cell it renders."""

    def __init__(self, *args, format: str, **kwargs):  # noqa: A002 - django-tables2's own name for it
        self.format = format
        super().__init__(*args, **kwargs)

    def render(self, value):
        return date_filter(template_localtime(value), self.format)


class ListTable(tables.Table):
    """A dense, sortable table. `optional` names the columns the reader may show or hide, with
    those shown by default in `shown_by_default`."""

    optional: dict[str, str] = {}
    shown_by_default: tuple[str, ...] = ()

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle table-dense table-stack"}
        per_page = PER_PAGE
        empty_text = _("Nothing matches these filters.")

    def __init__(self, *args, shown=None, **kwargs):
        self.shown = tuple(self.shown_by_default if shown is None else [c for c in shown if c in self.optional])
        exclude = [*kwargs.pop("exclude", ()), *(name for name in self.optional if name not in self.shown)]
        super().__init__(*args, exclude=exclude, **kwargs)

    def column_choices(self) -> list[dict]:
        """The optional columns for the "Columns" menu: name, label, and whether it is shown."""
        return [{"name": name, "label": label, "shown": name in self.shown} for name, label in self.optional.items()]


class _CellRenderer:
    """A column's cells as django-tables2's BoundRow.get_cell draws them, but with the arguments its render
    method takes (value, record, ...) worked out once for the page: django-tables2 inspects the method's
    signature for every cell, which was a fifth of a list page's time (50 rows of 10 columns). It calls
    the two steps of get_cell that django-tables2 keeps to itself (pinned in requirements.txt);
    test_list_cells.py holds the cells to get_cell's."""

    def __init__(self, column):
        self.column = column
        self.render = column.render
        self.arguments, catch_all = arguments_of(self.render)
        self.takes_all = catch_all is not None

    def cell(self, row):
        def render(bound_column, value):
            given = row._optional_cell_arguments(bound_column, value)
            if self.takes_all:
                content = self.render(**given)
            elif all(name in given for name in self.arguments):
                content = self.render(**{name: given[name] for name in self.arguments})
            else:  # as django-tables2's call_with_appropriate: not called without every argument it names
                content = None
            return bound_column.link(content, **given) if bound_column.link else content

        return row._get_and_render_with(self.column, render_func=render, default=self.column.default)


def rows_html(table) -> str:
    """The rows of a django-tables2 table's page as HTML, each cell naming its column (data-label) for the
    phone's cards (templates/tables/stacked.html).

    What django-tables2's template does per cell (the column's attributes, its header stripped of
    tags, the value localised and escaped), done once per column here: in the template it cost
    more than the cells' own values at 50 rows of 10 columns (README "Performance at national scale")."""
    columns = []
    for column in table.columns:
        per_record = any(callable(value) for value in column.column.attrs.get("td", {}).values())
        td_attrs = None if per_record else column.attrs["td"].as_html()
        columns.append((column, _CellRenderer(column), td_attrs, strip_tags(column.header)))
    context = Context()
    rows = []
    for row in table.paginated_rows:
        cells = []
        for column, renderer, td_attrs, label in columns:
            value = renderer.cell(row)
            if td_attrs is None:  # attributes computed from the record, as django-tables2 would
                column.current_value, column.current_record = value, row.record
                td_attrs = column.attrs["td"].as_html()
            if column.localize is not None:
                value = localize(value) if column.localize else unlocalize(value)
            cells.append((td_attrs, label, render_value_in_context(value, context)))
        rows.append(
            format_html(
                "<tr {}>{}</tr>",
                row.attrs.as_html(),
                format_html_join("", '<td {} data-label="{}">{}</td>', cells),
            )
        )
    if not rows and table.empty_text:
        return format_html('<tr class="table-empty"><td colspan="{}">{}</td></tr>', len(columns), table.empty_text)
    return mark_safe("\n".join(rows))  # noqa: S308 - each row built with format_html


def shown_columns(request, list_name: str, table_class) -> tuple[str, ...] | None:
    """The optional columns the reader chose for this list: from the "Columns" menu when it was just
    sent (marked by `columns=1`), else as last chosen in this session, else None (the table's default)."""
    key = f"list-columns:{list_name}"
    if request.GET.get("columns") == "1":
        chosen = [name for name in request.GET.getlist("show") if name in table_class.optional]
        request.session[key] = chosen
        return tuple(chosen)
    stored = request.session.get(key)
    return tuple(stored) if stored is not None else None


class CountedPaginator(Paginator):
    """A paginator told how many rows there are, when the page has counted them already."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.__dict__["count"] = count  # Paginator.count is a cached property: no COUNT query


def configure(request, table, *, per_page: int = PER_PAGE, count: int | None = None):
    """Sort by the header the reader clicked and cut into pages: django-tables2's RequestConfig.
    `count`: the number of rows, when the view knows it (one COUNT query fewer)."""
    paginate = {"per_page": per_page}
    if count is not None:
        paginate |= {"paginator_class": CountedPaginator, "count": count}
    tables.RequestConfig(request, paginate=paginate).configure(table)
    return table


class CountsActiveFilters:
    """For a django-filter FilterSet: how many filters are on, for the filter bar's button (the sort
    `o` is not a filter)."""

    @property
    def active_count(self) -> int:
        if not self.is_bound or not self.form.is_valid():
            return 0
        return sum(1 for name, value in self.form.cleaned_data.items() if value and name != "o")
