"""The rows of the enterprises' indicators list, drawn in Python: a page of 50 drew each row through a
URL tag, a plural translation and a date filter in the template, a quarter of a millisecond a row."""

from django import template
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import ngettext

register = template.Library()


@register.simple_tag
def results_list_row(enterprise):
    """One enterprise with its round count and its last round's month (round_summaries sets both)."""
    rounds = ngettext("%(counter)s round", "%(counter)s rounds", enterprise.round_count) % {
        "counter": enterprise.round_count
    }
    last = (
        format_html('<span class="d-block text-body-secondary">{}</span>', date_filter(enterprise.last_round, "M Y"))
        if enterprise.last_round
        else ""
    )
    return format_html(
        '<a class="list-group-item list-group-item-action d-flex justify-content-between align-items-center gap-2"'
        ' href="{}"><span>{}<span class="d-block small text-body-secondary">{} · {}</span></span>'
        '<span class="text-end small">{}{}</span></a>',
        reverse("baseline:enterprise_results", args=[enterprise.pk]),
        enterprise.legal_name,
        enterprise.city,
        enterprise.get_stage_display(),
        rounds,
        last,
    )
