"""The outbox's life: sent after commit, never twice, a mail server or a broker that is down, the
retries running out, an officer's resend, and the sweep from cron."""

import datetime
import io

import pytest
from celery import Celery
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from score_portal import outbox
from score_portal.models import MailKind, MessageStatus, OutgoingMessage
from score_portal.outbox import services
from score_portal.tasks import send_message

pytestmark = pytest.mark.django_db

UNREACHABLE = "redis://127.0.0.1:1/0"  # port 1 on loopback: nothing listens, the connection is refused


def queue(capture=None, **overrides) -> OutgoingMessage:
    fields = {
        "to": "ayesha@indusknit.example.pk",
        "subject": "SCORE programme: your expression of interest",
        "body": "Dear Ayesha,\n\nThank you.",
        "kind": MailKind.NOTIFICATION,
    } | overrides
    if capture is None:
        return outbox.enqueue(**fields)
    with capture(execute=True):
        message = outbox.enqueue(**fields)
    message.refresh_from_db()
    return message


def sweep_later(minutes=120):
    """The sweep as cron would run it that much later, when every retry so far is due."""
    return services.sweep(now=timezone.now() + datetime.timedelta(minutes=minutes))


@pytest.fixture
def unreachable_broker(monkeypatch):
    # Celery prefers the CELERY_BROKER_URL environment variable to the broker given to the app (CI sets it).
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    app = Celery("unreachable", broker=UNREACHABLE, set_as_current=False)
    app.conf.broker_connection_timeout = 1
    app.conf.task_always_eager = False
    monkeypatch.setattr(services, "_celery_app", lambda app_=None: app)
    return app


# ---------------------------------------------------------------- sending
def test_without_a_broker_a_message_is_sent_right_after_commit(django_capture_on_commit_callbacks):
    message = queue(
        django_capture_on_commit_callbacks,
        html="<p>Dear Ayesha,</p>",
        reply_to="score@ilo.example.org",
        attachments=[("letter.txt", "Dear Ayesha", "text/plain")],
    )
    [sent] = mail.outbox
    assert sent.to == ["ayesha@indusknit.example.pk"] and sent.reply_to == ["score@ilo.example.org"]
    assert sent.subject == "SCORE programme: your expression of interest"
    assert sent.alternatives[0] == ("<p>Dear Ayesha,</p>", "text/html")
    assert tuple(sent.attachments[0]) == ("letter.txt", "Dear Ayesha", "text/plain")
    assert message.status == MessageStatus.SENT and message.attempts == 1 and message.sent_at is not None


