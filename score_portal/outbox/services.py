"""How a message travels: saved, handed to a worker, sent, retried, swept, resent.

`enqueue` writes the row in the caller's transaction, so the message exists exactly when what it
is about exists (an expression of interest, a letter); the task id goes to Celery only after
commit. Without a broker (development) the message is sent in-process right after commit; with
one, by the `score_portal.tasks.send_message` task. Either way a mail server that is down costs
nothing but time: the attempt is recorded, the message waits, and it is tried again with backoff.

A message is never sent twice by a task that runs twice (a retry, a redelivery, two sweeps):
`deliver` claims it with one conditional UPDATE, and only the run that wins the claim talks to
the mail server. The one case left is a worker that dies after the server accepted the message
and before the row says so: after STALE_SENDING the sweep sends it again, because a message
sent twice is better than a message lost.

`sweep` (the management command `send_queued_mail` from cron, or the Celery beat task
`score_portal.tasks.send_queued_mail`) picks up whatever nothing else will send: messages saved
while the broker was down, retries that were due long ago and never ran, attempts that died.
"""

import base64
import datetime
import logging
from collections import Counter
from dataclasses import dataclass
from functools import partial
from smtplib import SMTPRecipientsRefused

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import MessageStatus, OutgoingMessage
from ..queue import celery_app as _celery_app
from ..queue import hand_to_workers

logger = logging.getLogger(__name__)

TASK_NAME = "score_portal.tasks.send_message"
# Attempts in all, then the message is marked failed for an officer to look at. With the delays
# below (1, 2, 4, 8, 16, 32, 60 min) that is about two hours of a mail server being down.
MAX_ATTEMPTS = 8
FIRST_RETRY_DELAY = 60
MAX_RETRY_DELAY = 3600
# A retry that was due this long ago and has not run is taken as lost with its task.
LOST_AFTER = datetime.timedelta(minutes=10)
# An attempt that has said nothing for this long died with its worker (EMAIL_TIMEOUT bounds a
# live one to well under a minute).
STALE_SENDING = datetime.timedelta(minutes=15)


# ---------------------------------------------------------------- saving a message
def _addresses(value) -> list[str]:
    if not value:
        return []
    return [value] if isinstance(value, str) else [str(address) for address in value]


def _attachment(filename: str, content, mimetype: str | None) -> dict:
    data = content.encode() if isinstance(content, str) else bytes(content)
    return {
        "filename": filename,
        "mimetype": mimetype or "application/octet-stream",
        "content": base64.b64encode(data).decode("ascii"),
    }


def enqueue(
    *,
    to,
    subject: str,
    body: str,
    kind: str,
    html: str = "",
    attachments=None,
    related=None,
    from_email: str | None = None,
    reply_to=None,
) -> OutgoingMessage:
    """Save one email and have it sent once the caller's transaction commits.

    `to` and `reply_to` take an address or a list; `attachments` a list of (filename, content,
    mimetype); `related` the object the message is about (shown to officers on the outbox page).
    """
    recipients = _addresses(to)
    if not recipients:
        raise ValidationError(_("A message needs at least one recipient."), code="no_recipient")
    message = OutgoingMessage.objects.create(
        kind=kind,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        reply_to=_addresses(reply_to),
        subject=" ".join(str(subject).split())[:255],
        body=body,
        html=html or "",
        attachments=[_attachment(*item) for item in attachments or []],
        related_type=ContentType.objects.get_for_model(related) if related is not None else None,
        related_id=related.pk if related is not None else None,
    )
    # robust: whatever happens while handing it over, the caller's request goes on; the row is saved.
    transaction.on_commit(partial(dispatch, message.pk), robust=True)
    return message


def resend(message: OutgoingMessage, *, by) -> OutgoingMessage:
    """An officer sends a failed message again: a fresh round of attempts. Returns the message as it
    stands once handed over (already sent, when there is no broker and the mail server answered)."""
    now = timezone.now()
    with transaction.atomic():
        updated = OutgoingMessage.objects.filter(pk=message.pk, status=MessageStatus.FAILED).update(
            status=MessageStatus.WAITING,
            attempts=0,
            last_error="",
            dispatch_error="",
            next_attempt_at=now,
            dispatched_at=None,
            claimed_at=None,
            failed_at=None,
            resent_by=by,
            resent_at=now,
        )
        if not updated:
            raise ValidationError(_("Only a failed message can be sent again."), code="not_failed")
        transaction.on_commit(partial(dispatch, message.pk), robust=True)
    logger.info("outgoing message %s resent by %s", message.pk, by)
    message.refresh_from_db()
    return message


