"""Saved filters of the list pages: named, applied again, each person's own."""

import pytest
from django.urls import reverse

from score_portal.models import SavedFilter

pytestmark = pytest.mark.django_db

LIST = reverse("enterprises:enterprise_list")
SAVE = reverse("saved_filters:save")


def test_an_officer_names_a_filter_and_applies_it_again(officer_client, officer):
    response = officer_client.post(
        SAVE,
        {"list_name": "enterprises", "path": LIST, "query": "stage=shortlisted&q=mills&page=3", "name": "Shortlisted"},
    )
    assert response.status_code == 302 and response.url == f"{LIST}?stage=shortlisted&q=mills"
    (saved,) = SavedFilter.objects.filter(user=officer)
    assert saved.url == f"{LIST}?stage=shortlisted&q=mills"  # the page number is not a filter
    html = officer_client.get(LIST).content.decode()
    menu = html.split('id="saved-filters"', 1)[1].split("</div>\n</div>", 1)[0]
    assert 'href="/enterprises/?stage=shortlisted&amp;q=mills">Shortlisted</a>' in menu

    # Saving again under the same name replaces it.
    officer_client.post(
        SAVE, {"list_name": "enterprises", "path": LIST, "query": "stage=screened", "name": "Shortlisted"}
    )
    assert SavedFilter.objects.get(user=officer).query == "stage=screened"


def test_saved_filters_are_each_persons_own(client, officer, consultant):
    theirs = SavedFilter.objects.create(user=officer, list_name="enterprises", name="Officer's", path=LIST, query="")
    client.force_login(consultant)
    assert "Officer&#x27;s" not in client.get(LIST).content.decode()
    response = client.post(reverse("saved_filters:delete", args=[theirs.pk]))
    assert response.status_code == 404
    assert SavedFilter.objects.filter(pk=theirs.pk).exists()


def test_a_filter_cannot_lead_off_the_portal(officer_client):
    officer_client.post(
        SAVE, {"list_name": "enterprises", "path": "https://evil.example/", "query": "", "name": "Away"}
    )
    officer_client.post(SAVE, {"list_name": "enterprises", "path": "//evil.example/", "query": "", "name": "Away"})
    assert not SavedFilter.objects.exists()


def test_removing_a_saved_filter(officer_client, officer):
    saved = SavedFilter.objects.create(user=officer, list_name="screening", name="Late ones", path="/screening/")
    response = officer_client.post(reverse("saved_filters:delete", args=[saved.pk]), {"next": "/screening/"})
    assert response.url == "/screening/"
    assert not SavedFilter.objects.exists()
