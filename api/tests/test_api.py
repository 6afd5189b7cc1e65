"""The read API: a token per person, revoked → 401; the same scope as the pages (a consultant's token
sees its enterprises only); the programme results hide the same small groups; a fixed number of
queries per list, whatever its length."""

import datetime

import pytest
from django.urls import reverse

from api import services
from api.models import ApiToken
from baseline.tests.factories import measured
from enterprises import consent
from enterprises.tests.factories import CallFactory, make_enterprise

pytestmark = pytest.mark.django_db


def _get(client, secret, url, **params):
    return client.get(url, params, HTTP_AUTHORIZATION=f"Token {secret}")


@pytest.fixture
def tokens(officer, consultant, contact, enterprise, other_enterprise):
    return {
        who: services.create_token(user=user, name="test", by=officer).secret
        for who, user in (("officer", officer), ("consultant", consultant), ("contact", contact))
    }


def test_it_refuses_a_request_without_a_token_or_with_a_wrong_one(client, tokens):
    url = reverse("api:enterprise-list")
    assert client.get(url).status_code == 401
    response = _get(client, "score_not-a-token", url)
    assert response.status_code == 401 and response.headers["WWW-Authenticate"] == "Token"


def test_a_revoked_token_answers_401(client, tokens, officer):
    url = reverse("api:enterprise-list")
    assert _get(client, tokens["consultant"], url).status_code == 200
    token = ApiToken.objects.get(user__username="consultant1")
    services.revoke_token(token, by=officer)
    assert _get(client, tokens["consultant"], url).status_code == 401


def test_a_consultant_s_token_sees_only_the_assigned_enterprises(client, tokens, enterprise, other_enterprise):
    url = reverse("api:enterprise-list")
    officer_sees = {row["id"] for row in _get(client, tokens["officer"], url).json()["results"]}
    consultant_sees = {row["id"] for row in _get(client, tokens["consultant"], url).json()["results"]}
    contact_sees = {row["id"] for row in _get(client, tokens["contact"], url).json()["results"]}
    assert officer_sees == {enterprise.pk, other_enterprise.pk}
    assert consultant_sees == {enterprise.pk} and contact_sees == {enterprise.pk}
    other = reverse("api:enterprise-detail", args=[other_enterprise.pk])
    assert _get(client, tokens["consultant"], other).status_code == 404


def test_indicator_values_follow_the_same_scope(client, tokens, officer, enterprise, other_enterprise):
    for e in (enterprise, other_enterprise):
        measured(
            e,
            {"defective_units": 60, "units_checked": 1000},
            {"defective_units": 30, "units_checked": 1000},
            by=officer,
        )
    url = reverse("api:indicator-value-list")
    seen = {row["enterprise"] for row in _get(client, tokens["consultant"], url).json()["results"]}
    assert seen == {enterprise.pk}
    rows = _get(client, tokens["officer"], url, enterprise=other_enterprise.pk, indicator="defect_rate").json()
    assert {(r["round_kind"], r["value"], r["unit"]) for r in rows["results"]} == {
        ("basic_baseline", "6.00", "%"),
        ("follow_up", "3.00", "%"),
    }


@pytest.mark.parametrize("name", ["api:call-list", "api:eoi-list", "api:programme-results", "api:global-database"])
def test_the_officers_tables_are_refused_to_other_tokens(client, tokens, name):
    assert _get(client, tokens["consultant"], reverse(name)).status_code == 403
    assert _get(client, tokens["contact"], reverse(name)).status_code == 403
    assert _get(client, tokens["officer"], reverse(name)).status_code == 200


def test_nothing_can_be_written(client, tokens, enterprise):
    url = reverse("api:enterprise-detail", args=[enterprise.pk])
    for method in (client.post, client.put, client.patch, client.delete):
        response = method(url, {}, content_type="application/json", HTTP_AUTHORIZATION=f"Token {tokens['officer']}")
        assert response.status_code == 405


