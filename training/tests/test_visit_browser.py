"""A consultant's visit log in a real browser (Debian's Chromium), under the Content-Security-Policy:
the page's script (training/static/training/visit_form.js) adds action forms, keeps the draft on the
phone and sends it to the server (outbox.js), the bar at the bottom says where the text is, and the
browser reports no policy violation. Work without signal: test_offline_browser.py."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from training.models import VisitDraft
from training.visits import services


def saved_draft(page, visit, **expected):
    """The visit's draft once it holds the expected answers (the outbox sends 1.5 s after typing)."""
    for _attempt in range(100):
        draft = VisitDraft.objects.filter(visit=visit).first()
        if draft and all(draft.data.get(name) == [value] for name, value in expected.items()):
            return draft
        page.wait_for_timeout(150)
    raise AssertionError(f"the draft never held {expected}: {draft and draft.data}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_visit_log_adds_actions_saves_drafts_and_says_when_offline(
    live_server, page, csp_violations, consultant, enterprise
):
    visit, _created = services.start_visit(enterprise, consultant)
    page.set_default_timeout(15_000)

    page.goto(f"{live_server.url}{reverse('login')}?next={reverse('training:visit_edit', args=[visit.pk])}")
    page.get_by_label(re.compile(r"^\s*Username")).fill(consultant.username)
    page.get_by_label(re.compile(r"^\s*Password")).fill("correct-horse-battery")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=re.compile("^Visit log"))).to_be_visible()
    # Bootstrap's dropdown (positioned by Popper through the CSSOM, which the policy allows) still opens.
    page.get_by_role("button", name=re.compile("Imran")).click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.keyboard.press("Escape")

    actions = page.locator("#actions .action-form")
    expect(actions).to_have_count(1)
    page.get_by_role("button", name="Add an action").click()
    expect(actions).to_have_count(2)
    expect(page.locator("[name=actions-TOTAL_FORMS]")).to_have_value("2")
    page.locator("[name=actions-1-what]").fill("Label the fabric racks")

    status = page.locator("#save-status")
    page.get_by_label(re.compile(r"^\s*Findings")).fill("Walkways are marked in the cutting hall.")
    saved_draft(
        page,
        visit,
        **{"findings": "Walkways are marked in the cutting hall.", "actions-1-what": "Label the fabric racks"},
    )
    expect(status).to_contain_text("Saved on the server")
    expect(status).to_have_attribute("data-state", "server")

    page.context.set_offline(True)
    page.get_by_label(re.compile(r"^\s*Findings")).fill("Walkways are marked; exits are clear.")
    expect(status).to_have_text(re.compile(r"Saved on this phone, waiting to send \(1\)"))
    expect(status).to_have_attribute("data-state", "phone")
    page.context.set_offline(False)
    page.get_by_label(re.compile(r"^\s*People met")).fill("HR manager")
    saved_draft(page, visit, people_met="HR manager", findings="Walkways are marked; exits are clear.")
    expect(status).to_contain_text("Saved on the server")
    expect(status).to_have_attribute("data-state", "server")

    assert csp_violations == []
