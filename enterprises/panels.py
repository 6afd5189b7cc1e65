"""The officer's home-page figures owned by this app."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from score_portal import dashboard
from score_portal.roles import CONSULTANT, ENTERPRISE_CONTACT, OFFICER

from .access import own_enterprise, visible_enterprises
from .models import IN_TRAINING_STAGES, Enterprise, ExpressionOfInterest, ScreeningOutcome


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


@dashboard.register(OFFICER, order=20)
def in_training_panel(request):
    value = Enterprise.objects.filter(stage__in=IN_TRAINING_STAGES).count()
    return {"title": _("Enterprises in training"), "value": value, "url": reverse("enterprises:pipeline")}


@dashboard.register(CONSULTANT, order=10)
def assigned_panel(request):
    value = visible_enterprises(request.user).count()
    return {"title": _("My enterprises"), "value": value, "url": reverse("enterprises:enterprise_list")}


@dashboard.register(ENTERPRISE_CONTACT, order=10)
def own_stage_panel(request):
    enterprise = own_enterprise(request.user)
    if enterprise is None:
        return None
    return {
        "title": enterprise.legal_name,
        "value": enterprise.get_stage_display(),
        "url": reverse("enterprises:enterprise_detail", args=[enterprise.pk]),
    }
