import datetime

from celery import shared_task
from django.utils import timezone


@shared_task(name="training.tasks.send_consultant_digests")
def send_consultant_digests(today: str | None = None) -> int:
    """Each consultant's daily digest (Celery beat, every morning). `today` (ISO date) for a run by hand."""
    from .visits import digest

    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return digest.send_digests(today=day)
