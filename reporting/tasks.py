"""Celery tasks of the reports. They take ids and call services; see services.py for why running
one twice is harmless."""

from celery import shared_task

from . import services


@shared_task(
    bind=True,
    name=services.TASK_NAME,
    autoretry_for=(services.RetryableReportError,),
    max_retries=services.MAX_RETRIES,
    retry_backoff=5,
    retry_backoff_max=120,
    retry_jitter=True,
    acks_late=True,
)
def render_report(self, job_id: int) -> str:
    """Render one report job; retried with backoff (5, 10, 20 s…) up to three times, then failed."""
    return services.run_job(job_id, final=self.request.retries >= self.max_retries)


@shared_task(name="reporting.tasks.dispatch_queued_reports")
def dispatch_queued_reports() -> dict:
    """The periodic sweep (Celery beat): send the jobs that waited while the broker was down."""
    sent, waiting = services.dispatch_queued()
    return {"sent": sent, "waiting": waiting}
