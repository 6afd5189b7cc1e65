"""The consultant's daily digest: the visits due and the agreed actions overdue, in one notification
a day rather than one mail each. `today` is the digest's day (the beat task passes the local date;
tests pass their own), so the digest holds exactly what is due on that day."""

import datetime

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from score_portal import notifications
from score_portal.models import NotificationKind
from score_portal.roles import CONSULTANT

from . import selectors


def digest_lines(consultant, *, today: datetime.date) -> list[str]:
    visits = list(selectors.visits_due(consultant, today=today))
    actions = list(selectors.overdue_actions(consultant, today=today))
    lines = []
    if visits:
        lines.append(_("Visits due:"))
        lines += [
            "- "
            + _("%(enterprise)s: next visit agreed for %(date)s")
            % {"enterprise": visit.enterprise.legal_name, "date": date_format(visit.next_visit_on, "j M Y")}
            for visit in visits
        ]
    if actions:
        lines.append(_("Agreed actions overdue:"))
        lines += [
            "- "
            + _("%(enterprise)s: %(what)s (due %(date)s)")
            % {
                "enterprise": action.visit.enterprise.legal_name,
                "what": action.what,
                "date": date_format(action.due_on, "j M Y"),
            }
            for action in actions
        ]
    return lines


def send_digest(consultant, *, today: datetime.date):
    """One notification for the day, or none when nothing is due. Sending twice tells nobody twice."""
    lines = digest_lines(consultant, today=today)
    if not lines:
        return None
    return notifications.notify(
        user=consultant,
        kind=NotificationKind.CONSULTANT_DIGEST,
        ref=today.isoformat(),
        title=_("Your SCORE day, %(date)s") % {"date": date_format(today, "j M Y")},
        body="\n".join(lines),
        url=reverse("training:home"),
    )


def send_digests(*, today: datetime.date) -> int:
    consultants = get_user_model().objects.filter(groups__name=CONSULTANT, is_active=True).distinct()
    return sum(1 for consultant in consultants if send_digest(consultant, today=today) is not None)
