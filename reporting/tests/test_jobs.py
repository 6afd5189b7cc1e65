"""The job's life: in-process without a broker, reuse, idempotency, a broker that is down, failures and retries,
retention."""

import datetime
import os
import socket
import time

import pytest
from celery import Celery
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from reporting import reports, services
from reporting.models import JobStatus, ReportJob, ReportKind
from reporting.tests.helpers import pdf_text

pytestmark = pytest.mark.django_db

UNREACHABLE = "redis://127.0.0.1:1/0"  # port 1 on loopback: nothing listens, the connection is refused


@pytest.fixture
def unreachable_broker(monkeypatch):
    """Point the dispatch at a broker that does not answer (a real connection attempt, refused).

    Celery prefers the CELERY_BROKER_URL environment variable to the broker given to the app, so it
    is set aside for the test (CI sets it)."""
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    app = Celery("unreachable", broker=UNREACHABLE, set_as_current=False)
    app.conf.broker_connection_timeout = 1
    monkeypatch.setattr(services, "_celery_app", lambda app_=None: app)
    return app


@pytest.fixture
def portal_celery_on(monkeypatch):
    """The portal's own Celery configuration (timeouts, publish retries, no results) on the broker and
    result store given, for the dispatch."""

    def configure(broker: str, result_backend: str = UNREACHABLE):
        # Celery prefers these environment variables to its configuration.
        monkeypatch.setenv("CELERY_BROKER_URL", broker)
        monkeypatch.setenv("CELERY_RESULT_BACKEND", result_backend)
        app = Celery("score_portal", set_as_current=False)
        app.config_from_object("django.conf:settings", namespace="CELERY")
        app.conf.task_always_eager = False
        monkeypatch.setattr(services, "_celery_app", lambda app_=None: app)
        return app

    return configure


