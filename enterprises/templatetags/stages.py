"""An enterprise's stage as a badge: one place for its colour, read by templates and tables alike."""

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
