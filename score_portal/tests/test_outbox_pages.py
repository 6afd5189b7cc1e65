"""The officers' Mail page: who may see it, the status filter, the Resend button, the menu's count."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from score_portal.models import MailKind, MessageStatus, OutgoingMessage

pytestmark = pytest.mark.django_db


def message(status=MessageStatus.SENT, **fields) -> OutgoingMessage:
    defaults = {
        "kind": MailKind.EOI_ACKNOWLEDGEMENT,
        "from_email": "score@ilo.example.org",
        "to": ["ayesha@indusknit.example.pk"],
        "subject": "SCORE programme: we received your expression of interest",
        "body": "Dear Ayesha Malik, your private status link is https://score.example.org/eoi/status/secret/",
        "status": status,
        "attempts": 8 if status == MessageStatus.FAILED else 1,
        "last_error": "ConnectionRefusedError: [Errno 111] Connection refused"
        if status == MessageStatus.FAILED
        else "",
    }
    return OutgoingMessage.objects.create(**(defaults | fields))


@pytest.fixture
def failed():
    return message(MessageStatus.FAILED, to=["farhan@ravidenim.example.pk"], subject="Regret letter")


@pytest.mark.parametrize("persona", ["consultant", "contact"])
def test_only_officers_see_the_outbox(persona, request, client, failed):
    client.force_login(request.getfixturevalue(persona))
    for url in (
        reverse("outbox:list"),
        reverse("outbox:detail", args=[failed.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert "farhan@" not in response.content.decode()
    assert client.post(reverse("outbox:resend", args=[failed.pk])).status_code == 403
    failed.refresh_from_db()
    assert failed.status == MessageStatus.FAILED
    assert reverse("outbox:list") not in client.get(reverse("home")).content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, failed):
    response = client.get(reverse("outbox:detail", args=[failed.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_officer_sees_every_message_and_filters_by_status(officer_client, failed):
    message(MessageStatus.SENT, to=["sent@indusknit.example.pk"], sent_at=timezone.now())
    message(MessageStatus.WAITING, to=["waiting@chenab.example.pk"], attempts=2, last_error="SMTPServerDisconnected")
    page = officer_client.get(reverse("outbox:list")).content.decode()
    assert "farhan@ravidenim.example.pk" in page and "sent@indusknit" in page and "waiting@chenab" in page
    assert "Connection refused" in page and "Resend" in page
    assert "Acknowledgement of an expression of interest" in page

    only_failed = officer_client.get(reverse("outbox:list"), {"status": "failed"}).content.decode()
    assert "farhan@ravidenim.example.pk" in only_failed
    assert "sent@indusknit" not in only_failed and "waiting@chenab" not in only_failed
    only_sent = officer_client.get(reverse("outbox:list"), {"status": "sent"}).content.decode()
    assert "sent@indusknit" in only_sent and "farhan@" not in only_sent and "Resend" not in only_sent
    # An unknown status shows everything rather than nothing.
    assert "waiting@chenab" in officer_client.get(reverse("outbox:list"), {"status": "nonsense"}).content.decode()


def test_the_message_page_shows_the_text_to_the_officer(officer_client, failed):
    page = officer_client.get(reverse("outbox:detail", args=[failed.pk])).content.decode()
    assert "https://score.example.org/eoi/status/secret/" in page and "Connection refused" in page
    assert officer_client.get(reverse("outbox:detail", args=[failed.pk + 1000])).status_code == 404


def test_the_list_is_paginated_with_a_bounded_number_of_queries(officer_client, django_assert_max_num_queries):
    OutgoingMessage.objects.bulk_create(
        OutgoingMessage(
            kind=MailKind.LETTER,
            from_email="score@ilo.example.org",
            to=[f"contact{n}@example.pk"],
            subject=f"Letter {n}",
            body="…",
            status=MessageStatus.FAILED if n % 3 == 0 else MessageStatus.SENT,
        )
        for n in range(120)
    )
    officer_client.get(reverse("outbox:list"))  # warm-up: sessions, content types
    with django_assert_max_num_queries(8):
        first = officer_client.get(reverse("outbox:list"))
    assert first.context["page"].paginator.num_pages == 3 and len(first.context["page"].object_list) == 50
    with django_assert_max_num_queries(8):
        last = officer_client.get(reverse("outbox:list"), {"status": "sent", "page": 2})
    assert len(last.context["page"].object_list) == 30  # 80 sent, 50 on the first page
    assert "status=sent&amp;page=1" in last.content.decode()


def test_resend_is_a_post_with_a_csrf_token(officer, failed, mailoutbox, django_capture_on_commit_callbacks):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    url = reverse("outbox:resend", args=[failed.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403  # no CSRF token
    failed.refresh_from_db()
    assert failed.status == MessageStatus.FAILED and mailoutbox == []

    page = client.get(reverse("outbox:list"), {"status": "failed"})
    token = page.cookies["csrftoken"].value
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"csrfmiddlewaretoken": token, "next": reverse("outbox:list") + "?status=failed"}, follow=True
        )
    assert response.redirect_chain[-1][0] == reverse("outbox:list") + "?status=failed"
    failed.refresh_from_db()
    assert failed.status == MessageStatus.SENT and failed.resent_by == officer
    [sent] = mailoutbox
    assert sent.to == ["farhan@ravidenim.example.pk"]


def test_resending_a_message_that_is_not_failed_is_refused(officer_client, mailoutbox):
    sent = message(MessageStatus.SENT)
    response = officer_client.post(reverse("outbox:resend", args=[sent.pk]), follow=True)
    assert "Only a failed message can be sent again." in response.content.decode()
    assert mailoutbox == []


def test_resend_goes_back_only_to_a_page_of_this_site(officer_client, failed):
    response = officer_client.post(reverse("outbox:resend", args=[failed.pk]), {"next": "https://evil.example.com/"})
    assert response["Location"] == reverse("outbox:list")


def test_the_menu_counts_the_failed_messages_for_officers(officer_client, failed):
    message(MessageStatus.FAILED)
    message(MessageStatus.SENT)
    page = officer_client.get(reverse("home")).content.decode()
    assert f'href="{reverse("outbox:list")}"' in page
    assert '<span class="badge rounded-pill text-bg-danger">2<span class="visually-hidden"> failed</span>' in page
    OutgoingMessage.objects.filter(status=MessageStatus.FAILED).update(status=MessageStatus.SENT)
    assert "text-bg-danger" not in officer_client.get(reverse("home")).content.decode()
