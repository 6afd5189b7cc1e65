"""A consultant on a factory floor without signal, in a real browser (Debian's Chromium and its offline
emulation): the service worker keeps the visit form, the outbox keeps what is typed across reloads and
closing the page, and the sync makes exactly one visit, one of each action and one photo pair, even
when a sending times out after the server took it. A conflict with a visit locked meanwhile is shown
and the phone's text is kept."""

import io
import os
import re
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from training.models import PhotoPair, Visit, VisitAction, VisitStatus
from training.visits import services
from training.visits.forms import ActionFormSet, VisitForm

PASSWORD = "correct-horse-battery"


def log_in(page, live_server, user, next_url):
    page.goto(f"{live_server.url}{reverse('login')}?next={next_url}")
    page.get_by_label(re.compile(r"^\s*Username")).fill(user.username)
    page.get_by_label(re.compile(r"^\s*Password")).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def wait_until_kept(page, path):
    """The service worker controls the page and keeps `path` for work without signal."""
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller")
    wait_for(
        page,
        lambda: page.evaluate(
            """(path) => caches.open("score-pages-v1").then((c) => c.match(path)).then((hit) => !!hit)""", path
        ),
        f"{path} kept by the service worker",
    )


def wait_for(page, check, what):
    for _attempt in range(150):
        if check():
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"never happened: {what}")


def shots_folder(tmp_path) -> Path:
    """Screenshots at 390 px go to $SCORE_SCREENSHOTS when set (to look at them), else to the test's folder."""
    shots = Path(os.environ.get("SCORE_SCREENSHOTS", tmp_path / "shots"))
    shots.mkdir(parents=True, exist_ok=True)
    return shots


