from celery import shared_task

from .outbox import services as outbox
from .queue import BROKER_ERRORS


# The one task whose result is read (CELERY_TASK_IGNORE_RESULT keeps no other).
@shared_task(ignore_result=False)
def ping(value: str = "pong") -> str:
    """A task with no side effects, used to prove that a worker answers."""
    return value


@shared_task(bind=True, name=outbox.TASK_NAME, acks_late=True, max_retries=None)
def send_message(self, message_id: int) -> str:
    """One attempt at sending an outgoing message; after a failure, the next attempt is scheduled
    with backoff. The row counts the attempts and decides when to give up (see outbox.services)."""
    attempt = outbox.deliver(message_id)
    if attempt.retry_in is None or self.request.is_eager or self.request.called_directly:
        # In-process there is no one to wait for the countdown: the sweep makes the next attempt.
        return attempt.outcome
    try:
        self.retry(countdown=attempt.retry_in, throw=False)
    except BROKER_ERRORS as exc:
        outbox.mark_undispatched(message_id, exc)  # the sweep sends it once the broker is back
        return attempt.outcome
    outbox.mark_dispatched(message_id)
    return attempt.outcome


@shared_task(name="score_portal.tasks.send_queued_mail")
def send_queued_mail() -> dict:
    """The periodic sweep (Celery beat): send the messages nothing else will send."""
    return dict(outbox.sweep())


@shared_task
def clear_expired_sessions() -> None:
    """Delete the sessions that have expired (Django keeps them until asked); scheduled in CELERY_BEAT_SCHEDULE."""
    from django.core.management import call_command

    call_command("clearsessions")


@shared_task(name="score_portal.tasks.send_officer_digests")
def send_officer_digests(today: str | None = None) -> int:
    """Each officer's weekly digest of the worklist (Celery beat, Monday morning)."""
    import datetime

    from django.utils import timezone

    from .notifications import digest

    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return digest.send_officer_digests(today=day)
