"""The pages that list what grows with the programme show a page of it, at a bounded cost: the same
queries at 30 and at 150 enterprises (seeded in bulk by seed_demo's national-scale path), and never
more rows than a page."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baseline.views import ENTERPRISE_PAGE_SIZE
from enterprises.models import Enterprise, ExpressionOfInterest, Level1Batch
from enterprises.path.views import SHORTLIST_PAGE_SIZE
from reporting.views import PICKER_LIST
from score_portal.management.commands import seed_demo

pytestmark = pytest.mark.django_db


def _grow(enterprises, monkeypatch):
    monkeypatch.setattr(seed_demo, "DETAILED", 5)  # few made one by one (slow), the rest in bulk
    call_command("seed_demo", "--seed", "9", "--enterprises", str(enterprises), stdout=io.StringIO())
    assert Enterprise.objects.count() == enterprises


def _visit(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode(), len(queries)


def _pages(client):
    batch = Level1Batch.objects.order_by("pk").first()
    shortlist, q1 = _visit(client, reverse("enterprises:batch_shortlist", args=[batch.pk]))
    indicators, q2 = _visit(client, reverse("baseline:enterprise_list"))
    reports, q3 = _visit(client, reverse("reporting:home"))
    matches, q4 = _visit(client, reverse("reporting:enterprise_pick"), q="a")
    rows = {
        "shortlist": len(re.findall(r'name="picks"', shortlist)),
        "indicators": len(re.findall(r'href="/baseline/enterprises/\d+/"', indicators)),
        "picker options": reports.count("<option"),
        "matches": len(re.findall(r'href="/reports/enterprise/\d+/"', matches)),
    }
    return rows, (q1, q2, q3, q4)


def test_growing_lists_show_one_page_at_the_same_cost(settings, tmp_path, monkeypatch, client):
    settings.MEDIA_ROOT = tmp_path
    _grow(30, monkeypatch)
    client.force_login(get_user_model().objects.get(username="officer"))
    small_rows, small_queries = _pages(client)
    assert 0 < small_rows["shortlist"] < SHORTLIST_PAGE_SIZE and 0 < small_rows["indicators"] < ENTERPRISE_PAGE_SIZE

    _grow(150, monkeypatch)
    client.force_login(get_user_model().objects.get(username="officer"))  # seed_demo set the password again
    rows, queries = _pages(client)
    assert rows["shortlist"] == SHORTLIST_PAGE_SIZE
    assert rows["indicators"] == ENTERPRISE_PAGE_SIZE
    assert rows["matches"] == PICKER_LIST
    # no select with an option per enterprise on the reports page (calls and formats only)
    assert rows["picker options"] == small_rows["picker options"]
    assert queries == small_queries
    assert max(queries) <= 15

    # The consultant's "not visited for 30 days" count asks NOT EXISTS, and finds the same enterprises.
    from training.visits import selectors as visit_selectors

    for username in ("consultant", "consultant01"):
        consultant = get_user_model().objects.get(username=username)
        cheap = set(visit_selectors.enterprises_not_visited(consultant))
        assert cheap == set(visit_selectors.training_enterprises(consultant, not_visited=True))


def test_the_shortlisting_search_and_second_page(settings, tmp_path, monkeypatch, client):
    settings.MEDIA_ROOT = tmp_path
    _grow(150, monkeypatch)
    client.force_login(get_user_model().objects.get(username="officer"))
    url = reverse("enterprises:batch_shortlist", args=[Level1Batch.objects.order_by("pk").first().pk])
    first, _q = _visit(client, url)
    second, _q = _visit(client, url, page=2)
    ids = set(re.findall(r'name="picks" value="(\d+)"', first))
    assert ids and ids.isdisjoint(re.findall(r'name="picks" value="(\d+)"', second))
    found, _q = _visit(client, url, q="Karachi")
    labels = re.findall(r'<label for="pick-\d+">([^<]+)</label>', found)
    assert labels
    # every match is in Karachi, by its EOI
    picks = re.findall(r'name="picks" value="(\d+)"', found)
    assert set(ExpressionOfInterest.objects.filter(pk__in=picks).values_list("city", flat=True)) == {"Karachi"}
