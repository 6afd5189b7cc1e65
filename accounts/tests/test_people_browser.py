"""The officer's new pages in a real browser, on a phone and a laptop: enrolling the second factor
(the QR code drawn by the server), People, a person's page, the invitation form and the activity log.
None overflows sideways at 390 px and the browser reports no Content-Security-Policy violation.
Screenshots go to $SHOTS_DIR when it is set."""

import base64
import os
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django_otp.oath import totp
from playwright.sync_api import expect

from enterprises.models import Stage
from enterprises.path import services as path_services

PAGES = [
    ("people", "accounts:people", "People"),
    ("person", "accounts:person_detail", re.compile(r"^Imran")),
    ("invite", "accounts:invite", "Invite someone to the portal"),
    ("activity", "activity:log", "Activity"),
]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("width", [390, 1366])
def test_the_people_pages_read_on_a_phone_and_a_laptop(
    live_server, page, csp_violations, settings, officer, consultant, enterprise, width
):
    settings.OFFICER_TWO_FACTOR_REQUIRED = True
    path_services.transition(enterprise, Stage.WITHDRAWN, by=officer, reason="The CEO cannot attend this year")
    shots = Path(os.environ["SHOTS_DIR"]) if os.environ.get("SHOTS_DIR") else None
    page.set_default_timeout(15_000)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}{reverse('login')}")
    page.get_by_label(re.compile(r"^\s*Username")).fill(officer.username)
    page.get_by_label(re.compile(r"^\s*Password")).fill("correct-horse-battery")
    page.get_by_role("button", name="Log in").click()

    # An officer is sent to enrol first.
    expect(page.get_by_role("heading", name="Two-factor authentication")).to_be_visible()
    qr = page.locator(".qr-code svg")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box["width"] >= 120 and box["x"] + box["width"] <= width
    if shots:
        page.screenshot(path=str(shots / f"enrol-{width}.png"), full_page=True)
    secret = page.locator("code.user-select-all").inner_text().strip()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Code from your authenticator app").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_text("Two-factor authentication is on")).to_be_visible()

    for name, url_name, heading in PAGES:
        args = [consultant.pk] if name == "person" else []
        page.goto(live_server.url + reverse(url_name, args=args))
        expect(page.get_by_role("heading", name=heading, exact=isinstance(heading, str)).first).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} is {overflow} px too wide at {width} px"
        if shots:
            page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)
    # The activity log's last columns (what, why) are on the screen, not hidden to the right of a phone's.
    why = page.get_by_text("The CEO cannot attend this year")
    expect(why).to_be_visible()
    box = why.bounding_box()
    assert box["x"] + box["width"] <= width
    assert csp_violations == []
