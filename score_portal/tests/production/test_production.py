"""The portal as deployed: what users do first, each through gunicorn with DJANGO_DEBUG=0, the
collected static files and a real worker. The reports are the reason this lane exists: production
once made them in a serif font without page footers while development looked right."""

import io
import json
import re
import time
import urllib.error
import urllib.request
from pathlib import Path

import pypdf
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count
from playwright.sync_api import expect

from .conftest import PROXY_HEADERS

pytestmark = [
    pytest.mark.production,
    pytest.mark.browser,
    # The server and the worker need committed rows.
    pytest.mark.django_db(transaction=True),
]

HASHED_STATIC = re.compile(r"/static/.+\.[0-9a-f]{12}\.(css|js)$")


def log_in(page, server, username, password, second_factor=False):
    page.goto(f"{server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    if second_factor or "/accounts/two-factor/" in page.url:
        enrol_second_factor(page)


def enrol_second_factor(page):
    """Production asks an officer for a second factor: enrol as a person would, the key read off the page
    (beside its QR code) and the code computed as an authenticator app does."""
    import base64

    from django_otp.oath import totp

    expect(page.locator(".qr-code svg")).to_be_visible()
    secret = page.locator("code.user-select-all").inner_text().strip()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Code from your authenticator app").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_text("Two-factor authentication is on")).to_be_visible()


# ---------------------------------------------------------------- the public EOI form
# Answers by field name, without the step's prefix; radios and selects by value.
EOI_ANSWERS = {
    # 1. the enterprise
    "legal_name": "Indus Knitwear (Pvt) Ltd",
    "registration_number": "1234567-8",
    "address": "Plot 12, Sundar Industrial Estate",
    "city": "Lahore",
    "province": "punjab",
    "year_established": "1998",
    "products": "Knitted T-shirts and polo shirts",
    "export_markets": "EU, UK",
    "main_buyers": "Two European retailers",
    "sub_sector": "rmg_knitwear",
    "sub_sector_other": "",
    # 2. the workforce
    "workforce_total": "620",
    "workforce_permanent": "410",
    "workforce_contract": "210",
    "workforce_women": "250",
    "workforce_men": "370",
    "workforce_managers": "45",
    "workforce_workers": "575",
    # 3. staff and commitment (the nominee's fields hide themselves once the CEO attends)
    "hr_officer": "in_place",
    "compliance_officer": "willing",
    "industrial_engineer": "in_place",
    "ceo_available": "True",
    "shares_order_status": "True",
    "shares_baseline_data": "True",
    # 4. contact and consent
    "contact_name": "Ayesha Malik",
    "contact_position": "HR Manager",
    "contact_email": "ayesha@indusknit.example.pk",
    "contact_phone": "+92 300 8486929",
    "consent": True,
}

# Controls a person never sees or reaches (as a honeypot is): hidden, inside an aria-hidden block,
# out of the tab order, or squeezed to a pixel as visually-hidden does.
UNSEEN = """e => e.type === 'hidden' || !!e.closest('[hidden], [aria-hidden=true]') || e.tabIndex < 0
    || e.getBoundingClientRect().width <= 1 || e.getBoundingClientRect().height <= 1"""


def fill_expression_of_interest(page, answers: dict) -> None:
    """Answer the public EOI form step after step, as a person would: every visible field from
    `answers`, then Next (the page's script shows the next step, and the last one sends them all),
    until the review of the answers, whose button sends it. This is the one
    place to adapt when the form changes; a visible field without an answer, or a step that comes back
    with errors, stops here naming it."""
    for _step in range(8):
        wizard = page.locator("form").filter(has=page.locator("input[name$='-current_step']"))
        if not wizard.count():
            send = page.locator("#send-eoi")
            assert send.count(), f"neither a step nor the review at {page.url}"
            with page.expect_navigation():
                send.click()
            return  # sent: the confirmation page
        for control in wizard.locator("input, select, textarea").all():
            name = control.get_attribute("name") or ""
            kind = (control.get_attribute("type") or "").lower()
            if kind in ("submit", "button") or control.evaluate(UNSEEN) or not control.is_visible():
                continue
            field = name.split("-", 1)[-1]
            assert field in answers, f"the form asks for {name!r}; give the test an answer for it"
            answer = answers[field]
            if kind == "radio":
                if control.get_attribute("value") == str(answer):
                    control.check()
            elif kind == "checkbox":
                control.set_checked(bool(answer))
            elif control.evaluate("e => e.tagName") == "SELECT":
                control.select_option(str(answer))
            else:
                control.fill(str(answer))
        step = wizard.locator("section[data-step]:not([hidden])").get_attribute("data-step")
        # The page's script shows the next step in place, or sends every step from the last one.
        wizard.locator("button[data-eoi-next]").click()
        page.wait_for_function(
            """step => !document.querySelector("form[data-eoi-steps]")
                || document.querySelector("section[data-step]:not([hidden])").dataset.step !== step
                || document.querySelector(".alert-danger")""",
            arg=step,
        )
        page.wait_for_load_state()
        errors = page.locator(".invalid-feedback, .alert-danger")
        assert not errors.count(), f"step {step!r} refused: {errors.all_inner_texts()}"
    raise AssertionError("the form did not end after 8 steps")


def test_an_enterprise_sends_its_expression_of_interest(production_server, celery_worker_process, page):
    from enterprises.tests.factories import CallFactory
    from score_portal.models import MessageStatus, OutgoingMessage

    CallFactory(title="Pakistan SCORE Programme 2018")
    page.set_default_timeout(15_000)
    page.goto(f"{production_server.url}/calls/")
    page.get_by_role("link", name=re.compile(r"^Apply")).click()
    fill_expression_of_interest(page, EOI_ANSWERS)

    expect(page.get_by_role("heading", name=re.compile("we received your expression of interest"))).to_be_visible()
    reference = page.locator("#eoi-reference").inner_text()
    assert re.fullmatch(r"SCORE-PK-\d{4}-\d{4}", reference)
    # The acknowledgement goes through the outbox: the worker sends it (to its console backend), and it
    # links to the status page over HTTPS.
    deadline = time.monotonic() + 60
    while not OutgoingMessage.objects.filter(status=MessageStatus.SENT).exists() and time.monotonic() < deadline:
        time.sleep(0.3)
    message = OutgoingMessage.objects.get()
    assert message.status == MessageStatus.SENT, message.last_error
    match = re.search(r"https://127\.0\.0\.1:\d+/eoi/status/[\w-]+/", message.body)
    assert match, "no acknowledgement mail with the status link"
    page.goto(match.group(0).replace("https://", "http://"))
    expect(page.locator("#eoi-reference")).to_have_text(reference)
    expect(page.locator("#eoi-status")).to_have_text("Under review by the ILO")


def test_an_officer_logs_in_with_secure_cookies_and_hashed_static_files(production_server, page, officer):
    static = []
    page.on("response", lambda response: "/static/" in response.url and static.append(response))
    # Production asks the officer for a second factor before the first page (OFFICER_TWO_FACTOR_REQUIRED).
    log_in(page, production_server, "officer1", "correct-horse-battery", second_factor=True)

    expect(page.get_by_role("heading", name="What awaits a decision")).to_be_visible()
    assert static and all(HASHED_STATIC.search(r.url) and r.status == 200 for r in static), [
        (r.url, r.status) for r in static
    ]
    cookies = {cookie["name"]: cookie for cookie in page.context.cookies()}
    assert cookies["sessionid"]["secure"] and cookies["sessionid"]["httpOnly"]
    assert cookies["csrftoken"]["secure"]
    # Without the proxy's header the request is plain HTTP, and production sends it to HTTPS.
    plain = urllib.request.Request(f"{production_server.url}/accounts/login/", method="HEAD")  # noqa: S310
    with pytest.raises(urllib.error.HTTPError) as redirect:
        urllib.request.build_opener(NoRedirect).open(plain, timeout=10)
    assert redirect.value.code == 301
    assert redirect.value.headers["Location"] == production_server.url.replace("http:", "https:") + "/accounts/login/"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# ---------------------------------------------------------------- reports and health
def pdf_fonts(reader: pypdf.PdfReader) -> set[str]:
    names = set()

    def walk(resources):
        resources = resources.get_object() if resources is not None else {}
        for font in (resources.get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+", 1)[-1])
        for xobject in (resources.get("/XObject") or {}).values():
            walk(xobject.get_object().get("/Resources"))

    for pdf_page in reader.pages:
        walk(pdf_page.get("/Resources"))
    return names


def assert_made_as_designed(content: bytes, title: str) -> int:
    """Noto Sans, and the running header and footer with "Page X / Y" on every page; the page count."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    fonts = pdf_fonts(reader)
    assert "Noto-Sans" in fonts and all(re.fullmatch(r"Noto-Sans(-[A-Za-z]+)?", font) for font in fonts), fonts
    total = len(reader.pages)
    for number, pdf_page in enumerate(reader.pages, start=1):
        text = pdf_page.extract_text()
        assert f"Page {number} / {total}" in text and "ILO SCORE" in text, (number, text[-300:])
        assert "SCORE Portal · generated on" in text and title in text, (number, text[:300])
    return total


def make_report(page, form, choices: dict) -> bytes:
    """Ask for a report with the form's choices (label: option), follow its job page, download the PDF."""
    for label, option in choices.items():
        form.get_by_label(label).select_option(label=option)
    form.get_by_role("button", name="Make the report").click()
    download_link = page.get_by_role("link", name="Download")
    expect(download_link.or_(page.locator(".alert-danger"))).to_be_visible(timeout=120_000)
    assert not page.locator(".alert-danger").count(), page.locator(".alert-danger").inner_text()
    with page.expect_download() as download:
        download_link.click()
    return Path(download.value.path()).read_bytes()


def test_reports_are_made_by_the_worker_in_noto_sans_with_their_footers(
    production_server, celery_worker_process, page, settings
):
    call_command("seed_demo", "--enterprises", "8", stdout=io.StringIO())
    # The enterprise with the most to report on: visits, actions, KPIs.
    enterprise = (
        apps.get_model("enterprises", "Enterprise")
        .objects.annotate(visit_count=Count("visits"))
        .order_by("-visit_count", "pk")
        .first()
    )
    page.set_default_timeout(15_000)
    log_in(page, production_server, "officer", settings.DEMO_PASSWORD)

    page.goto(f"{production_server.url}/reports/enterprise/{enterprise.pk}/")
    form = page.locator("form").filter(has=page.get_by_role("heading", name="Make a report"))
    progress = make_report(page, form, {"Report": "Enterprise progress and impact report"})
    assert_made_as_designed(progress, "Progress and impact report")
    assert enterprise.legal_name in pypdf.PdfReader(io.BytesIO(progress)).pages[0].extract_text()

    page.goto(f"{production_server.url}/reports/")
    form = page.locator("form").filter(has=page.get_by_role("heading", name="Programme report for the ILO"))
    programme = make_report(page, form, {"Call": "All calls", "Format": "PDF"})
    assert assert_made_as_designed(programme, "Programme report") >= 2

    request = urllib.request.Request(f"{production_server.url}/healthz/", headers=PROXY_HEADERS)  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 200
        assert json.load(response) == {"database": "ok", "broker": "ok", "worker": True}
