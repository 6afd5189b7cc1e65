"""The navigation each role sees. Apps add their entries here as they arrive.

An entry names a URL pattern; entries whose URL does not exist (yet) are left
out, so the menu never shows a dead link.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .roles import CONSULTANT, ENTERPRISE_CONTACT, OFFICER


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    # A number shown beside the label, hidden when zero, and what it counts (for screen readers).
    badge: Callable[[], int] | None = None
    badge_label: str = ""
    # Entries sharing a group are drawn as one drop-down under its name, so that the bar fits a laptop.
    group: str = ""


def failed_mail() -> int:
    from .outbox.selectors import failed_count

    return failed_count()


OFFICE = _("Office")

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
        NavEntry(_("Buyers"), "linkage:programme", group=OFFICE),
        NavEntry(_("Mail"), "outbox:list", badge=failed_mail, badge_label=_("failed"), group=OFFICE),
        NavEntry(_("People"), "accounts:people", group=OFFICE),
        NavEntry(_("Activity log"), "activity:log", group=OFFICE),
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
    """The role's menu as the template draws it: entries, and groups holding entries (`children`)."""
    entries: list[dict] = []
    groups: dict[str, dict] = {}
    for entry in MENUS.get(role, []):
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        # The badge stays a callable: the template calls it only where the menu is drawn, and once
        # per page (a group shows its entries' count too).
        badge = functools.cache(entry.badge) if entry.badge else None
        item = {"label": entry.label, "url": url, "badge": badge, "badge_label": entry.badge_label}
        if not entry.group:
            entries.append(item)
            continue
        if entry.group not in groups:
            groups[entry.group] = {"label": entry.group, "children": [], "badges": []}
            entries.append(groups[entry.group])
        groups[entry.group]["children"].append(item)
        if badge:
            groups[entry.group]["badges"].append(badge)
    for group in groups.values():
        badges = group.pop("badges")
        group["badge"] = (lambda badges=badges: sum(badge() for badge in badges)) if badges else None
    return entries


def flat(menu: list[dict]) -> list[dict]:
    """The entries of a menu from menu_for, groups opened, in order."""
    return [child for item in menu for child in item.get("children", [item])]
