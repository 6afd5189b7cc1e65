"""The officer's home-page figures owned by the baseline app."""

from django.urls import reverse
from django.utils.translation import gettext as _

from score_portal import dashboard
from score_portal.roles import OFFICER

from . import selectors


@dashboard.register(OFFICER, order=40)
def baseline_panel(request):
    return {
        "title": _("Enterprises with a baseline"),
        "value": selectors.enterprises_with_baseline(),
        "url": reverse("baseline:home"),
    }


@dashboard.register(OFFICER, order=41)
def change_panel(request):
    return {
        "title": _("Enterprises with a follow-up measured"),
        "value": selectors.enterprises_with_change(),
        "url": reverse("baseline:home"),
    }
