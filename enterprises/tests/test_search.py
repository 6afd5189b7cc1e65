"""The top bar's search: enterprises, expressions of interest (reference, registration number) and
people, each within what the searcher may see."""

import pytest
from django.urls import reverse

from enterprises.screening import services as screening_services
from enterprises.tests.factories import CallFactory, eoi_data

pytestmark = pytest.mark.django_db

SEARCH = reverse("enterprises:search")


def found(response):
    results = response.context["results"]
    return {
        "enterprises": {e.legal_name for e in results.enterprises},
        "eois": {e.reference for e in results.eois},
        "people": {p.username for p in results.people},
    }


def test_an_officer_finds_enterprises_eois_by_reference_and_registration_and_people(
    persona_client, enterprise, other_enterprise, consultant
):
    client = persona_client("officer")
    assert found(client.get(SEARCH, {"q": "ravi"}))["enterprises"] == {"Ravi Denim Mills"}
    eoi = enterprise.expression_of_interest
    assert found(client.get(SEARCH, {"q": eoi.reference}))["eois"] == {eoi.reference}
    # "5000 1" finds the registration number "5000-1": separators do not count.
    by_number = found(client.get(SEARCH, {"q": "5000 1"}))
    assert by_number["eois"] == {eoi.reference}
    assert by_number["enterprises"] == {"Indus Knitwear (Pvt) Ltd"}
    assert found(client.get(SEARCH, {"q": "Imran"}))["people"] == {consultant.username}


def test_an_eoi_that_never_became_an_enterprise_is_found_by_officers(officer_client):
    call = CallFactory()
    eoi = screening_services.submit_expression_of_interest(
        call, eoi_data(registration_number="8800-7", legal_name="Lonely Looms", hr_officer="no")
    )
    result = found(officer_client.get(SEARCH, {"q": "8800-7"}))
    assert result["eois"] == {eoi.reference} and result["enterprises"] == set()


@pytest.mark.parametrize("persona", ["consultant", "contact"])
def test_search_respects_access(persona_client, persona, enterprise, other_enterprise):
    client = persona_client(persona)
    # Their own enterprise is found; the other one, though it matches, is not even hinted at.
    assert found(client.get(SEARCH, {"q": "Indus"}))["enterprises"] == {"Indus Knitwear (Pvt) Ltd"}
    response = client.get(SEARCH, {"q": "Ravi"})
    assert found(response) == {"enterprises": set(), "eois": set(), "people": set()}
    assert "Ravi Denim" not in response.content.decode().split('id="main"', 1)[1]
    # Expressions of interest and people are for officers only.
    eoi = other_enterprise.expression_of_interest
    assert found(client.get(SEARCH, {"q": eoi.reference}))["eois"] == set()
    assert found(client.get(SEARCH, {"q": "Bilal"}))["people"] == set()


def test_the_search_box_is_in_the_top_bar(persona_client, enterprise, other_enterprise):
    html = persona_client("consultant").get(reverse("home")).content.decode()
    assert f'action="{SEARCH}"' in html and 'id="topbar-q"' in html


def test_search_needs_a_login(client):
    assert client.get(SEARCH, {"q": "Indus"}).status_code == 302


def test_search_query_count_is_bounded(officer_client, officer, django_assert_max_num_queries):
    from enterprises.tests.factories import make_enterprise

    for n in range(25):
        make_enterprise(officer, number=f"8900-{n}", legal_name=f"Searchable Mills {n}")
    with django_assert_max_num_queries(10):
        response = officer_client.get(SEARCH, {"q": "Searchable"})
    assert len(response.context["results"].enterprises) == 20