# ---------------------------------------------------------------- handing messages to the workers
def dispatch(message_id: int, app=None) -> bool:
    """Send the message to the workers, or send it here when no broker is configured. False if the
    broker could not be reached: the message waits for the sweep."""
    app = _celery_app(app)
    if app.conf.task_always_eager:
        # One attempt, now; a failure is recorded on the row and the sweep tries again later.
        deliver(message_id)
        return True
    handed_at = timezone.now()
    error = hand_to_workers(app, TASK_NAME, [message_id], what=f"outgoing message {message_id}")
    if error:
        OutgoingMessage.objects.filter(pk=message_id, status=MessageStatus.WAITING).update(
            dispatched_at=None, dispatch_error=error
        )
        return False
    # Only while it waits: a quick worker may have sent it already, and a sent message is not "in the queue".
    OutgoingMessage.objects.filter(pk=message_id, status=MessageStatus.WAITING).update(
        dispatched_at=handed_at, dispatch_error=""
    )
    return True


def mark_dispatched(message_id: int) -> None:
    OutgoingMessage.objects.filter(pk=message_id, status=MessageStatus.WAITING).update(
        dispatched_at=timezone.now(), dispatch_error=""
    )


def mark_undispatched(message_id: int, exc: Exception) -> None:
    OutgoingMessage.objects.filter(pk=message_id, status=MessageStatus.WAITING).update(
        dispatched_at=None, dispatch_error=f"{exc.__class__.__name__}: {exc}"[:300]
    )


def messages_to_send(now=None):
    """Waiting messages that are due and that no task will send, and attempts that died."""
    now = now or timezone.now()
    lost = now - LOST_AFTER
    return OutgoingMessage.objects.filter(
        Q(status=MessageStatus.WAITING, dispatched_at__isnull=True, next_attempt_at__lte=now)
        | Q(status=MessageStatus.WAITING, dispatched_at__lt=lost, next_attempt_at__lt=lost)
        | Q(status=MessageStatus.SENDING, claimed_at__lt=now - STALE_SENDING)
    ).order_by("next_attempt_at", "pk")


def sweep(app=None, now=None) -> Counter:
    """Send (or queue) every message that waits for the sweep; counts by what happened."""
    app = _celery_app(app)
    outcomes = Counter()
    for message_id in list(messages_to_send(now).values_list("pk", flat=True)):
        if app.conf.task_always_eager:
            outcomes[deliver(message_id).outcome] += 1
        else:
            outcomes["queued" if dispatch(message_id, app=app) else "broker down"] += 1
    return outcomes


# ---------------------------------------------------------------- sending (in the worker)
@dataclass(frozen=True)
class Attempt:
    outcome: str  # sent, retry, failed, or skipped (another run holds it, or it is done)
    retry_in: int | None = None  # seconds, when outcome is retry


def retry_delay(attempts: int) -> int:
    return min(FIRST_RETRY_DELAY * 2 ** max(attempts - 1, 0), MAX_RETRY_DELAY)


def _claim(message_id: int, now) -> bool:
    claimable = Q(status=MessageStatus.WAITING) | Q(status=MessageStatus.SENDING, claimed_at__lt=now - STALE_SENDING)
    return bool(
        OutgoingMessage.objects.filter(claimable, pk=message_id).update(
            status=MessageStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def as_email(message: OutgoingMessage, connection=None) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body,
        from_email=message.from_email,
        to=message.to,
        reply_to=message.reply_to or None,
        connection=connection,
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    for item in message.attachments:
        email.attach(item["filename"], base64.b64decode(item["content"]), item["mimetype"])
    return email


def _permanent(exc: Exception) -> bool:
    # Every address refused: trying again sends to the same wrong addresses.
    return isinstance(exc, SMTPRecipientsRefused)


def deliver(message_id: int) -> Attempt:
    """One attempt at sending the message. Never raises for a mail server's failure: the error is
    written on the row, and the message waits for its next attempt or is marked failed."""
    now = timezone.now()
    if not _claim(message_id, now):
        return Attempt("skipped")
    message = OutgoingMessage.objects.get(pk=message_id)
    try:
        with get_connection(fail_silently=False) as connection:
            as_email(message, connection).send()
    except Exception as exc:
        return _failed_attempt(message, exc)
    OutgoingMessage.objects.filter(pk=message_id, status=MessageStatus.SENDING).update(
        status=MessageStatus.SENT, sent_at=timezone.now(), last_error="", dispatch_error="", dispatched_at=None
    )
    return Attempt("sent")


def _failed_attempt(message: OutgoingMessage, exc: Exception) -> Attempt:
    error = f"{exc.__class__.__name__}: {exc}"[:1000]
    now = timezone.now()
    if message.attempts >= MAX_ATTEMPTS or _permanent(exc):
        logger.error("outgoing message %s failed for good after %s attempt(s): %s", message.pk, message.attempts, error)
        OutgoingMessage.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
            status=MessageStatus.FAILED, failed_at=now, last_error=error, dispatched_at=None
        )
        return Attempt("failed")
    delay = retry_delay(message.attempts)
    logger.warning(
        "outgoing message %s not sent (attempt %s), next in %s s: %s", message.pk, message.attempts, delay, error
    )
    OutgoingMessage.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
        status=MessageStatus.WAITING,
        last_error=error,
        next_attempt_at=now + datetime.timedelta(seconds=delay),
        dispatched_at=None,
    )
    return Attempt("retry", delay)
