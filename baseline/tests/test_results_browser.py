"""The programme results page in a real browser (Debian's Chromium) on a phone and on a laptop: the
"% improving" bars' labels are whole (not cut off), the page does not overflow sideways, and the
browser reports no Content-Security-Policy violation."""

import os
import re
from importlib import import_module
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from baseline.models import Indicator
from baseline.tests.factories import measured
from enterprises.tests.factories import CallFactory, make_enterprise

# (defective units, units checked, suggestions, headcount) before → after
PROGRAMME = [
    ((60, 30), (0, 9)),
    ((50, 40), (2, 12)),
    ((0, 0), (3, 3)),
    ((80, 20), (1, 10)),
    ((30, 35), (4, 4)),
]


def indicator_catalogue():
    """The catalogue the data migrations make. Under pytest-playwright's `page`, a browser test that
    follows another transactional test finds the tables flushed, its serialized rollback not
    restored; the migrations' own functions put the catalogue back (they skip what exists)."""
    from django.apps import apps

    if Indicator.objects.exists():
        return
    import_module("baseline.migrations.0002_catalogue").load(apps, None)
    import_module("baseline.migrations.0004_headcount_start_end_versions").add_versions(apps, None)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("width", [390, 1366])
def test_the_results_page_reads_on_a_phone_and_a_laptop(live_server, page, csp_violations, officer, width, tmp_path):
    indicator_catalogue()
    call = CallFactory(title="Call for the browser test")
    for n, ((before, after), (s_before, s_after)) in enumerate(PROGRAMME):
        measured(
            make_enterprise(officer, number=f"7900-{n}", call=call),
            {
                "defective_units": before,
                "units_checked": 1000,
                "suggestions": s_before,
                "headcount_start": 400,
                "headcount_end": 400,
            },
            {
                "defective_units": after,
                "units_checked": 1000,
                "suggestions": s_after,
                "headcount_start": 400,
                "headcount_end": 400,
            },
            by=officer,
        )
    page.set_default_timeout(15_000)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}{reverse('login')}?next={reverse('baseline:home')}")
    page.get_by_label(re.compile(r"^\s*Username")).fill(officer.username)
    page.get_by_label(re.compile(r"^\s*Password")).fill("correct-horse-battery")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Programme results")).to_be_visible()

    bars = page.locator(".improvement")
    expect(bars.first).to_be_visible()
    # each label is shown whole: its text fits its box, and its box is inside the window
    for label in page.locator(".improvement .fw-semibold").all():
        box = label.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, label.inner_text()
        assert label.evaluate("el => el.scrollWidth <= el.clientWidth + 1"), label.inner_text()
    expect(page.locator(".improvement", has_text="Defect rate")).to_contain_text("60.0% improved")
    expect(page.locator(".improvement", has_text="Defect rate")).to_contain_text("20.0% already at the best value")
    # the page itself does not scroll sideways (the wide table scrolls in its own box)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shots = Path(os.environ.get("SCORE_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"results-{width}.png"), full_page=True)
    assert csp_violations == []
    # nothing of the page may reach the live server once the test's data is flushed
    page.close()
