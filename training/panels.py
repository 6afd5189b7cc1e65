"""The consultant's home-page figures owned by this app."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from score_portal import dashboard
from score_portal.roles import CONSULTANT

from .visits import selectors


@dashboard.register(CONSULTANT, order=20)
def visits_this_week(request):
    value = selectors.visits_this_week(request.user).count()
    return {"title": _("My visits this week"), "value": value, "url": reverse("training:visit_list") + "?week=this"}


@dashboard.register(CONSULTANT, order=21)
def overdue_actions(request):
    value = selectors.overdue_actions(request.user).count()
    return {"title": _("Overdue agreed actions"), "value": value, "url": reverse("training:action_list") + "?overdue=1"}


@dashboard.register(CONSULTANT, order=22)
def enterprises_not_visited(request):
    value = selectors.enterprises_not_visited(request.user).count()
    return {
        "title": _("Enterprises not visited for 30 days or more"),
        "value": value,
        "url": reverse("training:home") + "?not_visited=1",
    }


dashboard.register_enterprise_link(
    gettext_lazy("Visits, EIT and improvement plan"), "training:enterprise_detail", order=10
)
