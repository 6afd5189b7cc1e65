"""In a real browser (Debian's Chromium): the API's Swagger UI (from drf-spectacular-sidecar, no CDN)
and the buyer view render with no Content-Security-Policy violation."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from baseline.tests.factories import measured
from enterprises import consent
from linkage import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, user, next_url):
    page.goto(f"{live_server.url}{reverse('login')}?next={next_url}")
    page.get_by_label(re.compile(r"^\s*Username")).fill(user.username)
    page.get_by_label(re.compile(r"^\s*Password")).fill("correct-horse-battery")
    page.get_by_role("button", name="Log in").click()


def test_the_swagger_ui_runs_under_the_csp(live_server, page, csp_violations, officer):
    page.set_default_timeout(15_000)
    _log_in(page, live_server, officer, reverse("api:docs"))
    expect(page.locator(".opblock", has_text="/api/v1/enterprises/").first).to_be_visible()
    assert csp_violations == []
    page.close()


def test_the_buyer_view_runs_under_the_csp_on_a_phone(live_server, page, csp_violations, officer, enterprise):
    measured(
        enterprise,
        {"defective_units": 60, "units_checked": 1000},
        {"defective_units": 30, "units_checked": 1000},
        by=officer,
    )
    consent.record_consent(
        enterprise,
        by=officer,
        global_database=False,
        buyer_view=True,
        given_by="CEO",
        given_on=datetime.date(2019, 1, 1),
    )
    buyer = services.register_buyer(
        by=officer, brand="Nordic Threads", country="Sweden", contact_name="Anna", contact_email="a@example.org"
    )
    link = services.share_view(services.link_enterprise(enterprise, buyer, by=officer), by=officer, days=7)
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{live_server.url}{reverse('buyer_view:view', args=[link.token])}")
    expect(page.get_by_role("heading", name="Indus Knitwear (Pvt) Ltd")).to_be_visible()
    expect(page.get_by_text("Shared by the ILO SCORE programme with Nordic Threads")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert csp_violations == []
    page.close()