def test_programme_results_hide_the_small_groups(client, officer):
    """Call A has 3 enterprises, call B one: B is hidden, and A with it (else total − A gives B back)."""
    secret = services.create_token(user=officer, name="t", by=officer).secret
    call_a, call_b = CallFactory(title="Call A"), CallFactory(title="Call B")
    for n, call in enumerate([call_a, call_a, call_a, call_b]):
        e = make_enterprise(officer, number=f"9100-{n}", call=call)
        measured(
            e,
            {"defective_units": 60 + n, "units_checked": 1000},
            {"defective_units": 30, "units_checked": 1000},
            by=officer,
        )
    rows = _get(client, secret, reverse("api:programme-results"), grouping="call").json()["results"]
    defect = [r for r in rows if r["indicator_code"] == "defect_rate" and r["sex"] == "all"]
    assert {r["group_label"] for r in defect} == {"Call A", "Call B"}
    assert all(r["suppressed"] for r in defect)
    assert all(r["enterprises"] is None and r["improving_pct"] is None for r in defect)
    (total,) = [
        r
        for r in _get(client, secret, reverse("api:programme-results")).json()["results"]
        if r["indicator_code"] == "defect_rate" and r["sex"] == "all"
    ]
    assert total["suppressed"] is False and total["enterprises"] == 4 and total["improving_pct"] == "100.0"


def test_the_global_database_endpoint_lists_only_consenting_enterprises(
    client, tokens, officer, enterprise, other_enterprise
):
    for e in (enterprise, other_enterprise):
        measured(
            e,
            {"defective_units": 60, "units_checked": 1000},
            {"defective_units": 30, "units_checked": 1000},
            by=officer,
        )
    given = {"given_by": "CEO", "given_on": datetime.date(2019, 1, 1), "buyer_view": False}
    shared = consent.record_consent(enterprise, by=officer, global_database=True, **given)
    consent.record_consent(other_enterprise, by=officer, global_database=False, **given)
    body = _get(client, tokens["officer"], reverse("api:global-database")).json()
    assert body["count"] > 0
    assert {r["enterprise_id"] for r in body["results"]} == {shared.pseudonym}
    assert {r["enterprise_name"] for r in body["results"]} == {None}


def test_lists_run_a_fixed_number_of_queries(client, officer, django_assert_max_num_queries):
    secret = services.create_token(user=officer, name="t", by=officer).secret
    for n in range(6):
        e = make_enterprise(officer, number=f"9200-{n}")
        measured(
            e,
            {"defective_units": 60, "units_checked": 1000},
            {"defective_units": 30, "units_checked": 1000},
            by=officer,
        )
        consent.record_consent(
            e, by=officer, global_database=True, buyer_view=False, given_by="CEO", given_on=datetime.date(2019, 1, 1)
        )
    for name in (
        "api:call-list",
        "api:eoi-list",
        "api:enterprise-list",
        "api:indicator-value-list",
        "api:global-database",
        "api:programme-results",
    ):
        # token, role, count, page (and the programme results' own fixed queries)
        with django_assert_max_num_queries(12):
            response = _get(client, secret, reverse(name), page_size=500)
        assert response.status_code == 200


def test_the_schema_is_served(client):
    response = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert "/api/v1/enterprises/" in response.json()["paths"]


def test_officers_make_and_revoke_tokens_on_their_page(client, officer, consultant, django_assert_max_num_queries):
    client.force_login(officer)
    response = client.post(reverse("api:tokens"), {"user": consultant.pk, "name": "dashboard"})
    secret = response.context["made"].secret
    assert secret.startswith("score_") and secret in response.content.decode()
    token = ApiToken.objects.get(user=consultant)
    assert token.key_digest != secret and secret not in str(ApiToken.objects.values())
    for n in range(5):
        services.create_token(user=consultant, name=f"t{n}", by=officer)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("api:tokens"))
    assert secret not in page.content.decode()
    client.post(reverse("api:revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_by == officer
    assert _get(client, secret, reverse("api:enterprise-list")).status_code == 401
    client.force_login(consultant)
    assert client.get(reverse("api:tokens")).status_code == 403
