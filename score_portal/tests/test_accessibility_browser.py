"""Each role's pages in a real browser (Debian's Chromium), logged in, with the demo's data so that tables are
full: axe-core finds no serious or critical problem; the consultant's and the enterprise contact's pages, used on
a phone, neither scroll sideways at 390 px nor have a control smaller than 24 × 24 px; focus is always seen.
The login pages (password reset, two-factor code) are checked the same way, in English and in Urdu."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from baseline.models import Round, RoundKind
from enterprises.models import ConsultantAssignment, EnterpriseContact, Level1Batch
from score_portal.tests.browser import (
    DESKTOP,
    PHONE,
    axe_problems,
    log_in,
    scrolls_sideways,
    small_targets,
    unseen_focus,
)
from training.models import Visit, VisitStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "score-demo"  # settings.DEMO_PASSWORD's default, which seed_demo gives its users


def demo():
    # Twelve EOIs take twelve of the thirteen stages of the path (enterprises/demo.py): every list has rows.
    call_command("seed_demo", "--seed", "3", "--enterprises", "12", stdout=io.StringIO())
    return {user.username: user for user in get_user_model().objects.filter(username__in=DEMO_NAMES)}


DEMO_NAMES = ("officer", "consultant", "enterprise")


def officer_pages(users) -> list[str]:
    batch = Level1Batch.objects.order_by("pk").first()
    return [
        "/",
        "/screening/",
        "/enterprises/",
        "/people/",
        "/batches/",
        f"/batches/{batch.pk}/",
        "/pipeline/",
        "/manage/calls/",
        "/baseline/",
        "/baseline/indicators/",
        "/baseline/enterprises/",
        "/training/",
        "/training/delivery/",
        "/training/calendar/",
        "/training/visits/",
        "/reports/",
        "/mail/",
        "/activity/",
        "/notifications/",
    ]


def consultant_pages(users) -> list[str]:
    consultant = users["consultant"]
    mine = ConsultantAssignment.objects.filter(consultant=consultant).values("enterprise")
    draft = Visit.objects.filter(consultant=consultant, status=VisitStatus.DRAFT).order_by("pk").first()
    follow_up = Round.objects.filter(enterprise__in=mine, kind=RoundKind.FOLLOW_UP).order_by("pk").first()
    assert draft and follow_up, "the demo gives the consultant a draft visit and a follow-up round"
    enterprise = follow_up.enterprise_id
    return [
        "/",
        "/enterprises/",
        "/training/",
        "/training/visits/",
        f"/training/visits/{draft.pk}/edit/",
        f"/training/enterprises/{enterprise}/visits/new/",
        "/training/actions/",
        "/training/calendar/",
        f"/training/enterprises/{enterprise}/",
        f"/training/enterprises/{enterprise}/plan/",
        "/baseline/enterprises/",
        f"/baseline/enterprises/{enterprise}/",
        f"/baseline/rounds/{follow_up.pk}/",
        f"/baseline/rounds/{follow_up.pk}/month/",
        "/reports/",
        f"/reports/enterprise/{enterprise}/",
    ]


def contact_pages(users) -> list[str]:
    enterprise = EnterpriseContact.objects.get(user=users["enterprise"]).enterprise
    follow_up = enterprise.measurement_rounds.filter(kind=RoundKind.FOLLOW_UP).order_by("pk").first()
    return [
        "/",
        "/enterprises/mine/",
        "/training/",
        f"/training/enterprises/{enterprise.pk}/plan/",
        "/training/calendar/",
        "/baseline/enterprises/",
        f"/baseline/enterprises/{enterprise.pk}/",
        f"/baseline/rounds/{follow_up.pk}/month/",
        f"/baseline/enterprises/{enterprise.pk}/submissions/",
        f"/baseline/enterprises/{enterprise.pk}/orders/",
    ]


# The officer works at a desk; the consultant in a factory with a phone; the enterprise contact, most often, too.
ROLES = {
    "officer": (officer_pages, DESKTOP, ["en"]),
    "consultant": (consultant_pages, PHONE, ["en"]),
    "enterprise": (contact_pages, PHONE, ["en", "ur"]),
}


@pytest.mark.parametrize("role", ROLES)
def test_each_roles_pages_have_no_serious_accessibility_problem(live_server, page, role):
    page.set_default_timeout(20_000)
    pages, viewport, languages = ROLES[role]
    users = demo()
    paths = pages(users)
    page.set_viewport_size(viewport)
    log_in(page, live_server.url, role, DEMO_PASSWORD)
    expect(page.locator("#main h1").first).to_be_visible()
    problems = []
    for language in languages:
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        for path in paths:
            assert page.goto(live_server.url + path).ok, path
            expect(page.locator("html")).to_have_attribute("lang", language)
            problems += axe_problems(page)
            if viewport == PHONE:
                problems += small_targets(page)
                if scrolls_sideways(page):
                    problems.append(f"{page.url} scrolls sideways at 390 px")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_login_pages_have_no_serious_accessibility_problem(live_server, page, consultant, language):
    page.set_default_timeout(20_000)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.set_viewport_size(PHONE)
    problems = []
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("[name='username']", consultant.username)
    page.fill("[name='password']", "not-the-password")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main .alert-danger, main .invalid-feedback, main .errorlist").first).to_be_visible()
    problems += axe_problems(page)  # the refusal shown
    uid = urlsafe_base64_encode(force_bytes(consultant.pk))
    token = default_token_generator.make_token(consultant)
    for path in ("/accounts/password_reset/", "/accounts/password_reset/done/", f"/accounts/reset/{uid}/{token}/"):
        page.goto(live_server.url + path)
        problems += axe_problems(page) + small_targets(page)
        if scrolls_sideways(page):
            problems.append(f"{page.url} scrolls sideways at 390 px")
    expect(page.locator("[name='new_password1']")).to_be_visible()  # the reset link led to the new password form
    # A user with an authenticator app gives its code after the password.
    TOTPDevice.objects.create(user=consultant, name="phone", confirmed=True)
    log_in(page, live_server.url, consultant.username)
    expect(page.locator("[name='token']")).to_be_visible()
    problems += axe_problems(page) + small_targets(page)
    assert not problems, "\n".join(problems)


def test_the_focus_is_always_seen(live_server, page, officer, consultant, enterprise):
    """Tabbing through the top bar and a page: every link, button and field that takes the focus draws a ring."""
    page.set_default_timeout(20_000)
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, officer.username)
    problems = unseen_focus(page, 30)  # the officer's top bar, on blue, then the home page
    page.goto(f"{live_server.url}/enterprises/")
    problems += unseen_focus(page, 30)
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, consultant.username)
    page.goto(f"{live_server.url}/training/enterprises/{enterprise.pk}/visits/new/")
    expect(page.locator("#main h1")).to_be_visible()
    problems += unseen_focus(page, 25)
    assert not problems, "\n".join(problems)
