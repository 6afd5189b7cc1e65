"""The officer's weekly digest: the worklist as it stands that morning, in one notification a week."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..models import NotificationKind
from ..roles import OFFICER
from ..selectors import worklist_for
from .services import absolute, notify


def worklist_text(items) -> str:
    blocks = []
    for item in items:
        lines = [f"{item.title}: {item.count}"]
        lines += [f"- {entry.label}" + (f" ({entry.detail})" if entry.detail else "") for entry in item.entries]
        if item.more:
            lines.append("- " + _("and %(n)s more: %(url)s") % {"n": item.more, "url": absolute(item.url)})
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def send_officer_digest(officer, *, today: datetime.date):
    items = worklist_for(officer, today=today)
    if not items:
        return None
    year, week, _weekday = today.isocalendar()
    return notify(
        user=officer,
        kind=NotificationKind.OFFICER_DIGEST,
        ref=f"{year}-W{week:02d}",
        title=_("Your SCORE worklist, week of %(date)s") % {"date": date_format(today, "j M Y")},
        body=worklist_text(items),
        url=reverse("home"),
    )


def send_officer_digests(*, today: datetime.date) -> int:
    officers = (
        get_user_model().objects.filter(Q(groups__name=OFFICER) | Q(is_superuser=True), is_active=True).distinct()
    )
    return sum(1 for officer in officers if send_officer_digest(officer, today=today) is not None)
