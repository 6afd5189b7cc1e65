"""The navigation each role sees. Apps add their entries here as they arrive.

An entry names a URL pattern; entries whose URL does not exist (yet) are left
out, so the menu never shows a dead link.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .roles import CONSULTANT, ENTERPRISE_CONTACT, OFFICER


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str


MENUS: dict[str, list[NavEntry]] = {
    OFFICER: [
        NavEntry(_("Home"), "home"),
        NavEntry(_("Calls"), "enterprises:call_list"),
        NavEntry(_("Screening queue"), "enterprises:screening_queue"),
        NavEntry(_("Enterprises"), "enterprises:enterprise_list"),
        NavEntry(_("Pipeline"), "enterprises:pipeline"),
        NavEntry(_("Training"), "training:home"),
        NavEntry(_("Calendar"), "training:calendar"),
        NavEntry(_("Indicators"), "baseline:home"),
        NavEntry(_("Reports"), "reporting:home"),
    ],
    CONSULTANT: [
        NavEntry(_("Home"), "home"),
        NavEntry(_("My enterprises"), "enterprises:enterprise_list"),
        NavEntry(_("Factory work"), "training:home"),
        NavEntry(_("Indicators"), "baseline:enterprise_list"),
        NavEntry(_("Visits"), "training:visit_list"),
        NavEntry(_("Calendar"), "training:calendar"),
    ],
    ENTERPRISE_CONTACT: [
        NavEntry(_("Home"), "home"),
        NavEntry(_("Our enterprise"), "enterprises:my_enterprise"),
        NavEntry(_("Improvement work"), "training:home"),
        NavEntry(_("Indicators"), "baseline:enterprise_list"),
        NavEntry(_("Calendar"), "training:calendar"),
    ],
}


def menu_for(role: str | None) -> list[dict]:
    entries = []
    for entry in MENUS.get(role, []):
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        entries.append({"label": entry.label, "url": url})
    return entries
