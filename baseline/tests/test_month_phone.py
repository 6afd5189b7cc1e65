"""The monthly figures on a phone: the inputs the enterprise records come first, the rest behind
"more"; errors are listed at the top; in a browser, totals add up from women and men, "not tracked"
switches the box off and a draft survives a reload."""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from baseline import selectors
from baseline.models import MonthlyValue, RoundKind

from .factories import make_round, with_values


def more_section(body: str) -> str:
    return body.split('id="month-more"', 1)[1] if 'id="month-more"' in body else ""


@pytest.mark.django_db
def test_the_inputs_the_enterprise_records_come_first_and_the_rest_behind_more(client, consultant, enterprise, officer):
    earlier = with_values(
        make_round(enterprise, by=officer), by=officer, units_checked=1000, defective_units=30, leavers_women=2
    )
    assert selectors.tracked_inputs(enterprise) == {"units_checked", "defective_units", "leavers"}
    later = make_round(enterprise, RoundKind.FOLLOW_UP, held_on=datetime.date(2019, 6, 1), by=officer)
    client.force_login(consultant)
    body = client.get(reverse("baseline:month_entry", args=[later.pk])).content.decode()
    first, more = body.split('id="month-more"', 1)
    assert 'name="units_checked"' in first and 'name="leavers_men"' in first
    assert 'name="energy_kwh"' in more and 'name="units_checked"' not in more
    assert earlier.pk != later.pk


@pytest.mark.django_db
def test_an_enterprise_with_nothing_recorded_sees_every_input(client, consultant, enterprise, officer):
    round_ = make_round(enterprise, by=officer)
    client.force_login(consultant)
    body = client.get(reverse("baseline:month_entry", args=[round_.pk])).content.decode()
    assert 'id="month-more"' not in body and 'name="energy_kwh"' in body


@pytest.mark.django_db
def test_errors_are_listed_at_the_top_and_an_input_with_a_problem_is_not_hidden(
    client, consultant, enterprise, officer
):
    with_values(make_round(enterprise, by=officer), by=officer, units_checked=1000)
    later = make_round(enterprise, RoundKind.FOLLOW_UP, held_on=datetime.date(2019, 6, 1), by=officer)
    client.force_login(consultant)
    response = client.post(
        reverse("baseline:month_entry", args=[later.pk]),
        {"month": "2019-06", "units_checked": "100", "energy_kwh": "5", "energy_kwh__nt": "on"},
    )
    body = response.content.decode()
    top = body.split('id="month-form"', 1)[0]
    assert 'id="month-errors"' in top and "not both" in top and 'href="#id_energy_kwh"' in top
    assert 'name="energy_kwh"' not in more_section(body)  # shown, not folded away
    assert not MonthlyValue.objects.filter(round=later).exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_totals_add_up_not_tracked_switches_off_and_a_draft_survives_a_reload(
    live_server, page, csp_violations, consultant, enterprise, officer, tmp_path
):
    round_ = make_round(enterprise, by=officer)
    page.set_default_timeout(15_000)
    page.set_viewport_size({"width": 390, "height": 844})
    url = reverse("baseline:month_entry", args=[round_.pk])
    page.goto(f"{live_server.url}{reverse('login')}?next={url}")
    page.get_by_label(re.compile(r"^\s*Username")).fill(consultant.username)
    page.get_by_label(re.compile(r"^\s*Password")).fill("correct-horse-battery")
    page.get_by_role("button", name="Log in").click()

    page.locator("[name=leavers_women]").fill("3")
    page.locator("[name=leavers_men]").fill("4")
    expect(page.locator("[name=leavers]")).to_have_value("7")
    page.locator("[name=units_checked]").fill("1200")
    page.locator("#id_energy_kwh__nt").check()
    expect(page.locator("[name=energy_kwh]")).to_be_disabled()
    expect(page.locator("#month-draft-status")).to_have_text("Draft kept on this phone.")

    page.reload()
    expect(page.locator("#month-draft-status")).to_have_text("Your unsaved draft from this phone is filled in.")
    expect(page.locator("[name=units_checked]")).to_have_value("1200")
    expect(page.locator("[name=leavers]")).to_have_value("7")
    expect(page.locator("[name=energy_kwh]")).to_be_disabled()
    shots = Path(os.environ.get("SCORE_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=shots / "month-form-390.png", full_page=True)

    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/baseline/rounds/\d+/$"))
    saved = {v.code: v for v in MonthlyValue.objects.filter(round=round_)}
    assert saved["leavers"].value == 7 and saved["units_checked"].value == 1200 and saved["energy_kwh"].not_tracked
    # Saved: the draft is gone, the form shows the server's values.
    page.goto(f"{live_server.url}{url}")
    expect(page.locator("#month-draft-status")).to_have_text("")
    assert csp_violations == []


@pytest.mark.django_db
def test_a_month_sent_from_the_phone_twice_is_saved_once_with_the_forms_rules(client, consultant, enterprise, officer):
    round_ = make_round(enterprise, by=officer)
    url = reverse("baseline:month_sync", args=[round_.pk])
    client.force_login(consultant)
    data = {"month": "2019-01", "units_checked": "1000", "defective_units": "30", "energy_kwh__nt": "on"}
    for _attempt in range(2):
        response = client.post(url, data)
        assert response.status_code == 200 and response.json()["outcome"] == "saved"
    saved = {v.code: v for v in MonthlyValue.objects.filter(round=round_)}
    assert saved["units_checked"].value == 1000 and saved["energy_kwh"].not_tracked
    assert MonthlyValue.objects.filter(round=round_, code="units_checked").count() == 1
    response = client.post(url, {"month": "2019-01", "units_checked": "100", "defective_units": "150"})
    assert response.status_code == 400 and "cannot exceed" in str(response.json()["errors"])
    assert MonthlyValue.objects.get(round=round_, code="defective_units").value == 30


@pytest.mark.django_db
def test_only_who_may_enter_the_figures_can_sync_them(client, other_consultant, contact, enterprise, officer):
    round_ = make_round(enterprise, by=officer)
    url = reverse("baseline:month_sync", args=[round_.pk])
    client.force_login(other_consultant)
    assert client.post(url, {"month": "2019-01", "units_checked": "5"}).status_code == 404
    client.force_login(contact)
    assert client.post(url, {"month": "2019-01", "units_checked": "5"}).status_code == 403
    assert not MonthlyValue.objects.filter(round=round_).exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_month_typed_without_signal_is_sent_when_the_phone_is_online(
    live_server, context, page, csp_violations, consultant, enterprise, officer
):
    round_ = make_round(enterprise, by=officer)
    page.set_default_timeout(15_000)
    url = reverse("baseline:month_entry", args=[round_.pk])
    page.goto(f"{live_server.url}{reverse('login')}?next={url}")
    page.get_by_label(re.compile(r"^\s*Username")).fill(consultant.username)
    page.get_by_label(re.compile(r"^\s*Password")).fill("correct-horse-battery")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller")

    context.set_offline(True)
    page.locator("[name=units_checked]").fill("900")
    page.locator("[name=defective_units]").fill("12")
    page.get_by_role("button", name="Save").click()
    status = page.locator("#month-draft-status")
    expect(status).to_have_text("Saved on this phone, waiting to send (1). They are sent when there is signal.")
    assert not MonthlyValue.objects.filter(round=round_).exists()

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(status).to_have_text("Saved on the server.")
    saved = {v.code: v.value for v in MonthlyValue.objects.filter(round=round_)}
    assert saved["units_checked"] == 900 and saved["defective_units"] == 12
    assert csp_violations == []
