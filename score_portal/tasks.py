from celery import shared_task


# The one task whose result is read (CELERY_TASK_IGNORE_RESULT keeps no other).
@shared_task(ignore_result=False)
def ping(value: str = "pong") -> str:
    """A task with no side effects, used to prove that a worker answers."""
    return value
