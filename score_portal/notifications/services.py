"""Telling a person something once, in the portal and by email (through the outbox)."""

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import outbox
from ..models import MailKind, Notification, NotificationKind, NotificationOptOut
from ..roles import CONSULTANT, ENTERPRISE_CONTACT, OFFICER

logger = logging.getLogger(__name__)

# The kinds each role may receive: the preferences page offers these.
KINDS_BY_ROLE = {
    ENTERPRISE_CONTACT: (
        NotificationKind.EOI_DECISION,
        NotificationKind.SHORTLISTED,
        NotificationKind.ACCEPTED,
        NotificationKind.SESSION_CHANGED,
        NotificationKind.REPORT_READY,
    ),
    CONSULTANT: (
        NotificationKind.ASSIGNED,
        NotificationKind.CONSULTANT_DIGEST,
        NotificationKind.SESSION_CHANGED,
        NotificationKind.REPORT_READY,
    ),
    OFFICER: (NotificationKind.OFFICER_DIGEST,),
}


def absolute(url: str) -> str:
    """A link for an email: the portal's address (PORTAL_URL) before a path."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.PORTAL_URL.rstrip("/") + url


def make_key(kind: str, user_id: int, ref: str) -> str:
    return f"{kind}:{user_id}:{ref}"[:200]


def is_off(user, kind: str) -> bool:
    return NotificationOptOut.objects.filter(user=user, kind=kind).exists()


def notify(*, user, kind: str, ref: str, title: str, body: str = "", url: str = "") -> Notification | None:
    """Tell `user` once about `ref` (what the notification is about: "eoi-12:invited", "2026-W48").

    Returns the new notification, or None when the user turned this kind off, is inactive, or was
    told already. The email is queued in the caller's transaction, so both exist or neither."""
    if user is None or not user.is_active or is_off(user, kind):
        return None
    key = make_key(kind, user.pk, ref)
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, kind=kind, key=key, title=str(title)[:255], body=body, url=url
            )
    except IntegrityError:
        return None  # told already (the key is unique): a task that ran twice tells nobody twice
    if user.email:
        text = body
        if url:
            text = f"{body}\n\n{_('Open it in the SCORE Portal:')} {absolute(url)}".strip()
        notification.message = outbox.enqueue(
            to=user.email, subject=title, body=text, kind=MailKind.NOTIFICATION, related=notification
        )
        notification.save(update_fields=["message"])
    return notification


def notify_many(users, **kwargs) -> list[Notification]:
    return [n for n in (notify(user=user, **kwargs) for user in users) if n is not None]


def set_preferences(user, *, enabled: set[str], offered) -> None:
    """Keep on exactly the kinds in `enabled` among those offered to the user."""
    with transaction.atomic():
        for kind in offered:
            if kind in enabled:
                NotificationOptOut.objects.filter(user=user, kind=kind).delete()
            else:
                NotificationOptOut.objects.get_or_create(user=user, kind=kind)


def mark_read(user, pk: int | None = None) -> int:
    """Mark one notification (or all) of the user as read; returns how many changed."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=timezone.now())
