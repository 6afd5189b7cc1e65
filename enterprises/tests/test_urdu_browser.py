"""The public pages in a real browser (Debian's Chromium), in English and in Urdu: axe-core finds no serious
or critical accessibility problem, nothing scrolls sideways on a phone, and a person applies in Urdu from the
calls page to the status link with every message in Urdu.

axe-core comes from the pinned test package axe-playwright-python (its bundled axe.min.js), injected by the
test into the page (score_portal/tests/browser.py): nothing is fetched from a network and the portal never serves it.
"""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from enterprises.models import ExpressionOfInterest
from enterprises.tests.factories import CallFactory
from score_portal.tests.browser import DESKTOP, PHONE, axe_problems, scrolls_sideways

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose_language(page, code: str):
    page.select_option("#language-select", code)  # the switcher sends its form on change
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", code)


# A complete, eligible expression of interest, by the fields' names (the labels change with the language).
ANSWERS = {
    "enterprise": {
        "legal_name": "Indus Knitwear (Pvt) Ltd",
        "registration_number": "1234567-8",
        "address": "Plot 12, Sundar Industrial Estate",
        "city": "Lahore",
        "province": ("select", "punjab"),
        "year_established": "1998",
        "products": "Knitted T-shirts",
        "export_markets": "EU, UK",
        "main_buyers": "Two European retailers",
        "sub_sector": ("select", "rmg_knitwear"),
    },
    "workforce": {
        "workforce_total": "620",
        "workforce_permanent": "410",
        "workforce_contract": "210",
        "workforce_women": "250",
        "workforce_men": "370",
        "workforce_managers": "45",
        "workforce_workers": "575",
    },
    "commitment": {
        "hr_officer": ("radio", "in_place"),
        "compliance_officer": ("radio", "willing"),
        "industrial_engineer": ("radio", "in_place"),
        "ceo_available": ("radio", "True"),
        "shares_order_status": ("radio", "True"),
        "shares_baseline_data": ("radio", "True"),
    },
    "contact": {
        "contact_name": "Ayesha Malik",
        "contact_position": "General Manager",
        "contact_email": "ayesha@indusknit.example.pk",
        "contact_phone": "0300-8486929",
        "consent": ("check", "on"),
    },
}


def fill_step(page, step: str):
    for name, value in ANSWERS[step].items():
        selector = f"[name='{step}-{name}']"
        if isinstance(value, tuple):
            how, value = value
            if how == "select":
                page.select_option(selector, value)
            elif how == "radio":
                page.check(f"{selector}[value='{value}']")
            else:
                page.check(selector)
        else:
            page.fill(selector, value)


def step_of(number: int):
    # "Step n of 4" in Urdu; the numbers sit in Unicode isolates (U+2068 … U+2069) that keep them left to right.
    return re.compile(f"مرحلہ \u2068?{number}\u2069? از \u2068?4")


def next_button(page):
    return page.locator("form button[type=submit]:not([name])")


