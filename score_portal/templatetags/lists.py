"""Template helpers of the list pages."""

from django import template
from django.utils.html import format_html_join

from ..tables import rows_html

register = template.Library()


@register.simple_tag
def table_rows(table):
    """The rows of a django-tables2 table's page, each cell named for the phone's cards (tables.rows_html)."""
    return rows_html(table)


@register.simple_tag(takes_context=True)
def hidden_params(context, *dropped):
    """The page's query as hidden inputs, less `dropped`: a form on the page (the "Columns" menu, say)
    then changes its own fields and keeps the reader's filters, sort and search."""
    request = context["request"]
    pairs = [(key, value) for key, values in request.GET.lists() if key not in dropped for value in values]
    return format_html_join("", '<input type="hidden" name="{}" value="{}">', pairs)


@register.simple_tag(takes_context=True)
def kept_params(context, *kept):
    """Only the named query parameters as hidden inputs: the filter form keeps the sort and the tab."""
    request = context["request"]
    pairs = [(key, value) for key in kept for value in request.GET.getlist(key)]
    return format_html_join("", '<input type="hidden" name="{}" value="{}">', pairs)


@register.filter
def compact_widget(field):
    """A filter field drawn small, in Bootstrap's classes for its kind of widget."""
    widget = field.field.widget
    if "select" in getattr(widget, "template_name", ""):
        css = "form-select form-select-sm"
    elif getattr(widget, "input_type", "") == "checkbox":
        css = "form-check-input"
    else:
        css = "form-control form-control-sm"
    invalid = " is-invalid" if field.errors else ""
    return field.as_widget(attrs={"class": css + invalid})


@register.simple_tag(takes_context=True)
def saved_filters(context, list_name):
    """The reader's own saved filters of this list (one query)."""
    from ..models import SavedFilter

    user = context["request"].user
    return list(SavedFilter.objects.filter(user=user, list_name=list_name)) if user.is_authenticated else []
