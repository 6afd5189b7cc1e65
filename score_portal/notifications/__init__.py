"""Notifications: what a person is told, in the portal (a list with an unread count in the top bar)
and by email through the outbox. The apps call `notify` from their services; a person may turn each
kind off on the preferences page; the unique key of each notification means nobody is told twice.

    from score_portal import notifications
    notifications.notify(user=contact, kind=NotificationKind.SHORTLISTED, ref=f"enterprise-{pk}",
                         title=..., body=..., url=reverse(...))
"""

from .services import notify, notify_many

__all__ = ["notify", "notify_many"]
