"""Notifications: told once (a unique key), in the portal with an unread count and by email through the
outbox, each kind can be turned off, and the digests hold exactly what is due on their day."""

import datetime

import pytest
from django.urls import reverse

from enterprises.models import Enterprise, Level1Batch, Stage
from enterprises.path import services as path_services
from score_portal.models import MailKind, Notification, NotificationKind, NotificationOptOut, OutgoingMessage
from score_portal.notifications import digest as officer_digest
from score_portal.notifications import notify
from score_portal.tasks import send_officer_digests
from training.models import ActionStatus
from training.tasks import send_consultant_digests
from training.tests.factories import make_action, make_visit

pytestmark = pytest.mark.django_db

# The controlled clock: every digest below is asked for this day, whatever the real date.
DAY = datetime.date(2027, 3, 10)


def test_a_notification_is_told_once_in_the_portal_and_by_email(consultant):
    first = notify(user=consultant, kind=NotificationKind.ASSIGNED, ref="x", title="Hello", url="/training/")
    again = notify(user=consultant, kind=NotificationKind.ASSIGNED, ref="x", title="Hello", url="/training/")
    assert first is not None and again is None
    assert Notification.objects.filter(user=consultant).count() == 1
    message = OutgoingMessage.objects.get(kind=MailKind.NOTIFICATION, to=[consultant.email])
    assert message.subject == "Hello" and "http://" in message.body and "/training/" in message.body


def test_a_kind_turned_off_is_not_sent(client, consultant):
    client.force_login(consultant)
    page = client.get(reverse("notifications:preferences"))
    offered = [value for value, _label in page.context["form"].fields["kinds"].choices]
    assert NotificationKind.ASSIGNED in offered and NotificationKind.OFFICER_DIGEST not in offered
    keep = [kind for kind in offered if kind != NotificationKind.ASSIGNED]
    client.post(reverse("notifications:preferences"), {"kinds": keep})
    assert NotificationOptOut.objects.filter(user=consultant, kind=NotificationKind.ASSIGNED).exists()
    assert notify(user=consultant, kind=NotificationKind.ASSIGNED, ref="y", title="Hello") is None
    assert notify(user=consultant, kind=NotificationKind.CONSULTANT_DIGEST, ref="y", title="Hello") is not None


