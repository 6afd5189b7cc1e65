"""The Content-Security-Policy: every page carries it, nothing inline may run, and a real browser
enforces it (a planted inline script is blocked, and `csp_violations` sees the attempt)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

# PDF templates are rendered by WeasyPrint, never by a browser, so the policy does not concern them.
PDF_TEMPLATES = Path("reporting", "templates", "reporting", "pdf")
INLINE_CODE = {
    "an inline <script>": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "an event handler attribute": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "a style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "a <style> element": re.compile(r"<style\b", re.IGNORECASE),
    "hx-on (evaluated code)": re.compile(r"\shx-on", re.IGNORECASE),
    "a javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def policy_of(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


def assert_strict(policy):
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]
    assert not any("unsafe" in value for values in policy.values() for value in values)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/calls/", "/accounts/login/"])
def test_public_pages_carry_a_policy_that_allows_no_inline_code(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert_strict(policy_of(response))


@pytest.mark.django_db
def test_pages_behind_the_login_carry_the_same_policy(officer_client):
    response = officer_client.get("/screening/")
    assert response.status_code == 200
    assert_strict(policy_of(response))


def test_no_template_holds_inline_code_or_style_attributes():
    found = []
    for folder in settings.TEMPLATES[0]["DIRS"] + [
        Path(settings.BASE_DIR, app, "templates")
        for app in ("score_portal", "enterprises", "baseline", "training", "reporting")
    ]:
        for template in Path(folder).rglob("*.html"):
            if PDF_TEMPLATES in template.relative_to(settings.BASE_DIR).parents:
                continue
            text = template.read_text()
            for what, pattern in INLINE_CODE.items():
                for match in pattern.finditer(text):
                    line = text.count("\n", 0, match.start()) + 1
                    found.append(f"{template.relative_to(settings.BASE_DIR)}:{line}: {what}")
    assert found == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_browser_refuses_a_planted_inline_script_and_the_language_switch_still_works(
    live_server, page, csp_violations
):
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", name="Log in to SCORE Portal")).to_be_visible()
    assert csp_violations == []

    ran = page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.plantedScriptRan = true;";
                   document.body.append(s);
                   return window.plantedScriptRan === true; }"""
    )
    assert ran is False
    # Both reports arrive: the securitypolicyviolation event and Chromium's console error.
    for _attempt in range(50):
        if len(csp_violations) >= 2:
            break
        page.wait_for_timeout(100)
    assert any(violation.startswith("script-src-elem blocked inline") for violation in csp_violations)
    assert any("violates the following Content Security Policy" in violation for violation in csp_violations)
    csp_violations.clear()

    # The language switcher sends its form on change, from static/js/portal.js.
    page.get_by_label("Language").select_option("ur")
    expect(page.locator("html")).to_have_attribute("lang", "ur")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert csp_violations == []