def large_photo(tmp_path) -> Path:
    image = Image.new("RGB", (3200, 2400), (120, 140, 60))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    path = tmp_path / "cutting-before.jpg"
    path.write_bytes(out.getvalue())
    return path


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_visit_typed_offline_survives_reloads_and_is_synced_exactly_once(
    live_server, context, page, csp_violations, consultant, enterprise, tmp_path, private_media
):
    page.set_default_timeout(15_000)
    new_visit = reverse("training:visit_start", args=[enterprise.pk])
    log_in(page, live_server, consultant, new_visit)
    expect(page.get_by_role("heading", name=re.compile("^Visit log"))).to_be_visible()
    wait_until_kept(page, new_visit)

    # No signal from here on: the page comes from the phone.
    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name=re.compile("^Visit log"))).to_be_visible()
    page.get_by_label(re.compile(r"^\s*Start time")).fill("09:30")
    page.get_by_label(re.compile(r"^\s*End time")).fill("12:00")
    page.get_by_label(re.compile(r"^\s*Purpose")).select_option("level1_follow_up")
    page.get_by_label(re.compile(r"^\s*Findings")).fill("Walkways are marked; fire exits blocked by cartons.")
    page.locator("[name=actions-0-what]").fill("Clear the fire exits")
    page.locator("[name=actions-0-owner]").fill("Safety officer")
    page.locator("[name=actions-0-due_on]").fill("2026-12-07")
    page.get_by_role("button", name="Add an action").click()
    page.locator("[name=actions-1-what]").fill("Label the fabric racks")
    page.locator("[name=actions-1-owner]").fill("Store keeper")
    page.locator("[name=actions-1-due_on]").fill("2026-12-14")
    status = page.locator("#save-status")
    expect(status).to_contain_text("Saved on this phone, waiting to send (1)")
    expect(status).to_have_attribute("data-state", "phone")

    # A "before" photo picked from the gallery (no camera forced), made smaller on the phone.
    photo = page.get_by_label(re.compile(r"^\s*Before photo"))
    assert photo.get_attribute("capture") is None
    page.get_by_label(re.compile(r"^\s*Area")).fill("Cutting section")
    photo.set_input_files(large_photo(tmp_path))
    page.get_by_role("button", name="Keep this photo pair").click()
    expect(page.locator("#photo-queue li")).to_contain_text("Cutting section · on this phone, waiting to send")
    expect(status).to_contain_text("waiting to send (2)")

    page.get_by_role("button", name="Submit the visit").click()
    expect(status).to_contain_text("Submitted on this phone; it goes to the server when there is signal (2)")
    shots = shots_folder(tmp_path)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=shots / "visit-form-offline-390.png")
    page.screenshot(path=shots / "visit-form-offline-390-full.png", full_page=True)

    # Reload, then close the page and open the form again: still offline, nothing lost.
    page.reload()
    expect(page.get_by_label(re.compile(r"^\s*Findings"))).to_have_value(
        "Walkways are marked; fire exits blocked by cartons."
    )
    page.get_by_label(re.compile(r"^\s*Findings")).scroll_into_view_if_needed()
    page.screenshot(path=shots / "visit-form-offline-reloaded-390.png")
    expect(page.locator("[name=actions-1-what]")).to_have_value("Label the fabric racks")
    page.close()
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}{new_visit}")
    expect(page.get_by_label(re.compile(r"^\s*Findings"))).to_have_value(
        "Walkways are marked; fire exits blocked by cartons."
    )
    expect(page.locator("#photo-queue li")).to_have_count(1)
    assert Visit.objects.count() == 0 and PhotoPair.objects.count() == 0

    # Signal again, but the first sending of each record times out after the server took it:
    # the phone sends them again, and the server still makes one of each.
    timed_out = []

    def lose_the_answer_once(route):
        response = route.fetch()
        if route.request.url not in timed_out:
            timed_out.append(route.request.url)
            route.abort("timedout")
        else:
            route.fulfill(response=response)

    context.route(re.compile(r"/training/sync/"), lose_the_answer_once)
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_for(page, lambda: len(timed_out) == 2, "both records sent once")
    wait_for(page, lambda: Visit.objects.filter(status=VisitStatus.SUBMITTED).exists(), "the visit submitted")
    try:
        page.evaluate("() => { ScoreOutbox.flush(); }")
    except PlaywrightError as exc:
        # The outbox had already sent everything and opened the visit: the page is on its way there.
        assert "context was destroyed" in str(exc), exc
    expect(page).to_have_url(re.compile(r"/training/visits/\d+/$"), timeout=20_000)
    expect(page.get_by_text("Walkways are marked; fire exits blocked by cartons.")).to_be_visible()

    visit = Visit.objects.get()
    assert visit.enterprise == enterprise and visit.consultant == consultant and visit.status == VisitStatus.SUBMITTED
    assert sorted(VisitAction.objects.values_list("what", flat=True)) == [
        "Clear the fire exits",
        "Label the fabric racks",
    ]
    pair = PhotoPair.objects.get()
    assert pair.area == "Cutting section" and pair.enterprise == enterprise
    with Image.open(private_media / pair.before.name) as stored:
        assert max(stored.size) == 1600  # resized on the phone: 3200 × 2400 became 1600 × 1200
    # Sending everything again changes nothing.
    page.evaluate(
        """() => ScoreOutbox.all()
             .then((records) => Promise.all(records.filter((r) => r.kind === "visit").map((r) => ScoreOutbox.keep(r))))
             .then(() => ScoreOutbox.flush())"""
    )
    assert Visit.objects.count() == 1 and VisitAction.objects.count() == 2 and PhotoPair.objects.count() == 1
    assert csp_violations == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_conflict_with_a_visit_submitted_meanwhile_is_shown_and_the_local_text_kept(
    live_server, context, page, csp_violations, consultant, enterprise, tmp_path
):
    page.set_default_timeout(15_000)
    visit, _created = services.start_visit(enterprise, consultant)
    edit = reverse("training:visit_edit", args=[visit.pk])
    log_in(page, live_server, consultant, edit)
    expect(page.get_by_role("heading", name=re.compile("^Visit log"))).to_be_visible()
    wait_until_kept(page, edit)

    context.set_offline(True)
    page.get_by_label(re.compile(r"^\s*Findings")).fill("Typed on the floor: exits blocked by cartons.")
    expect(page.locator("#save-status")).to_contain_text("waiting to send (1)")

    # Meanwhile the visit is submitted from another device, with other text.
    visit.refresh_from_db()
    data = {
        "date": "2026-11-30",
        "start_time": "09:00",
        "end_time": "10:00",
        "purpose": "baseline",
        "findings": "Written at the office.",
        "actions-TOTAL_FORMS": "0",
        "actions-INITIAL_FORMS": "0",
    }
    form, formset = VisitForm(data, instance=visit), ActionFormSet(data, instance=visit, prefix="actions")
    assert form.is_valid() and formset.is_valid()
    services.submit_visit(visit, form, formset, by=consultant)

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    problem = page.locator("#sync-problem")
    expect(problem).to_be_visible(timeout=20_000)
    expect(problem).to_contain_text("Conflict: this visit was changed on the server.")
    expect(problem).to_contain_text("Written at the office.")
    expect(page.locator("#save-status")).to_have_attribute("data-state", "problem")
    expect(page.get_by_label(re.compile(r"^\s*Findings"))).to_have_value(
        "Typed on the floor: exits blocked by cartons."
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=shots_folder(tmp_path) / "visit-conflict-390.png", full_page=True)

    # Nothing on the server was overwritten, and the phone still has its text after a reload.
    visit.refresh_from_db()
    assert visit.findings == "Written at the office." and visit.version == 1
    # The page is now the amendment of the submitted visit, with the phone's text offered in it.
    page.reload()
    expect(page.get_by_role("heading", name=re.compile("^Amend the visit"))).to_be_visible()
    expect(page.locator("#sync-kept")).to_be_visible()
    expect(page.get_by_label(re.compile(r"^\s*Findings"))).to_have_value(
        "Typed on the floor: exits blocked by cartons."
    )
    assert csp_violations == []