def test_the_unread_count_and_reading_them(client, consultant, contact):
    notify(user=consultant, kind=NotificationKind.ASSIGNED, ref="a", title="Assigned A", url="/training/")
    notify(user=consultant, kind=NotificationKind.ASSIGNED, ref="b", title="Assigned B")
    notify(user=contact, kind=NotificationKind.SHORTLISTED, ref="c", title="Not yours")
    client.force_login(consultant)
    assert 'id="unread-count">2<' in client.get(reverse("notifications:badge")).content.decode()
    listing = client.get(reverse("notifications:list")).content.decode()
    assert "Assigned A" in listing and "Not yours" not in listing
    mine = Notification.objects.get(title="Assigned A")
    response = client.post(reverse("notifications:open", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == "/training/"
    assert 'id="unread-count">1<' in client.get(reverse("notifications:badge")).content.decode()
    # Someone else's notification is not there to open.
    theirs = Notification.objects.get(title="Not yours")
    assert client.post(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    client.post(reverse("notifications:mark_all_read"))
    assert "unread-count" not in client.get(reverse("notifications:badge")).content.decode()


def test_assignment_shortlisting_and_acceptance_are_told(officer, consultant, other_consultant, enterprise, contact):
    # The enterprise fixture assigned `consultant`: told once.
    assert Notification.objects.filter(user=consultant, kind=NotificationKind.ASSIGNED).count() == 1
    path_services.assign_consultant(enterprise, consultant, by=officer)  # again: nothing new
    assert Notification.objects.filter(user=consultant, kind=NotificationKind.ASSIGNED).count() == 1
    batch = Level1Batch.objects.create(call=enterprise.call, name="Batch 1", capacity=10)
    path_services.shortlist_for_batch(
        batch, [enterprise.expression_of_interest], by=officer, reason="Strong commitment"
    )
    told = Notification.objects.get(user=contact, kind=NotificationKind.SHORTLISTED)
    assert enterprise.legal_name in told.title


def test_the_consultants_digest_holds_exactly_what_is_due_that_day(officer, consultant, enterprise, other_enterprise):
    Enterprise.objects.filter(pk__in=[enterprise.pk, other_enterprise.pk]).update(stage=Stage.LEVEL1_ACCEPTED)
    # Due: the next visit agreed for DAY and not made since; an action due the day before.
    due = make_visit(enterprise, consultant, date=DAY - datetime.timedelta(days=20), next_visit_on=DAY)
    make_action(due, due_on=DAY - datetime.timedelta(days=1), what="Fix the fire exits")
    # Not due: an action due on DAY itself, one done, and a next visit planned for tomorrow.
    make_action(due, due_on=DAY, what="Due today, not overdue")
    make_action(due, due_on=DAY - datetime.timedelta(days=5), what="Already done", status=ActionStatus.DONE)
    path_services.assign_consultant(other_enterprise, consultant, by=officer)
    make_visit(
        other_enterprise,
        consultant,
        date=DAY - datetime.timedelta(days=10),
        next_visit_on=DAY + datetime.timedelta(days=1),
    )
    # Not due: a next visit whose visit already took place.
    made = make_visit(
        other_enterprise,
        consultant,
        date=DAY - datetime.timedelta(days=30),
        next_visit_on=DAY - datetime.timedelta(days=12),
    )
    assert made.pk

    assert send_consultant_digests(DAY.isoformat()) == 1
    digest = Notification.objects.get(user=consultant, kind=NotificationKind.CONSULTANT_DIGEST)
    lines = [line for line in digest.body.splitlines() if line.startswith("- ")]
    assert lines == [
        f"- {enterprise.legal_name}: next visit agreed for 10 Mar 2027",
        f"- {enterprise.legal_name}: Fix the fire exits (due 9 Mar 2027)",
    ]
    # The beat firing twice tells nobody twice; the next day is a new digest.
    assert send_consultant_digests(DAY.isoformat()) == 0
    assert send_consultant_digests((DAY + datetime.timedelta(days=1)).isoformat()) == 1


def test_the_officers_weekly_digest_is_the_worklist_once_a_week(officer, enterprise):
    Enterprise.objects.filter(pk=enterprise.pk).update(stage=Stage.LEVEL1_ACCEPTED)
    assert send_officer_digests(DAY.isoformat()) == 1
    told = Notification.objects.get(user=officer, kind=NotificationKind.OFFICER_DIGEST)
    assert "Enterprises not visited for 30 days or more: 1" in told.body
    assert enterprise.legal_name in told.body
    # Same week, another day: nothing new. Next week: a new digest.
    assert officer_digest.send_officer_digests(today=DAY + datetime.timedelta(days=2)) == 0
    assert officer_digest.send_officer_digests(today=DAY + datetime.timedelta(days=7)) == 1


def test_a_session_moved_is_told_to_the_enterprises_contacts(officer, enterprise, contact):
    from training.delivery import services as delivery_services
    from training.tests.delivery_factories import MONDAY, make_group, make_workshop

    group = make_group(enterprise)
    workshop = make_workshop(group, 2, MONDAY + datetime.timedelta(days=14))
    session = workshop.sessions.order_by("day").first()
    delivery_services.move_session(session, MONDAY + datetime.timedelta(days=21), accept_soft=True, by=officer)
    told = Notification.objects.get(user=contact, kind=NotificationKind.SESSION_CHANGED)
    assert told.title.startswith("Training moved") and "25 Jan 2027" in told.body


# ---------------------------------------------------------------- in the enterprise's language
def urdu_enterprise(officer, contact, number="5100-1"):
    """An enterprise whose expression of interest was written in Urdu, with `contact` as its contact."""
    from enterprises.tests.factories import make_enterprise

    enterprise = make_enterprise(officer, number=number, legal_name="Chenab Apparel", language="ur")
    path_services.link_contact(contact, enterprise)
    return enterprise


def test_an_enterprise_is_told_in_the_language_it_applied_in_whatever_the_officer_reads(officer, other_contact):
    from django.utils import translation

    enterprise = urdu_enterprise(officer, other_contact)
    batch = Level1Batch.objects.create(call=enterprise.call, name="Batch 1", capacity=10)
    with translation.override("en"):  # the officer's page is in English
        path_services.shortlist_for_batch(batch, [enterprise.expression_of_interest], by=officer, reason="Ready")
    told = Notification.objects.get(user=other_contact, kind=NotificationKind.SHORTLISTED)
    assert told.title == "\u2068Chenab Apparel\u2069 کو SCORE تربیت کے لیول 1 کے لیے شارٹ لسٹ کر لیا گیا ہے"
    assert told.body.startswith("آئی ایل او آپ کے سی ای او")
    mail = OutgoingMessage.objects.get(kind=MailKind.NOTIFICATION, to=[other_contact.email])
    assert mail.subject == told.title and "اسے SCORE پورٹل میں کھولیں:" in mail.body


def test_an_enterprise_that_applied_in_english_is_told_in_english_by_an_officer_reading_urdu(
    officer, enterprise, contact
):
    from django.utils import translation

    batch = Level1Batch.objects.create(call=enterprise.call, name="Batch 1", capacity=10)
    with translation.override("ur"):
        path_services.shortlist_for_batch(batch, [enterprise.expression_of_interest], by=officer, reason="Ready")
    told = Notification.objects.get(user=contact, kind=NotificationKind.SHORTLISTED)
    assert told.title == f"{enterprise.legal_name} is shortlisted for Level 1 of SCORE Training"


def test_a_workshop_tells_each_enterprise_in_its_own_language(officer, enterprise, contact, other_contact):
    from training.delivery import services as delivery_services
    from training.tests.delivery_factories import MONDAY, make_group, make_workshop

    urdu = urdu_enterprise(officer, other_contact)
    group = make_group(enterprise, urdu)
    workshop = make_workshop(group, 2, MONDAY + datetime.timedelta(days=14))
    delivery_services.tell_sessions(workshop, moved=False)
    english = Notification.objects.get(user=contact, kind=NotificationKind.SESSION_CHANGED)
    in_urdu = Notification.objects.get(user=other_contact, kind=NotificationKind.SESSION_CHANGED)
    assert english.title.startswith("Training scheduled: ") and english.body.startswith("Classroom days: ")
    assert in_urdu.title.startswith("تربیت طے ہو گئی: ") and in_urdu.body.startswith("کلاس روم کے دن: ")
    # The module's title and the days, each in its reader's words.
    assert (
        "Quality – Managing Continuous Improvement" in english.title
        and "معیار – مسلسل بہتری کا انتظام" in in_urdu.title
    )
    assert "Jan 2027" in english.body and "Jan" not in in_urdu.body
    assert english.body.count(", ") == 1 and in_urdu.body.count("، ") == 1 and ", " not in in_urdu.body


def test_a_contacts_report_is_told_ready_in_the_enterprises_language(
    officer, other_contact, django_capture_on_commit_callbacks
):
    from reporting import services as reporting_services

    enterprise = urdu_enterprise(officer, other_contact)
    with django_capture_on_commit_callbacks(execute=True):  # the report is made after the request's commit
        requested = reporting_services.request_report(other_contact, "enterprise_baseline", enterprise=enterprise)
    requested.job.refresh_from_db()
    assert requested.job.status == "done"
    told = Notification.objects.get(user=other_contact, kind=NotificationKind.REPORT_READY)
    assert told.title == "آپ کی رپورٹ تیار ہے: \u2068ادارے کے ابتدائی جائزے کی رپورٹ\u2069، \u2068Chenab Apparel\u2069"
