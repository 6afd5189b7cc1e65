"""A broker outage, for real: the test starts a Redis of its own, kills it while officers ask for
reports over HTTP, starts it again on the same port, and a real worker makes every report once.

Needs redis-server and PostgreSQL (the worker shares the test database); CELERY_BROKER_URL is not
used. The request times are printed (`pytest -s` shows them)."""

import time

import pytest
from celery import Celery
from django.core.management import call_command
from django.urls import reverse

from reporting import services
from reporting.models import JobStatus, ReportJob, ReportKind

# The worker needs committed rows; serialized_rollback puts back what the data migrations made.
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.worker]

QUICK = 2.0  # seconds: how long asking for a report may take while the broker is down
SAVED = "The report queue cannot be reached right now"
STILL_DOWN = "The report queue still cannot be reached"


@pytest.fixture
def worker_broker_url(redis_server):
    return redis_server.url


@pytest.fixture
def portal_celery(redis_server, monkeypatch):
    """The portal's own Celery configuration (timeouts, publish retries, no results) on the test's Redis."""
    # Celery prefers these environment variables to its configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", redis_server.url)
    monkeypatch.setenv("CELERY_RESULT_BACKEND", redis_server.url)
    app = Celery("score_portal", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.task_always_eager = False
    monkeypatch.setattr(services, "_celery_app", lambda app_=None: app)
    yield app
    app.close()


def timed(action):
    started = time.monotonic()
    response = action()
    return response, time.monotonic() - started


def ask(client, enterprise, kind):
    url = reverse("reporting:enterprise", args=[enterprise.pk])
    return timed(lambda: client.post(url, {"kind": kind}, follow=True))


def wait_until_finished(jobs, seconds=240):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        statuses = set(ReportJob.objects.filter(pk__in=[job.pk for job in jobs]).values_list("status", flat=True))
        if statuses <= {JobStatus.DONE, JobStatus.FAILED}:
            return
        time.sleep(0.5)
    raise AssertionError(f"report jobs still not finished after {seconds} s")


@pytest.mark.parametrize("sweep", ["command", "beat task"])
def test_reports_asked_for_while_redis_is_down_are_each_made_once_when_it_is_back(
    sweep,
    redis_server,
    portal_celery,
    celery_worker_process,
    officer_client,
    enterprise,
    other_enterprise,
    report_media,
):
    # Before the outage: a report goes through, and the app's pool now holds a connection to this Redis.
    response, _seconds = ask(officer_client, enterprise, ReportKind.ENTERPRISE_BASELINE)
    before = response.context["job"]
    wait_until_finished([before])

    redis_server.kill()
    asked = [
        (enterprise, ReportKind.ENTERPRISE_PROGRESS),
        (other_enterprise, ReportKind.ENTERPRISE_BASELINE),
        (other_enterprise, ReportKind.ENTERPRISE_PROGRESS),
    ]
    waiting, times = [], []
    for subject, kind in asked:
        response, seconds = ask(officer_client, subject, kind)
        times.append(seconds)
        assert response.status_code == 200
        assert SAVED in response.content.decode()
        job = response.context["job"]
        assert job.waiting_for_queue and job.dispatch_error, "marked sent although the broker is down"
        waiting.append(job)
    # Asking again for a waiting report sends the same job again; so does "Try sending it now".
    response, seconds = ask(officer_client, enterprise, ReportKind.ENTERPRISE_PROGRESS)
    times.append(seconds)
    assert response.context["job"].pk == waiting[0].pk and SAVED in response.content.decode()
    retry = reverse("reporting:job_retry", args=[waiting[1].pk])
    response, seconds = timed(lambda: officer_client.post(retry, follow=True))
    times.append(seconds)
    assert response.status_code == 200 and STILL_DOWN in response.content.decode()
    print(f"\nasking for a report with Redis down ({sweep}): " + ", ".join(f"{s:.2f} s" for s in times))
    assert max(times) < QUICK
    # The sweep while Redis is still down: nothing is sent, and it gives up at once.
    started = time.monotonic()
    assert services.dispatch_queued() == (0, len(waiting))
    assert time.monotonic() - started < QUICK

    redis_server.start()  # same port, empty: whatever waited must be sent again
    response = officer_client.post(reverse("reporting:job_retry", args=[waiting[0].pk]), follow=True)
    assert STILL_DOWN not in response.content.decode()
    assert not ReportJob.objects.get(pk=waiting[0].pk).waiting_for_queue
    if sweep == "command":
        call_command("dispatch_queued_reports")
    else:  # what Celery beat does every minute: the sweep runs in the worker
        portal_celery.send_task("reporting.tasks.dispatch_queued_reports")

    jobs = [before, *waiting]
    wait_until_finished(jobs)
    for job in jobs:
        job.refresh_from_db()
        assert job.status == JobStatus.DONE, job.error or job.phase
        assert job.attempts == 1 and job.dispatched_at and not job.dispatch_error
    made = sorted(path.name for path in (report_media / "reports").iterdir())
    assert made == sorted(job.file.name.removeprefix("reports/") for job in jobs)  # one file each
    assert services.dispatch_queued() == (0, 0)
