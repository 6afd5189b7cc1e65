from celery import shared_task


@shared_task
def ping(value: str = "pong") -> str:
    """A task with no side effects, used to prove that a worker answers."""
    return value


@shared_task
def clear_expired_sessions() -> None:
    """Delete the sessions that have expired (Django keeps them until asked); scheduled in CELERY_BEAT_SCHEDULE."""
    from django.core.management import call_command

    call_command("clearsessions")
