"""An enterprise's stage, a screening's result and an EOI's warnings as badges: one place for their colours,
read by templates and tables alike."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from ..models import ScreeningOutcome

register = template.Library()

# Out of the programme: grey; a level completed: green; not yet in it: light; on the way: blue.
_BADGE = {
    "withdrawn": "text-bg-secondary",
    "not_selected": "text-bg-secondary",
    "level1_completed": "text-bg-success",
    "level2_completed": "text-bg-success",
    "eoi_received": "text-bg-light border",
    "screened": "text-bg-light border",
}


@register.simple_tag
def stage_badge(stage: str, label: str):
    return format_html('<span class="badge {}">{}</span>', _BADGE.get(stage, "text-bg-primary"), label)


# A screening result: eligible green, needs review amber, ineligible red, not screened yet grey.
_RESULT_BADGE = {
    ScreeningOutcome.ELIGIBLE: "text-bg-success",
    ScreeningOutcome.NEEDS_REVIEW: "text-bg-warning",
    ScreeningOutcome.INELIGIBLE: "text-bg-danger",
}


@register.simple_tag
def result_badge(result: str, label: str):
    return format_html('<span class="badge {}">{}</span>', _RESULT_BADGE.get(result, "text-bg-secondary"), label)


@register.simple_tag
def eoi_result(eoi):
    """An EOI's result, marked when an officer overrode the automatic screening: the queue, the EOI's
    page and the shortlist show it alike."""
    badge = result_badge(eoi.result, eoi.get_result_display())
    if eoi.result_overridden:
        badge += format_html(' <span class="badge text-bg-info">{}</span>', _("overridden"))
    return badge


@register.simple_tag
def eoi_flags(eoi):
    """What an officer must know before deciding: the EOI came after the call closed, or may repeat another."""
    badges = []
    if eoi.is_late:
        badges.append(("text-bg-dark", _("late")))
    if eoi.possible_duplicate:
        badges.append(("text-bg-warning", _("possible duplicate")))
    return format_html_join(" ", '<span class="badge {}">{}</span>', badges)
