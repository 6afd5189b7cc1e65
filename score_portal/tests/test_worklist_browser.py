"""The officer's home page in a real browser, on a phone and on a laptop: the worklist fits the width,
the unread count arrives in the top bar, and an item leads to where it is resolved."""

import pytest
from playwright.sync_api import expect

from enterprises.screening.services import submit_expression_of_interest
from enterprises.tests.factories import CallFactory, eoi_data
from score_portal.models import NotificationKind
from score_portal.notifications import notify

PASSWORD = "correct-horse-battery"  # the personas' password (conftest.make_user)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("width", [390, 1366])
def test_the_worklist_fits_the_screen_and_leads_to_the_decision(live_server, page, officer, csp_violations, width):
    call = CallFactory()
    eoi = submit_expression_of_interest(call, eoi_data(registration_number="9900-1", legal_name="Browser Mills"))
    notify(user=officer, kind=NotificationKind.OFFICER_DIGEST, ref="browser", title="Your SCORE worklist")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(officer.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", name="What awaits a decision")).to_be_visible()
    item = page.locator("#work-eois-awaiting-decision")
    expect(item).to_contain_text("Browser Mills")
    expect(page.locator("#unread-count")).to_have_text("1 unread")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    item.get_by_role("link", name=f"{eoi.reference} Browser Mills").click()
    expect(page.get_by_role("heading", name="Decision told to the applicant")).to_be_visible()
    assert csp_violations == []