@pytest.fixture
def silent_broker():
    """A broker address that never answers (a firewall dropping packets, a host gone): the port's
    backlog is full, so a connection attempt waits until its timeout instead of being refused."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        address = listener.getsockname()
        fillers = [socket.socket() for _ in range(4)]
        for filler in fillers:
            filler.setblocking(False)
            filler.connect_ex(address)
        yield f"redis://127.0.0.1:{address[1]}/0"
        for filler in fillers:
            filler.close()


def waiting_jobs(user, enterprise, count):
    return [
        ReportJob.objects.create(
            kind=ReportKind.ENTERPRISE_BASELINE, requested_by=user, enterprise=enterprise, signature=f"waiting-{n}"
        )
        for n in range(count)
    ]


def ask(user, enterprise, capture, kind=ReportKind.ENTERPRISE_BASELINE, **kwargs):
    with capture(execute=True):
        requested = services.request_report(user, kind, enterprise=enterprise, **kwargs)
    requested.job.refresh_from_db()
    return requested


def test_without_a_broker_the_report_is_made_in_process(officer, enterprise, django_capture_on_commit_callbacks):
    job = ask(officer, enterprise, django_capture_on_commit_callbacks).job
    assert job.status == JobStatus.DONE and job.progress == 100 and job.attempts == 1
    assert job.dispatched_at and job.started_at and job.finished_at
    assert job.file.name.startswith("reports/") and job.file.name.endswith(".pdf")
    assert default_storage.exists(job.file.name)
    assert job.file_size == default_storage.size(job.file.name)
    with job.file.open("rb") as handle:
        assert enterprise.legal_name in pdf_text(handle.read())


def test_asking_again_while_queued_reuses_the_job(officer, consultant, enterprise, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = services.request_report(officer, ReportKind.ENTERPRISE_BASELINE, enterprise=enterprise)
        again = services.request_report(consultant, ReportKind.ENTERPRISE_BASELINE, enterprise=enterprise)
    assert first.created and not again.created
    assert again.job.pk == first.job.pk
    assert len(callbacks) == 1  # sent once
    other = services.request_report(officer, ReportKind.ENTERPRISE_PROGRESS, enterprise=enterprise)
    assert other.created and other.job.pk != first.job.pk


def test_a_done_job_is_not_rendered_again(officer, enterprise, django_capture_on_commit_callbacks, monkeypatch):
    job = ask(officer, enterprise, django_capture_on_commit_callbacks).job
    calls = []
    monkeypatch.setattr(reports, "render", lambda *a, **k: calls.append(1))
    assert services.run_job(job.pk) == "skipped"
    from reporting.tasks import render_report

    assert render_report.apply(args=[job.pk]).get() == "skipped"
    assert calls == []
    monkeypatch.undo()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 1
    # asking again once it is done makes a fresh report
    again = ask(officer, enterprise, django_capture_on_commit_callbacks)
    assert again.created and again.job.pk != job.pk


def test_a_running_job_gone_quiet_is_taken_over(officer, enterprise):
    job = ReportJob.objects.create(
        kind=ReportKind.ENTERPRISE_BASELINE,
        requested_by=officer,
        enterprise=enterprise,
        signature="x",
        status=JobStatus.RUNNING,
        started_at=timezone.now(),
    )
    assert services.run_job(job.pk) == "skipped"  # another worker holds it
    ReportJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - datetime.timedelta(hours=1))
    assert job in services.jobs_to_dispatch()
    assert services.run_job(job.pk) == "done"


def test_broker_unreachable_job_is_kept_then_dispatched(
    officer, enterprise, django_capture_on_commit_callbacks, unreachable_broker, monkeypatch
):
    unreachable_broker.conf.task_always_eager = False
    requested = ask(officer, enterprise, django_capture_on_commit_callbacks)
    job = requested.job
    assert requested.created
    assert job.status == JobStatus.QUEUED and job.dispatched_at is None and job.waiting_for_queue
    assert "OperationalError" in job.dispatch_error or "Error" in job.dispatch_error
    # the sweep while the broker is still down: nothing lost, nothing sent
    assert services.dispatch_queued() == (0, 1)
    job.refresh_from_db()
    assert job.waiting_for_queue
    # asking again meanwhile reuses the saved job and tries to send it again
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = services.request_report(officer, ReportKind.ENTERPRISE_BASELINE, enterprise=enterprise)
    assert again.job.pk == job.pk and len(callbacks) == 1
    # the broker is back (here: tasks in-process): the management command sends it, and it is made
    monkeypatch.undo()
    call_command("dispatch_queued_reports")
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.file and not job.dispatch_error
    assert services.dispatch_queued() == (0, 0)


def test_a_result_store_that_is_down_does_not_stop_a_report_from_being_sent(
    officer, enterprise, django_capture_on_commit_callbacks, portal_celery_on
):
    # kombu's in-process broker takes the message; the result store (Redis) is down.
    app = portal_celery_on("memory://", result_backend=UNREACHABLE)
    started = time.monotonic()
    job = ask(officer, enterprise, django_capture_on_commit_callbacks).job
    assert time.monotonic() - started < 2
    assert job.status == JobStatus.QUEUED and job.dispatched_at and not job.dispatch_error
    with app.connection_for_read() as connection:
        message = connection.SimpleQueue("celery").get(timeout=1)
        message.ack()
    assert message.headers["task"] == services.TASK_NAME and message.payload[0] == [job.pk]


def test_a_broker_that_does_not_answer_costs_a_request_about_a_second_and_the_sweep_one_timeout(
    officer, enterprise, django_capture_on_commit_callbacks, portal_celery_on, silent_broker
):
    portal_celery_on(silent_broker)
    started = time.monotonic()
    job = ask(officer, enterprise, django_capture_on_commit_callbacks).job
    asking = time.monotonic() - started
    assert job.waiting_for_queue and "Timeout" in job.dispatch_error
    assert asking < 2, f"asking for a report took {asking:.2f} s with the broker silent"
    others = waiting_jobs(officer, enterprise, 3)
    started = time.monotonic()
    # The first refusal ends the sweep: four jobs do not cost four timeouts.
    assert services.dispatch_queued() == (0, 4)
    assert time.monotonic() - started < asking + 1
    assert all(other.waiting_for_queue for other in ReportJob.objects.filter(pk__in=[o.pk for o in others]))


def test_whatever_stops_the_send_the_job_keeps_waiting_for_the_queue(
    officer, enterprise, django_capture_on_commit_callbacks, portal_celery_on
):
    portal_celery_on("no-such-transport://broker")  # a misconfigured broker raises a KeyError, not a broker error
    job = ask(officer, enterprise, django_capture_on_commit_callbacks).job
    assert job.waiting_for_queue and "No such transport" in job.dispatch_error
    assert services.dispatch_queued() == (0, 1)


def test_a_failing_render_ends_failed_with_a_readable_message_and_retry_works(
    officer, enterprise, django_capture_on_commit_callbacks, monkeypatch
):
    real = reports.SPECS[ReportKind.ENTERPRISE_BASELINE]

    def broken(job):
        raise ValueError("the chart needs at least one round")

    monkeypatch.setitem(reports.SPECS, ReportKind.ENTERPRISE_BASELINE, reports.Spec(broken, real.template))
    job = ask(officer, enterprise, django_capture_on_commit_callbacks).job
    assert job.status == JobStatus.FAILED
    assert job.attempts == 4  # the first try and three retries
    assert job.error == "The report could not be made: the chart needs at least one round"
    assert not job.file
    monkeypatch.setitem(reports.SPECS, ReportKind.ENTERPRISE_BASELINE, real)
    with django_capture_on_commit_callbacks(execute=True):
        services.retry_job(job, by=officer)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.error == "" and job.file


def test_a_passing_failure_is_retried_and_the_report_is_made(
    officer, enterprise, django_capture_on_commit_callbacks, monkeypatch
):
    real = reports.SPECS[ReportKind.ENTERPRISE_BASELINE]
    failures = []

    def flaky(job):
        if not failures:
            failures.append(1)
            raise OSError("disk busy")
        return real.gather(job)

    monkeypatch.setitem(reports.SPECS, ReportKind.ENTERPRISE_BASELINE, reports.Spec(flaky, real.template))
    job = ask(officer, enterprise, django_capture_on_commit_callbacks).job
    assert job.status == JobStatus.DONE and job.attempts == 2 and job.error == ""


def test_the_task_is_bounded_with_backoff():
    from reporting.tasks import render_report

    assert render_report.max_retries == 3
    assert render_report.retry_backoff and render_report.retry_backoff_max == 120
    assert services.RetryableReportError in render_report.autoretry_for


def test_cleanup_removes_files_after_the_retention_period(officer, enterprise, django_capture_on_commit_callbacks):
    job = ask(officer, enterprise, django_capture_on_commit_callbacks).job
    recent = ask(officer, enterprise, django_capture_on_commit_callbacks, kind=ReportKind.ENTERPRISE_PROGRESS).job
    ReportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - datetime.timedelta(days=40))
    stray = default_storage.save("reports/left-behind.pdf", __import__("io").BytesIO(b"%PDF-1.7"))
    old = (timezone.now() - datetime.timedelta(days=40)).timestamp()
    os.utime(default_storage.path(stray), (old, old))
    name = job.file.name
    call_command("cleanup_reports", "--days", "30")
    job.refresh_from_db()
    recent.refresh_from_db()
    assert not job.file and job.file_removed_at and not default_storage.exists(name)
    assert not default_storage.exists(stray)
    assert recent.file and default_storage.exists(recent.file.name)
