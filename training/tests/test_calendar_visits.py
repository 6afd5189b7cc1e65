"""Visits on the calendar, beside the classroom sessions: logged and planned visits in the month and list
views and in the .ics feed, for the consultant and for officers; today is marked."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from training.models import CalendarFeed, VisitStatus

from .factories import make_visit


def month_of(day: datetime.date) -> str:
    return reverse("training:calendar") + f"?view=month&month={day:%Y-%m}"


@pytest.fixture
def visits(enterprise, other_enterprise, consultant, other_consultant):
    today = timezone.localdate()
    held = make_visit(enterprise, consultant, date=today, next_visit_on=today + datetime.timedelta(days=3))
    other = make_visit(other_enterprise, other_consultant, date=today)
    return held, other


@pytest.mark.django_db
def test_the_consultant_sees_the_visit_and_the_planned_next_visit_in_the_month(client, consultant, visits):
    held, other = visits
    client.force_login(consultant)
    today = timezone.localdate()
    planned_day = today + datetime.timedelta(days=3)
    pages = [client.get(month_of(today)).content.decode()]
    if planned_day.month != today.month:
        pages.append(client.get(month_of(planned_day)).content.decode())
    page = "".join(pages)
    assert f"Visit: {held.enterprise.legal_name}" in page
    assert f"Planned visit: {held.enterprise.legal_name}" in page
    assert other.enterprise.legal_name not in page  # another consultant's enterprise
    assert 'aria-current="date"' in pages[0] and "Today" in pages[0]


@pytest.mark.django_db
def test_officers_see_every_consultants_visits_and_contacts_none(client, officer, contact, visits):
    held, other = visits
    client.force_login(officer)
    page = client.get(month_of(timezone.localdate())).content.decode()
    assert f"Visit: {held.enterprise.legal_name}" in page and f"Visit: {other.enterprise.legal_name}" in page
    client.force_login(contact)
    page = client.get(month_of(timezone.localdate())).content.decode()
    assert "Visit: " not in page


@pytest.mark.django_db
def test_a_planned_visit_that_was_logged_since_shows_once(client, consultant, enterprise, visits):
    held, _other = visits
    make_visit(enterprise, consultant, date=held.next_visit_on, status=VisitStatus.DRAFT)
    client.force_login(consultant)
    page = "".join(client.get(month_of(day)).content.decode() for day in {held.date, held.next_visit_on})
    assert "Planned visit:" not in page
    assert page.count(f"Visit: {enterprise.legal_name}") >= 2


@pytest.mark.django_db
def test_the_list_view_shows_recent_visits(client, consultant, enterprise):
    past = make_visit(enterprise, consultant, date=timezone.localdate() - datetime.timedelta(days=5))
    client.force_login(consultant)
    page = client.get(reverse("training:calendar") + "?view=list").content.decode()
    assert "Visits of the last 30 days" in page
    assert reverse("training:visit_detail", args=[past.pk]) in page


@pytest.mark.django_db
def test_the_feed_holds_visits_with_their_times_and_planned_ones_as_whole_days(client, consultant, visits):
    held, other = visits
    feed = CalendarFeed.objects.create(user=consultant)
    body = client.get(f"/feeds/{feed.token}.ics").content.decode()
    assert f"UID:visit-{held.pk}@score-portal" in body
    start = datetime.datetime.combine(held.date, datetime.time(9, 30), tzinfo=timezone.get_current_timezone())
    assert f"DTSTART:{start.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}" in body
    assert f"DTSTART;VALUE=DATE:{held.next_visit_on:%Y%m%d}" in body
    assert f"visit-{other.pk}@" not in body


@pytest.mark.django_db
def test_the_month_view_with_visits_has_a_bounded_number_of_queries(
    client, officer, enterprise, other_enterprise, consultant, other_consultant, django_assert_max_num_queries
):
    today = timezone.localdate()
    make_visit(enterprise, consultant, date=today)
    client.force_login(officer)
    client.get(month_of(today))
    with django_assert_max_num_queries(12) as few:
        assert client.get(month_of(today)).status_code == 200
    for days in range(6):
        make_visit(other_enterprise, other_consultant, date=today.replace(day=1) + datetime.timedelta(days=days))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(month_of(today)).content.decode()
    assert page.count(f"Visit: {other_enterprise.legal_name}") >= 6