@pytest.fixture
def shot(tmp_path):
    """Screenshots to look at, in $SCORE_SCREENSHOTS (as the other browser tests) or the test's own folder."""
    folder = Path(os.environ.get("SCORE_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name: str):
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def call(db):
    return CallFactory(
        title="Pakistan SCORE Programme 2026",
        closes_on=datetime.date.today() + datetime.timedelta(days=30),
    )


def test_an_enterprise_applies_in_urdu_on_a_phone(live_server, page, call, csp_violations, shot):
    page.set_default_timeout(15_000)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/calls/")
    choose_language(page, "ur")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("اظہارِ دلچسپی کی کھلی دعوتیں")
    shot(page, "ur-390-calls")
    page.get_by_role("link", name="درخواست دیں").click()

    # The first step sent empty: a summary of the mistakes, focused, with a link to each field.
    expect(page.get_by_text(step_of(1))).to_be_visible()
    next_button(page).click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("براہِ کرم یہ جوابات درست کریں")
    links = summary.locator("a")
    assert links.count() >= 8
    shot(page, "ur-390-step1-errors")
    links.first.click()
    expect(page.locator("[name='enterprise-legal_name']")).to_be_focused()
    assert not scrolls_sideways(page)
    fill_step(page, "enterprise")
    next_button(page).click()

    expect(page.get_by_text(step_of(2))).to_be_visible()
    fill_step(page, "workforce")
    next_button(page).click()

    # Radio groups left blank: every group's message is visible beside it, in Urdu.
    expect(page.get_by_text(step_of(3))).to_be_visible()
    next_button(page).click()
    expect(page.locator("#error-summary")).to_be_focused()
    message = page.locator("#error_1_id_commitment-ceo_available")
    expect(message).to_be_visible()
    expect(message).to_have_text("براہِ کرم ہاں یا نہیں میں جواب دیں۔")
    expect(page.locator("#error_1_id_commitment-hr_officer")).to_be_visible()
    shot(page, "ur-390-step3-errors")
    page.locator("#error-summary a[href='#id_commitment-ceo_available_0']").click()
    expect(page.locator("#id_commitment-ceo_available_0")).to_be_focused()
    assert not scrolls_sideways(page)
    fill_step(page, "commitment")
    next_button(page).click()

    expect(page.get_by_text(step_of(4))).to_be_visible()
    fill_step(page, "contact")
    shot(page, "ur-390-step4")
    next_button(page).click()

    # The review, in Urdu and right to left, fits the phone; a change returns to it; its button sends.
    expect(page.get_by_role("heading", level=1)).to_have_text("اپنے جوابات کا جائزہ لیں")
    assert ExpressionOfInterest.objects.count() == 0
    assert not scrolls_sideways(page)
    shot(page, "ur-390-review")
    page.locator("a.review-change[href$='?step=workforce']").click()
    expect(page.get_by_text(step_of(2))).to_be_visible()
    next_button(page).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("اپنے جوابات کا جائزہ لیں")
    send = page.get_by_role("button", name="میرا اظہارِ دلچسپی بھیجیں")
    send.focus()
    expect(send).to_be_focused()  # reachable from the keyboard
    send.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("شکریہ: ہمیں آپ کا اظہارِ دلچسپی موصول ہو گیا ہے")
    eoi = ExpressionOfInterest.objects.get()
    assert eoi.language == "ur"
    expect(page.locator("#eoi-reference")).to_have_text(eoi.reference)
    expect(page.locator("#eoi-reference")).to_have_css("direction", "ltr")
    assert not scrolls_sideways(page)
    shot(page, "ur-390-done")
    page.locator("#status-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("آپ کے اظہارِ دلچسپی کی صورتِ حال")
    expect(page.locator("#eoi-status")).to_have_text("آئی ایل او کے زیرِ غور")
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert '"Noto Nastaliq Urdu"' in font
    assert page.evaluate("document.fonts.check('16px \"Noto Nastaliq Urdu\"', 'اردو')")
    shot(page, "ur-390-status")
    assert csp_violations == []


@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_public_pages_have_no_serious_accessibility_problem(live_server, page, call, language, shot):
    page.set_default_timeout(15_000)
    problems = []
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/calls/")
    if language != settings.LANGUAGE_CODE:
        choose_language(page, language)
    problems += axe_problems(page)
    page.goto(f"{live_server.url}/apply/{call.pk}/")
    for step in ANSWERS:
        problems += axe_problems(page)
        next_button(page).click()  # the step sent empty: its mistakes shown
        expect(page.locator("#error-summary")).to_be_focused()
        problems += axe_problems(page)
        if step in ("enterprise", "commitment"):
            shot(page, f"{language}-1366-{step}-errors")
        fill_step(page, step)
        next_button(page).click()
        page.wait_for_load_state()
    expect(page.locator("#send-eoi")).to_be_visible()  # the review of every answer
    problems += axe_problems(page)
    shot(page, f"{language}-1366-review")
    page.set_viewport_size(PHONE)
    assert not scrolls_sideways(page)
    shot(page, f"{language}-390-review")
    page.set_viewport_size(DESKTOP)
    page.locator("#send-eoi").click()
    expect(page.locator("#eoi-reference")).to_be_visible()
    problems += axe_problems(page)
    page.locator("#status-link").click()
    problems += axe_problems(page)
    for path in ("/accounts/login/", "/accounts/password_reset/", "/accounts/password_reset/done/"):
        page.goto(live_server.url + path)
        problems += axe_problems(page)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/apply/{call.pk}/?restart=1")
    assert not scrolls_sideways(page)
    shot(page, f"{language}-390-step1")
    page.set_viewport_size(DESKTOP)
    shot(page, f"{language}-1366-step1")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_enterprise_contacts_pages_have_no_serious_accessibility_problem(
    live_server, page, contact, enterprise, language
):
    page.set_default_timeout(15_000)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/accounts/login/")
    if language != settings.LANGUAGE_CODE:
        choose_language(page, language)
    page.fill("[name='username']", contact.username)
    page.fill("[name='password']", "correct-horse-battery")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    problems = axe_problems(page)
    for path in (
        "/enterprises/mine/",
        "/training/",
        "/baseline/enterprises/",
        "/training/calendar/",
        "/accounts/password_change/",
    ):
        assert page.goto(live_server.url + path).ok, path
        expect(page.locator("html")).to_have_attribute("lang", language)
        problems += axe_problems(page)
        if scrolls_sideways(page):
            problems.append(f"{page.url} scrolls sideways at 390 px")
    assert not problems, "\n".join(problems)
