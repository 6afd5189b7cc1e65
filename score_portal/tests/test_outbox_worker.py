"""A real Celery worker on the broker (Redis in CI) sends a queued message to a real SMTP server, once."""

import time

import pytest

from score_portal import outbox
from score_portal.celery import app as celery_app
from score_portal.models import MailKind, MessageStatus
from score_portal.outbox import services

# The worker needs committed rows, so these tests run in real transactions (the root conftest puts back
# the data migrations' rows after each).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker_mailing_to(mail_server, monkeypatch, request):
    """The worker process reads its mail settings from the environment: point them at the test's server
    (down until the test starts it)."""
    monkeypatch.setenv("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
    monkeypatch.setenv("EMAIL_HOST", mail_server.host)
    monkeypatch.setenv("EMAIL_PORT", str(mail_server.port))
    monkeypatch.setenv("EMAIL_USE_TLS", "0")
    request.getfixturevalue("celery_worker_process")
    return mail_server


@pytest.mark.worker
def test_a_real_worker_sends_a_queued_message_once(worker_mailing_to):
    worker_mailing_to.start()
    message = outbox.enqueue(
        to="ayesha@indusknit.example.pk",
        subject="SCORE programme: we received your expression of interest SCORE-PK-2018-0042",
        body="Dear Ayesha,",
        kind=MailKind.EOI_ACKNOWLEDGEMENT,
    )
    message.refresh_from_db()
    # Handed to the broker once the row was committed (unless the worker was quicker and has it already).
    assert message.dispatched_at is not None or message.status != MessageStatus.WAITING
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and message.status != MessageStatus.SENT:
        time.sleep(0.3)
        message.refresh_from_db()
    assert message.status == MessageStatus.SENT, message.last_error
    # The same task delivered a second time (a redelivery, a sweep): the claim stops it.
    again = celery_app.send_task(services.TASK_NAME, args=[message.pk], ignore_result=False)
    assert again.get(timeout=30) == "skipped"
    [received] = worker_mailing_to.received
    assert (
        " ".join(received["Subject"].split())
        == "SCORE programme: we received your expression of interest SCORE-PK-2018-0042"
    )
    message.refresh_from_db()
    assert message.attempts == 1


@pytest.mark.worker
def test_mail_server_down_the_worker_schedules_the_next_attempt_with_backoff(worker_mailing_to):
    message = outbox.enqueue(to="ayesha@indusknit.example.pk", subject="Hello", body="…", kind=MailKind.NOTIFICATION)
    deadline = time.monotonic() + 60
    # Until the attempt has failed and its retry is in the broker (dispatched_at is set again after it).
    while time.monotonic() < deadline and not (message.last_error and message.dispatched_at):
        time.sleep(0.3)
        message.refresh_from_db()
    assert message.status == MessageStatus.WAITING and message.attempts == 1
    assert "refused" in message.last_error.lower()
    assert message not in services.messages_to_send()  # the sweep trusts the retry until long overdue
    # The retry sits in the worker, due a minute after the attempt.
    scheduled = []
    while time.monotonic() < deadline and not scheduled:
        replies = celery_app.control.inspect(timeout=2).scheduled() or {}
        scheduled = [entry["request"] for entries in replies.values() for entry in entries]
    assert [(task["name"], task["args"]) for task in scheduled] == [(services.TASK_NAME, [message.pk])]
