"""Calendars: month and list views scoped to the person, the iCalendar feed behind a secret address."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from training.delivery import ical
from training.models import CalendarFeed
from training.tests.delivery_factories import MONDAY, make_batch, make_group, make_level1, make_workshop

MONTH = "?view=month&month=2027-01"


@pytest.fixture
def sessions(enterprise, other_enterprise, consultant, other_consultant, django_user_model):
    """Indus in group A (trainer: a third person), Ravi in group B (trainer: other_consultant); a Level 1
    batch with only Ravi, trained by `consultant`."""
    trainer = django_user_model.objects.create_user("trainer", first_name="Farah")
    mine = make_group(enterprise, name="Group Indus", trainer=trainer)
    theirs = make_group(other_enterprise, name="Group Ravi", trainer=other_consultant)
    make_workshop(mine, 3, MONDAY, trainer)
    make_workshop(theirs, 4, MONDAY + datetime.timedelta(days=7), other_consultant)
    batch = make_batch(other_enterprise, name="Batch Ravi")
    make_level1(batch, [datetime.date(2027, 1, 20), datetime.date(2027, 1, 21), datetime.date(2027, 1, 22)], consultant)
    return {"mine": mine, "theirs": theirs, "trainer": trainer}


@pytest.mark.django_db
@pytest.mark.parametrize("view", ["?view=month&month=2027-01", "?view=list"])
def test_each_person_sees_only_their_sessions(persona_client, sessions, view, monkeypatch):

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2027, 1, 1))
    expected = {
        "officer": {"Group Indus", "Group Ravi", "Batch Ravi"},
        "consultant": {"Group Indus", "Batch Ravi"},  # assigned to Indus; trains the batch
        "other_consultant": {"Group Ravi", "Batch Ravi"},
        "contact": {"Group Indus"},
        "other_contact": {"Group Ravi", "Batch Ravi"},
    }
    for persona, names in expected.items():
        page = persona_client(persona).get(reverse("training:calendar") + view).content.decode()
        shown = {name for name in ("Group Indus", "Group Ravi", "Batch Ravi") if name in page}
        assert shown == names, persona


@pytest.mark.django_db
def test_sessions_outside_ones_scope_are_404(persona_client, sessions):
    session = sessions["theirs"].workshops.get().sessions.get(day=1)
    workshop = sessions["theirs"].workshops.get()
    for persona, status in {
        "officer": 200,
        "other_consultant": 200,
        "other_contact": 200,
        "consultant": 404,
        "contact": 404,
    }.items():
        client = persona_client(persona)
        assert client.get(reverse("training:session_detail", args=[session.pk])).status_code == status, persona
        assert client.get(reverse("training:workshop_detail", args=[workshop.pk])).status_code == status, persona


@pytest.mark.django_db
def test_a_contact_nominates_for_its_own_enterprise_only(persona_client, sessions, enterprise, other_enterprise):
    workshop = sessions["mine"].workshops.get()
    data = {"name": "Samina", "position": "HR manager", "level": "manager", "sex": "female", "phone": "0300"}
    client = persona_client("contact")
    url = reverse("training:participant_new", args=[workshop.pk, enterprise.pk])
    assert client.post(url, data).status_code == 302
    assert workshop.participants.get().added_by.username == "contact1"
    page = client.get(reverse("training:workshop_detail", args=[workshop.pk])).content.decode()
    assert "Usually two managers and two workers; nominated: 1 managers and 0 workers." in page
    # not for an enterprise outside the workshop or outside the contact's scope
    other = reverse("training:participant_new", args=[workshop.pk, other_enterprise.pk])
    assert client.post(other, data).status_code == 404
    assert persona_client("other_contact").get(url).status_code == 404


@pytest.mark.django_db
def test_feeds_hold_the_persons_sessions_only(persona_client, sessions, consultant, contact):
    feeds = {}
    for persona, user in (("consultant", consultant), ("contact", contact)):
        client = persona_client(persona)
        page = client.get(reverse("training:calendar_feed")).content.decode()
        token = CalendarFeed.objects.get(user=user).token
        assert f"/feeds/{token}.ics" in page
        client.logout()
        response = client.get(f"/feeds/{token}.ics")
        assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
        feeds[persona] = response.content.decode()
    assert feeds["consultant"].startswith("BEGIN:VCALENDAR\r\n")
    assert feeds["consultant"].count("BEGIN:VEVENT") == 5  # group Indus (2 days) and the batch (3 days)
    assert feeds["contact"].count("BEGIN:VEVENT") == 2
    assert "Group Ravi" not in feeds["consultant"] + feeds["contact"]
    assert "DTSTART:20270104T040000Z" in feeds["contact"]  # 09:00 in Karachi


@pytest.mark.django_db
def test_an_unknown_or_reset_token_is_404(client, consultant):
    assert client.get("/feeds/not-a-token.ics").status_code == 404
    client.force_login(consultant)
    client.get(reverse("training:calendar_feed"))
    old = CalendarFeed.objects.get(user=consultant).token
    client.post(reverse("training:calendar_feed"))
    new = CalendarFeed.objects.get(user=consultant).token
    client.logout()
    assert old != new
    assert client.get(f"/feeds/{old}.ics").status_code == 404
    assert client.get(f"/feeds/{new}.ics").status_code == 200
    consultant.is_active = False
    consultant.save()
    assert client.get(f"/feeds/{new}.ics").status_code == 404


def test_ical_escapes_and_folds():
    start = datetime.datetime(2027, 1, 4, 4, tzinfo=datetime.UTC)
    event = ical.Event(
        uid="s-1@x", start=start, end=start, summary="Module 2; day 1, Lahore\\Faisalabad", description="ä" * 60
    )
    text = ical.calendar([event], name="SCORE", stamp=start)
    assert "SUMMARY:Module 2\\; day 1\\, Lahore\\\\Faisalabad\r\n" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    unfolded = text.replace("\r\n ", "")
    assert "DESCRIPTION:" + "ä" * 60 in unfolded


@pytest.mark.django_db
def test_the_month_view_has_a_bounded_number_of_queries(
    client, officer, enterprise, other_enterprise, django_assert_max_num_queries
):
    group = make_group(enterprise, name="G1")
    make_workshop(group, 2, MONDAY)
    client.force_login(officer)
    url = reverse("training:calendar") + MONTH
    client.get(url)
    with django_assert_max_num_queries(10) as few:
        assert client.get(url).status_code == 200
    other = make_group(other_enterprise, name="G2")
    for number, offset in ((3, 7), (4, 14), (5, 21)):
        make_workshop(other, number, MONDAY + datetime.timedelta(days=offset))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("G2") >= 6


@pytest.mark.django_db
def test_a_consultants_list_view_has_a_bounded_number_of_queries(
    client, consultant, enterprise, django_assert_max_num_queries
):
    group = make_group(enterprise, name="G1", trainer=consultant)
    for number, offset in ((2, 0), (3, 60), (4, 120), (5, 180)):
        make_workshop(group, number, timezone.localdate() + datetime.timedelta(days=offset + 1), consultant)
    client.force_login(consultant)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("training:calendar") + "?view=list").content.decode()
    assert page.count("G1") == 8
