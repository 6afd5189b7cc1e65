"""The officer's home-page figures and worklist items owned by this app."""

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from score_portal import dashboard, worklist
from score_portal.roles import CONSULTANT, ENTERPRISE_CONTACT, OFFICER

from .access import own_enterprise, visible_enterprises
from .models import IN_TRAINING_STAGES, Enterprise, ExpressionOfInterest, ScreeningOutcome
from .path import conditions
from .path import rules as path_rules
from .path import selectors as path_selectors
from .screening.decisions import awaiting_decision


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
    # An EOI that became an enterprise was reviewed already, whatever its screening result says.
    value = awaiting_decision(ExpressionOfInterest.objects.filter(result=ScreeningOutcome.NEEDS_REVIEW)).count()
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


# ---------------------------------------------------------------- the officer's worklist
def _days(since, now) -> int:
    return (now - since).days


@worklist.register(OFFICER, order=10)
def eois_awaiting_decision(user, today):
    eois = awaiting_decision().select_related("call").order_by("submitted_at", "pk")
    return worklist.WorkItem(
        key="eois-awaiting-decision",
        title=_("Expressions of interest awaiting a decision"),
        count=eois.count(),
        url=_queue_url(),
        entries=[
            worklist.Entry(
                label=f"{eoi.reference} {eoi.legal_name}",
                url=reverse("enterprises:eoi_detail", args=[eoi.pk]),
                detail=_("%(result)s, received %(date)s")
                % {
                    "result": eoi.get_result_display(),
                    "date": date_format(timezone.localtime(eoi.submitted_at), "j M Y"),
                },
            )
            for eoi in eois[: worklist.ROWS]
        ],
    )


@worklist.register(OFFICER, order=20)
def enterprises_over_step_limit(user, today):
    now = worklist.moment(today)
    enterprises = path_selectors.over_step_limit(now)
    return worklist.WorkItem(
        key="over-step-limit",
        title=_("Enterprises at a step longer than their call allows"),
        count=enterprises.count(),
        url=reverse("enterprises:pipeline"),
        tone="late",
        entries=[
            worklist.Entry(
                label=enterprise.legal_name,
                url=reverse("enterprises:enterprise_detail", args=[enterprise.pk]),
                detail=_("%(stage)s for %(days)s days; the call allows %(limit)s")
                % {
                    "stage": enterprise.get_stage_display(),
                    "days": _days(enterprise.stage_changed_at, now),
                    "limit": path_rules.step_limit(enterprise.call, enterprise.stage),
                },
            )
            for enterprise in enterprises[: worklist.ROWS]
        ],
    )


@worklist.register(OFFICER, order=30)
def level1_outside_window(user, today):
    now = worklist.moment(today)
    enterprises = path_selectors.level1_past_window(now)
    low, high = path_rules.LEVEL1_MONTHS
    return worklist.WorkItem(
        key="level1-window",
        title=_("Level 1 enterprises outside the %(low)s–%(high)s month window") % {"low": low, "high": high},
        count=enterprises.count(),
        url=reverse("enterprises:enterprise_list") + "?stage=level1_accepted",
        tone="late",
        entries=[
            worklist.Entry(
                label=enterprise.legal_name,
                url=reverse("enterprises:enterprise_detail", args=[enterprise.pk]),
                detail=_("in Level 1 for %(days)s days, not marked completed")
                % {"days": _days(enterprise.stage_changed_at, now)},
            )
            for enterprise in enterprises[: worklist.ROWS]
        ],
    )


@worklist.register(OFFICER, order=35)
def hiring_conditions_due(user, today):
    """Staff an enterprise promised at screening to hire if selected, due within two weeks or overdue."""
    due = conditions.conditions_due(today=today)
    return worklist.WorkItem(
        key="staff-conditions",
        title=_("Conditions due: staff the enterprise promised to hire"),
        count=due.count(),
        url=reverse("enterprises:enterprise_list"),
        tone="late",
        entries=[
            worklist.Entry(
                label=condition.enterprise.legal_name,
                url=reverse("enterprises:enterprise_detail", args=[condition.enterprise_id]) + "#conditions",
                detail=_("%(role)s, due %(date)s")
                % {"role": condition.get_role_display(), "date": date_format(condition.due_on, "j M Y")},
            )
            for condition in due[: worklist.ROWS]
        ],
    )
