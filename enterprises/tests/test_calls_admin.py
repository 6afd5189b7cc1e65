"""Officer management of calls, and the officer-only rule on every officer page."""

import datetime

import pytest
from django.urls import reverse

from enterprises.models import Call, ExpressionOfInterest, Screening
from enterprises.screening import services

from .factories import CallFactory, eoi_data

pytestmark = pytest.mark.django_db


def call_post(**overrides):
    data = {
        "title": "Pakistan SCORE Programme 2026",
        "country": "pk",
        "description": "Second call.",
        "sub_sectors": ["rmg_woven", "dyeing_woven"],
        "opens_on": "2026-03-01",
        "closes_on": "2026-04-30",
        "contact_name": "Sadia Hameed",
        "contact_email": "hameeds@ilo.org",
        "contact_phone": "0300-8486929",
        "first_batch_capacity": "25",
        "min_workforce": "250",
        "min_permanent_share": "30",
    }
    data.update(overrides)
    return data


def test_call_list_shows_calls_with_counts(officer_client):
    call = CallFactory(title="The 2018 call")
    services.submit_expression_of_interest(call, eoi_data())
    response = officer_client.get(reverse("enterprises:call_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The 2018 call" in html
    assert reverse("enterprises:call_edit", args=[call.pk]) in html
    assert reverse("enterprises:eoi_create", args=[call.pk]) in html
    listed = response.context["calls"][0]
    assert (listed.eoi_count, listed.eligible_count, listed.ineligible_count) == (1, 1, 0)


def test_create_a_call(officer_client):
    response = officer_client.get(reverse("enterprises:call_create"))
    assert response.status_code == 200
    assert 'type="checkbox"' in response.content.decode()
    response = officer_client.post(reverse("enterprises:call_create"), call_post())
    assert response.status_code == 302
    call = Call.objects.get(title="Pakistan SCORE Programme 2026")
    assert call.country == "PK"
    assert call.sub_sectors == ["rmg_woven", "dyeing_woven"]
    assert call.closes_on == datetime.date(2026, 4, 30)
    assert call.min_workforce == 250
    assert call.min_permanent_share == 30
    assert call.first_batch_capacity == 25


def test_a_call_cannot_close_before_it_opens(officer_client):
    response = officer_client.post(
        reverse("enterprises:call_create"), call_post(opens_on="2026-05-01", closes_on="2026-04-30")
    )
    assert response.status_code == 200
    assert "closes_on" in response.context["form"].errors
    assert "cannot close before it opens" in response.content.decode()
    assert not Call.objects.exists()


@pytest.mark.parametrize("share", ["-1", "100.5"])
def test_permanent_share_is_a_percentage(officer_client, share):
    response = officer_client.post(reverse("enterprises:call_create"), call_post(min_permanent_share=share))
    assert "min_permanent_share" in response.context["form"].errors
    assert not Call.objects.exists()


def test_a_call_needs_a_sub_sector(officer_client):
    data = call_post()
    del data["sub_sectors"]
    response = officer_client.post(reverse("enterprises:call_create"), data)
    assert "sub_sectors" in response.context["form"].errors


def test_edit_thresholds_does_not_rescreen(officer_client):
    call = CallFactory()
    eoi = services.submit_expression_of_interest(call, eoi_data())
    url = reverse("enterprises:call_edit", args=[call.pk])
    page = officer_client.get(url)
    assert "does not re-screen" in page.content.decode()
    assert page.context["form"].initial["sub_sectors"] == call.sub_sectors
    response = officer_client.post(
        url,
        call_post(
            title=call.title,
            opens_on=call.opens_on.isoformat(),
            closes_on=call.closes_on.isoformat(),
            min_workforce="1000",
            sub_sectors=["rmg_knitwear"],
        ),
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.min_workforce == 1000
    eoi.refresh_from_db()
    assert eoi.result == "eligible"
    assert Screening.objects.filter(expression_of_interest=eoi).count() == 1
    assert eoi.current_screening.thresholds["min_workforce"] == 300


# ---------------------------------------------------------------- officers only
def officer_pages():
    """Every officer page and action, with the method it answers to."""
    call = CallFactory()
    eoi = services.submit_expression_of_interest(call, eoi_data())
    return [
        ("get", reverse("enterprises:call_list")),
        ("get", reverse("enterprises:call_create")),
        ("post", reverse("enterprises:call_create")),
        ("get", reverse("enterprises:call_edit", args=[call.pk])),
        ("post", reverse("enterprises:call_edit", args=[call.pk])),
        ("get", reverse("enterprises:screening_queue")),
        ("get", reverse("enterprises:screening_queue") + "?format=csv"),
        ("get", reverse("enterprises:screening_queue") + "?format=xlsx"),
        ("get", reverse("enterprises:eoi_detail", args=[eoi.pk])),
        ("post", reverse("enterprises:eoi_override", args=[eoi.pk])),
        ("post", reverse("enterprises:eoi_rescreen", args=[eoi.pk])),
        ("get", reverse("enterprises:eoi_create", args=[call.pk])),
        ("post", reverse("enterprises:eoi_create", args=[call.pk])),
    ]


@pytest.mark.parametrize("persona", ["consultant", "contact"])
def test_non_officers_get_403_everywhere(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    for method, url in officer_pages():
        response = getattr(client, method)(url, {"outcome": "eligible", "justification": "x", "reason": "x"})
        assert response.status_code == 403, f"{method.upper()} {url} answered {response.status_code}"
    assert not ExpressionOfInterest.objects.filter(result_overridden=True).exists()


def test_a_user_without_a_role_gets_403(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody", password="pw-long-enough-1"))
    assert client.get(reverse("enterprises:screening_queue")).status_code == 403


def test_anonymous_is_sent_to_login(client):
    for method, url in officer_pages():
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "login" in response["Location"], url


def test_superuser_acts_as_officer(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "pw-long-enough-1"))
    assert client.get(reverse("enterprises:call_list")).status_code == 200
