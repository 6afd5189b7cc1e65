"""The officer's home-page figures owned by this app."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from score_portal import dashboard
from score_portal.roles import OFFICER

from .models import ExpressionOfInterest, ScreeningOutcome


def _queue_url(query: str = "") -> str:
    try:
        return reverse("enterprises:screening_queue") + query
    except NoReverseMatch:
        return "#"


@dashboard.register(OFFICER, order=10)
def screening_panels(request):
    value = ExpressionOfInterest.objects.count()
    return {"title": _("Expressions of interest"), "value": value, "url": _queue_url()}


@dashboard.register(OFFICER, order=11)
def needs_review_panel(request):
    value = ExpressionOfInterest.objects.filter(result=ScreeningOutcome.NEEDS_REVIEW).count()
    return {"title": _("Need an officer's review"), "value": value, "url": _queue_url("?result=needs_review")}


@dashboard.register(OFFICER, order=12)
def eligible_panel(request):
    value = ExpressionOfInterest.objects.filter(result=ScreeningOutcome.ELIGIBLE).count()
    return {"title": _("Eligible"), "value": value, "url": _queue_url("?result=eligible")}