def test_a_message_is_saved_only_with_the_transaction_that_asked_for_it(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        queue()
        raise RuntimeError("the EOI could not be saved")
    assert not OutgoingMessage.objects.exists() and mail.outbox == []


def test_a_message_needs_a_recipient():
    with pytest.raises(ValidationError):
        queue(to=[])


def test_a_task_that_runs_twice_sends_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        message = queue()
    assert send_message.apply(args=[message.pk]).get() == "sent"
    assert send_message.apply(args=[message.pk]).get() == "skipped"
    assert services.deliver(message.pk).outcome == "skipped"
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.attempts == 1


def test_an_attempt_in_progress_is_left_alone_until_it_is_stale(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        message = queue()
    OutgoingMessage.objects.filter(pk=message.pk).update(status=MessageStatus.SENDING, claimed_at=timezone.now())
    assert services.deliver(message.pk).outcome == "skipped"
    assert message not in services.messages_to_send()
    # Its worker died mid-send: after STALE_SENDING the sweep sends it.
    OutgoingMessage.objects.filter(pk=message.pk).update(claimed_at=timezone.now() - datetime.timedelta(hours=1))
    assert services.sweep() == {"sent": 1}
    assert len(mail.outbox) == 1


def test_a_queued_task_is_trusted_until_it_is_long_overdue(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        message = queue()
    OutgoingMessage.objects.filter(pk=message.pk).update(dispatched_at=timezone.now())
    assert message not in services.messages_to_send()  # a worker will run the task it was given
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    OutgoingMessage.objects.filter(pk=message.pk).update(dispatched_at=long_ago, next_attempt_at=long_ago)
    assert message in services.messages_to_send()  # that task was lost


# ---------------------------------------------------------------- a real mail server, down then back
def test_mail_server_down_the_message_waits_then_goes_once_when_it_is_back(
    mail_server, django_capture_on_commit_callbacks
):
    message = queue(django_capture_on_commit_callbacks)
    assert message.status == MessageStatus.WAITING and message.attempts == 1 and message.sent_at is None
    assert "refused" in message.last_error.lower()
    assert message.next_attempt_at > timezone.now() + datetime.timedelta(seconds=50)  # backoff: a minute
    assert services.sweep() == {}  # not due yet

    assert sweep_later() == {"retry": 1}  # still down: a second attempt, recorded
    message.refresh_from_db()
    assert message.attempts == 2 and message.status == MessageStatus.WAITING
    assert message.next_attempt_at > timezone.now() + datetime.timedelta(seconds=110)  # two minutes

    mail_server.start()
    out = io.StringIO()
    OutgoingMessage.objects.update(next_attempt_at=timezone.now())
    call_command("send_queued_mail", stdout=out)
    assert "sent 1" in out.getvalue()
    call_command("send_queued_mail", stdout=out)
    assert "No mail waiting" in out.getvalue()
    [received] = mail_server.received
    assert received["Subject"] == "SCORE programme: your expression of interest"
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 3 and message.last_error == ""


def test_after_the_last_attempt_the_message_is_failed_and_an_officer_resends_it(
    mail_server, officer, django_capture_on_commit_callbacks
):
    message = queue(django_capture_on_commit_callbacks)
    for _attempt in range(services.MAX_ATTEMPTS - 1):
        sweep_later()
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.attempts == services.MAX_ATTEMPTS
    assert message.failed_at is not None and "refused" in message.last_error.lower()
    assert sweep_later(minutes=24 * 60) == {}  # the sweep leaves failed messages to the officers

    mail_server.start()
    with django_capture_on_commit_callbacks(execute=True):
        outbox.resend(message, by=officer)
    resent = OutgoingMessage.objects.get(pk=message.pk)
    assert resent.status == MessageStatus.SENT and resent.attempts == 1 and resent.resent_by == officer
    assert len(mail_server.received) == 1
    with pytest.raises(ValidationError, match="Only a failed message"):
        outbox.resend(resent, by=officer)


def test_an_address_the_server_refuses_fails_at_once(mail_server, django_capture_on_commit_callbacks):
    mail_server.refused.add("nobody@indusknit.example.pk")
    mail_server.start()
    message = queue(django_capture_on_commit_callbacks, to="nobody@indusknit.example.pk")
    assert message.status == MessageStatus.FAILED and message.attempts == 1  # trying again would not help
    assert "550" in message.last_error and mail_server.received == []


def test_the_pauses_between_attempts_double_up_to_an_hour():
    assert [services.retry_delay(n) for n in range(1, services.MAX_ATTEMPTS)] == [60, 120, 240, 480, 960, 1920, 3600]


# ---------------------------------------------------------------- a broker that is down
def test_broker_down_the_message_waits_for_the_sweep(
    unreachable_broker, django_capture_on_commit_callbacks, monkeypatch
):
    message = queue(django_capture_on_commit_callbacks)
    assert message.status == MessageStatus.WAITING and message.attempts == 0
    assert message.dispatched_at is None and message.dispatch_error and message.waiting_for_queue
    assert services.sweep() == {"broker down": 1}
    assert mail.outbox == []
    monkeypatch.undo()  # the broker is back (here: tasks in-process)
    call_command("send_queued_mail", stdout=io.StringIO())
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and len(mail.outbox) == 1
