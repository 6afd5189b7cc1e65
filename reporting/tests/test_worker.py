"""A real Celery worker on the broker (Redis in CI) renders a report end to end."""


import pytest

from reporting import services
from reporting.models import JobStatus, ReportKind
from reporting.tests.helpers import pdf_text, wait_for_job

# The worker needs committed rows, so these tests run in real transactions (the root conftest puts back
# what the data migrations made after each).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.worker
def test_a_real_worker_renders_a_report(celery_worker_process, officer, enterprise):
    requested = services.request_report(officer, ReportKind.ENTERPRISE_BASELINE, enterprise=enterprise)
    job = requested.job
    assert job.dispatched_at is not None  # sent to the broker once the transaction committed
    job = wait_for_job(job.pk)
    assert job.status == JobStatus.DONE, job.error or job.phase
    assert job.attempts == 1 and job.progress == 100
    with job.file.open("rb") as handle:
        assert enterprise.legal_name in pdf_text(handle.read())


@pytest.mark.worker
def test_saved_while_the_broker_was_down_then_sent_to_the_worker(
    celery_worker_process, officer, enterprise, monkeypatch
):
    from celery import Celery
    from django.core.management import call_command

    with monkeypatch.context() as patch:
        patch.delenv("CELERY_BROKER_URL", raising=False)  # Celery would prefer it to the broker given here
        unreachable = Celery("unreachable", broker="redis://127.0.0.1:1/0", set_as_current=False)
        patch.setattr(services, "_celery_app", lambda app_=None: unreachable)
        job = services.request_report(officer, ReportKind.ENTERPRISE_PROGRESS, enterprise=enterprise).job
        job.refresh_from_db()
        assert job.waiting_for_queue and job.dispatch_error
    call_command("dispatch_queued_reports")
    job = wait_for_job(job.pk)
    assert job.status == JobStatus.DONE, job.error or job.phase
