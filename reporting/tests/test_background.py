"""Without a broker (the embedded default) a report is made in a thread after the request: the page
answers at once with the job, which follows its progress and ends with a download, as with a worker."""

import threading
import time

import pytest
from django.db import connection
from django.urls import reverse

from reporting import reports, services
from reporting.models import JobStatus, ReportJob

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def slow_render(monkeypatch):
    """The real rendering, held back until the test lets it go: a report that takes long."""
    release, entered = threading.Event(), threading.Event()
    real = reports.render

    def held(job, progress=reports._no_progress):
        entered.set()
        assert release.wait(60), "the test never let the report go"
        return real(job, progress)

    monkeypatch.setattr(reports, "render", held)
    yield release, entered
    release.set()
    services.wait_for_background()


def test_a_report_asked_for_without_a_broker_returns_the_job_page_at_once(
    client, officer, enterprise, settings, slow_render
):
    settings.REPORTS_IN_BACKGROUND = True
    release, entered = slow_render
    client.force_login(officer)
    started = time.monotonic()
    response = client.post(reverse("reporting:enterprise", args=[enterprise.pk]), {"kind": "enterprise_baseline"})
    answered_in = time.monotonic() - started
    assert response.status_code == 302 and answered_in < 3
    # the report is being made meanwhile, and the job page says so
    assert entered.wait(30)
    job = ReportJob.objects.get()
    assert response.url == reverse("reporting:job", args=[job.pk])
    assert job.status == JobStatus.RUNNING
    page = client.get(response.url).content.decode()
    assert "Running" in page and "Download" not in page
    release.set()
    services.wait_for_background()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.downloadable
    download = client.get(reverse("reporting:download", args=[job.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def _other_sessions() -> set:
    """The other database sessions on the test database (PostgreSQL), by backend pid."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return {row[0] for row in cursor.fetchall()}


def test_the_background_thread_closes_its_database_connection(officer, enterprise, settings):
    settings.REPORTS_IN_BACKGROUND = True
    postgres = connection.vendor == "postgresql"
    before = _other_sessions() if postgres else set()
    requested = services.request_report(officer, "enterprise_baseline", enterprise=enterprise)
    services.wait_for_background()
    requested.job.refresh_from_db()
    assert requested.job.status == JobStatus.DONE
    if postgres:
        # the thread's session is gone (others, such as a live server's, may stay)
        assert _other_sessions() <= before
