"""An enterprise's stage and a screening's result as badges: one place for their colours, read by templates and
tables alike."""

from django import template
from django.utils.html import format_html

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


# A screening result (ScreeningOutcome): eligible green, needs review amber, ineligible red, pending grey.
_RESULT_BADGE = {"eligible": "text-bg-success", "needs_review": "text-bg-warning", "ineligible": "text-bg-danger"}


@register.simple_tag
def result_badge(result: str, label: str):
    return format_html('<span class="badge {}">{}</span>', _RESULT_BADGE.get(result, "text-bg-secondary"), label)
