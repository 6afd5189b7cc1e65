"""The outbox: the one way the portal sends email.

    from score_portal import outbox
    outbox.enqueue(to=..., subject=..., body=..., kind=MailKind.LETTER, related=sent_letter)

See services.py for how a message travels and why it is never lost nor sent twice.
"""

from .services import enqueue, resend

__all__ = ["enqueue", "resend"]
