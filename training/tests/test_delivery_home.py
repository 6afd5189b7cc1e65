"""The classroom training overview at national scale: a page of batches and a page of groups."""

import datetime

import pytest
from django.urls import reverse

from enterprises.models import Level1Batch
from enterprises.tests.factories import CallFactory
from training.tests.delivery_factories import MONDAY, make_group


def _programme(batches: int, groups: int, first: int = 0) -> None:
    call = CallFactory()
    Level1Batch.objects.bulk_create(
        Level1Batch(call=call, name=f"Batch {n:03d}", capacity=25) for n in range(first, first + batches)
    )
    for n in range(first, first + groups):
        make_group(name=f"Group {n:03d}", starts_on=MONDAY + datetime.timedelta(days=n))


@pytest.mark.django_db
def test_the_overview_shows_a_page_of_batches_and_of_groups_each_with_its_own_pages(officer_client):
    _programme(batches=23, groups=21)
    url = reverse("training:delivery")
    page = officer_client.get(url).content.decode()
    assert page.count('href="/training/level1/') == 20 and page.count("Batch 0") == 20
    assert page.count("Group 0") == 20
    assert "Group 020" in page and "Group 000" not in page  # the latest group first
    assert "?batches=2" in page and "?groups=2" in page
    # Each list turns its own page; the other stays where it was.
    both = officer_client.get(url, {"batches": 2, "groups": 2}).content.decode()
    assert both.count("Batch 0") == 3 and both.count("Group 0") == 1 and "Group 000" in both
    assert "batches=1&amp;groups=2" in both or "groups=2&amp;batches=1" in both


@pytest.mark.django_db
def test_the_overview_runs_the_same_queries_whatever_the_number_of_batches_and_groups(
    officer_client, django_assert_max_num_queries
):
    _programme(batches=3, groups=2)
    url = reverse("training:delivery")
    officer_client.get(url)
    with django_assert_max_num_queries(12) as few:
        officer_client.get(url)
    _programme(batches=40, groups=30, first=100)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert officer_client.get(url).status_code == 200
