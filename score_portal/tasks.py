from celery import shared_task


@shared_task
def ping(value: str = "pong") -> str:
    """A task with no side effects, used to prove that a worker answers."""
    return value
