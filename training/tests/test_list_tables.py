"""The visit and agreed-action lists as tables: 50 rows a page, sortable, and a number of queries
that does not grow with the rows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from .factories import make_action, make_visit

pytestmark = pytest.mark.django_db


def rows(response):
    return [row.record for row in response.context["table"].page.object_list]


@pytest.mark.parametrize("how_many", [3, 60])
def test_visit_and_action_lists_stay_bounded_at_fifty_rows(
    client, consultant, officer, enterprise, django_assert_max_num_queries, how_many
):
    today = timezone.localdate()
    for day in range(how_many):
        visit = make_visit(enterprise, consultant, date=today - datetime.timedelta(days=day))
        make_action(visit, due_on=today - datetime.timedelta(days=day + 1))
    for user in (consultant, officer):
        client.force_login(user)
        for name in ("training:visit_list", "training:action_list"):
            with django_assert_max_num_queries(10):
                response = client.get(reverse(name))
            assert len(rows(response)) == min(how_many, 50), name


def test_the_visit_list_sorts_by_a_header(client, consultant, enterprise):
    today = timezone.localdate()
    for day in (3, 1, 2):
        make_visit(enterprise, consultant, date=today - datetime.timedelta(days=day))
    client.force_login(consultant)
    newest_first = [v.date for v in rows(client.get(reverse("training:visit_list")))]
    assert newest_first == sorted(newest_first, reverse=True)
    oldest_first = [v.date for v in rows(client.get(reverse("training:visit_list"), {"sort": "date"}))]
    assert oldest_first == sorted(oldest_first)


def test_overdue_actions_are_marked(client, consultant, enterprise):
    visit = make_visit(enterprise, consultant)
    make_action(visit, due_on=timezone.localdate() - datetime.timedelta(days=2), what="Clear the fire exits")
    client.force_login(consultant)
    html = client.get(reverse("training:action_list"), {"overdue": "1"}).content.decode()
    assert "Clear the fire exits" in html and "text-bg-danger" in html


def test_the_visit_list_counts_each_shown_visits_actions(client, consultant, enterprise, django_assert_max_num_queries):
    """The counts are read for the page's visits alone (one grouped query), and each row shows its own."""
    from training.models import ActionStatus

    today = timezone.localdate()
    busy = make_visit(enterprise, consultant, date=today - datetime.timedelta(days=1))
    for status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE):
        make_action(busy, status=status)
    quiet = make_visit(enterprise, consultant, date=today - datetime.timedelta(days=2))
    for day in range(3, 60):  # a second page, whose actions are not counted
        make_action(make_visit(enterprise, consultant, date=today - datetime.timedelta(days=day)))
    client.force_login(consultant)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("training:visit_list"))
    shown = {visit.pk: visit for visit in rows(response)}
    assert (shown[busy.pk].action_count, shown[busy.pk].open_action_count) == (3, 2)
    assert (shown[quiet.pk].action_count, shown[quiet.pk].open_action_count) == (0, 0)
    html = response.content.decode()
    assert "3 actions (2 open)" in html and "0 actions" in html
