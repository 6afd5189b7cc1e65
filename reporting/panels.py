"""What the reports app adds to other apps' pages: the officer's home-page figure on the programme's
targets, and the targets section of the programme results page (baseline/sections.py)."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from baseline import sections
from score_portal import dashboard
from score_portal.roles import OFFICER, is_officer

from . import selectors


@dashboard.register(OFFICER, order=45)
def targets_panel(request):
    """'3 of 5' targets on track; hidden while no target is set."""
    items = selectors.targets_with_actuals()
    if not items:
        return None
    on_track = sum(1 for item in items if item.verdict.on_track)
    return {
        "title": _("Programme targets on track or achieved"),
        "value": _("%(n)s of %(total)s") % {"n": on_track, "total": len(items)},
        "url": reverse("reporting:targets"),
    }


@sections.register(order=10)
def targets_section(request):
    if not is_officer(request.user):
        return ""
    return render_to_string(
        "reporting/_targets_section.html", {"targets": selectors.targets_with_actuals()}, request=request
    )
