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
