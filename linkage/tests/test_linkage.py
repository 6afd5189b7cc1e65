"""Buyer linkage: the register, linkages and events on a programme page with a fixed number of
queries, and the buyer view behind a secret link that works only with consent, until it expires or
is revoked, every opening logged."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from baseline.tests.factories import measured
from enterprises import consent
from enterprises.tests.factories import make_enterprise
from linkage import services
from linkage.models import BuyerViewOpening, EventKind, Linkage
from reporting.services import save_business_case

pytestmark = pytest.mark.django_db


def _consent(enterprise, officer, **kwargs):
    args = {
        "global_database": False,
        "buyer_view": True,
        "given_by": "Mr Khan, CEO",
        "given_on": datetime.date(2019, 3, 1),
    }
    args.update(kwargs)
    return consent.record_consent(enterprise, by=officer, **args)


@pytest.fixture
def buyer(officer):
    return services.register_buyer(
        by=officer, brand="Nordic Threads", country="Sweden", contact_name="Anna Berg", contact_email="anna@example.org"
    )


@pytest.fixture
def linkage(enterprise, buyer, officer):
    measured(
        enterprise,
        {"defective_units": 60, "units_checked": 1000},
        {"defective_units": 30, "units_checked": 1000},
        by=officer,
    )
    save_business_case(enterprise, by=officer, title="Fewer defects, more orders", results="Rework halved.")
    return services.link_enterprise(enterprise, buyer, by=officer, since=datetime.date(2017, 1, 1))


def _view(client, link):
    return client.get(reverse("buyer_view:view", args=[link.token]), HTTP_USER_AGENT="BuyerBrowser/1.0")


def test_a_link_needs_the_enterprise_s_consent(linkage, officer):
    with pytest.raises(ValidationError):
        services.share_view(linkage, by=officer, days=30)
    _consent(linkage.enterprise, officer, buyer_view=False)
    with pytest.raises(ValidationError):
        services.share_view(linkage, by=officer, days=30)


def test_the_buyer_sees_progress_without_raw_figures_unless_the_consent_allows_them(client, linkage, officer):
    _consent(linkage.enterprise, officer)
    link = services.share_view(linkage, by=officer, days=30)
    page = _view(client, link).content.decode()
    assert "Indus Knitwear" in page and "Fewer defects, more orders" in page
    assert "-50.0%" in page  # the defect rate's relative change
    assert "Baseline" not in page  # no column of raw figures
    _consent(linkage.enterprise, officer, buyer_raw_figures=True)
    page = _view(client, link).content.decode()
    assert "Baseline" in page and ">6<" in page.replace(" ", "")


def test_every_opening_is_logged(client, linkage, officer):
    _consent(linkage.enterprise, officer)
    link = services.share_view(linkage, by=officer, days=30)
    assert _view(client, link).status_code == 200
    assert _view(client, link).status_code == 200
    openings = list(BuyerViewOpening.objects.filter(link=link))
    assert len(openings) == 2 and all(o.shown and o.user_agent == "BuyerBrowser/1.0" for o in openings)
    assert openings[0].address == "127.0.0.1"


def test_an_expired_link_is_404_and_the_attempt_logged(client, linkage, officer):
    _consent(linkage.enterprise, officer)
    link = services.share_view(linkage, by=officer, days=1, now=timezone.now() - datetime.timedelta(days=2))
    assert _view(client, link).status_code == 404
    assert BuyerViewOpening.objects.get(link=link).shown is False


def test_a_revoked_link_is_404(client, linkage, officer):
    _consent(linkage.enterprise, officer)
    link = services.share_view(linkage, by=officer, days=30)
    assert _view(client, link).status_code == 200
    client.force_login(officer)
    client.post(reverse("linkage:revoke", args=[link.pk]))
    client.logout()
    assert _view(client, link).status_code == 404
    assert list(BuyerViewOpening.objects.filter(link=link).values_list("shown", flat=True)) == [False, True]


def test_a_withdrawn_consent_closes_the_links(client, linkage, officer):
    _consent(linkage.enterprise, officer)
    link = services.share_view(linkage, by=officer, days=30)
    _consent(linkage.enterprise, officer, buyer_view=False)
    assert _view(client, link).status_code == 404


def test_an_unknown_link_is_404(client):
    assert client.get(reverse("buyer_view:view", args=["no-such-token"])).status_code == 404


def test_officers_record_consent_links_and_events_on_the_enterprise_page(client, officer, enterprise, buyer):
    client.force_login(officer)
    url = reverse("linkage:enterprise", args=[enterprise.pk])
    client.post(
        url,
        {
            "action": "consent",
            "consent-buyer_view": "on",
            "consent-given_by": "Ms Ali, director",
            "consent-given_on": "2019-03-01",
        },
    )
    assert enterprise.sharing_consent.buyer_view and enterprise.sharing_consent.recorded_by == officer
    client.post(
        url,
        {
            "action": "consent",
            "consent-buyer_raw_figures": "on",  # without the buyer view it means nothing: dropped
            "consent-given_by": "Ms Ali, director",
            "consent-given_on": "2019-04-01",
        },
    )
    enterprise.sharing_consent.refresh_from_db()
    assert not enterprise.sharing_consent.buyer_view and not enterprise.sharing_consent.buyer_raw_figures
    page = client.get(url).content.decode()
    assert "Earlier answers" in page and "buyer view yes" in page and "buyer view no" in page
    client.post(
        url,
        {
            "action": "consent",
            "consent-buyer_view": "on",
            "consent-given_by": "Ms Ali, director",
            "consent-given_on": "2019-05-01",
        },
    )
    client.post(url, {"action": "link", "link-buyer": buyer.pk})
    linkage = Linkage.objects.get(enterprise=enterprise, buyer=buyer)
    client.post(
        url, {"action": "event", "event-linkage": linkage.pk, "event-kind": "audit", "event-held_on": "2019-05-02"}
    )
    assert linkage.events.get().kind == EventKind.AUDIT
    response = client.post(url, {"action": "share", "share-linkage": linkage.pk, "share-days": "14"})
    shared_url = response.context["shared_url"]
    assert "/buyer-view/" in shared_url
    client.logout()
    assert client.get(shared_url).status_code == 200


def test_the_pages_are_the_officers(persona_client, enterprise):
    for persona in ("consultant", "contact"):
        client = persona_client(persona)
        assert client.get(reverse("linkage:programme")).status_code == 403
        assert client.get(reverse("linkage:enterprise", args=[enterprise.pk])).status_code == 403


def test_the_programme_page_runs_a_fixed_number_of_queries(client, officer, buyer, django_assert_max_num_queries):
    for n in range(6):
        e = make_enterprise(officer, number=f"9300-{n}")
        linkage = services.link_enterprise(e, buyer, by=officer)
        for kind in (EventKind.MEETING, EventKind.ORDER):
            services.record_event(linkage, by=officer, kind=kind, held_on=datetime.date(2019, 6, n + 1))
    client.force_login(officer)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("linkage:programme"))
    assert response.content.decode().count("Nordic Threads") >= 6
    with django_assert_max_num_queries(14):
        assert client.get(reverse("linkage:buyers")).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("linkage:enterprise", args=[e.pk])).status_code == 200
