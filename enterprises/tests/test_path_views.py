"""The path pages over HTTP: officers only, thin views over the services."""

import pytest
from django.core import mail
from django.urls import reverse

from enterprises.models import Enterprise, LetterTemplate, Stage
from enterprises.path import services as path_services
from enterprises.tests.factories import CallFactory
from enterprises.tests.test_path_helpers import DAY, INELIGIBLE, batch_for, screened_eoi, shortlisted, walk_to

pytestmark = pytest.mark.django_db


def _pages(enterprise, batch):
    """The officers' pages. The enterprise list and page are scoped instead (test_enterprise_access_pages)."""
    call = enterprise.call
    return [
        reverse("enterprises:pipeline"),
        reverse("enterprises:letter_view", args=[enterprise.pk, "shortlisting"]),
        reverse("enterprises:batch_list"),
        reverse("enterprises:batch_shortlist", args=[batch.pk]),
        reverse("enterprises:level2_selection", args=[call.pk]),
        reverse("enterprises:letter_template_edit", args=[call.pk, "regret"]),
    ]


@pytest.mark.parametrize("persona", ["consultant", "contact"])
def test_non_officers_get_403(request, client, officer, persona):
    enterprise = shortlisted(officer, number="7000-1")
    client.force_login(request.getfixturevalue(persona))
    for url in _pages(enterprise, enterprise.batch):
        assert client.get(url).status_code == 403, url
    for name, args in [
        ("enterprises:enterprise_move", [enterprise.pk]),
        ("enterprises:enterprise_ceo_meeting", [enterprise.pk]),
        ("enterprises:enterprise_from_eoi", [enterprise.expression_of_interest_id]),
        ("enterprises:letter_view", [enterprise.pk, "regret"]),
    ]:
        assert client.post(reverse(name, args=args)).status_code == 403
    enterprise.refresh_from_db()
    assert enterprise.stage == Stage.SHORTLISTED and not mail.outbox


def test_officer_sees_every_page(officer_client, officer):
    enterprise = walk_to(shortlisted(officer, number="7000-2"), Stage.CEO_MEETING_HELD, officer)
    for url in _pages(enterprise, enterprise.batch):
        assert officer_client.get(url).status_code == 200, url


def test_enterprise_page_shows_timeline_and_what_the_next_step_needs(officer_client, officer):
    enterprise = walk_to(shortlisted(officer, number="7000-3"), Stage.CEO_MEETING_HELD, officer, commitment=False)
    page = officer_client.get(reverse("enterprises:enterprise_detail", args=[enterprise.pk])).content.decode()
    # The timeline, not the menu bar (which names the officer logged in on every page).
    timeline = page[page.index('<h2 class="h5">Timeline</h2>') :]
    assert "Top of the ranking" in timeline and "by Sadia Hameed" in timeline
    assert "Meeting with the CEO held on" in timeline
    assert "Still needs:" in page and "commitment shown at the meeting with the CEO" in page


def test_moving_records_the_officer_and_reason(officer_client, officer):
    from training.tests.path_data import data_for

    enterprise = walk_to(shortlisted(officer, number="7000-4"), Stage.CEO_MEETING_HELD, officer)
    data_for(enterprise, Stage.BASELINE_DONE, officer, DAY)
    url = reverse("enterprises:enterprise_move", args=[enterprise.pk])
    response = officer_client.post(
        url,
        {
            "expected_stage": Stage.CEO_MEETING_HELD,
            "to_stage": Stage.BASELINE_DONE,
            "on": "2026-03-10",
            "reason": "Done",
        },
        follow=True,
    )
    assert "Moved to" in response.content.decode()
    record = enterprise.transitions.last()
    assert (record.to_stage, record.by, record.reason) == (Stage.BASELINE_DONE, officer, "Done")


def test_a_refused_move_says_what_is_missing(officer_client, officer):
    enterprise = shortlisted(officer, number="7000-5")
    response = officer_client.post(
        reverse("enterprises:enterprise_move", args=[enterprise.pk]),
        {"expected_stage": Stage.SHORTLISTED, "to_stage": Stage.LEVEL1_ACCEPTED, "reason": "Hurry"},
        follow=True,
    )
    page = response.content.decode()
    assert "still missing the meeting with the CEO or main decision-maker" in page
    enterprise.refresh_from_db()
    assert enterprise.stage == Stage.SHORTLISTED


def test_a_stale_page_is_told_to_reload(officer_client, officer):
    enterprise = shortlisted(officer, number="7000-6")
    path_services.transition(enterprise, Stage.WITHDRAWN, by=officer, reason="Closed")
    response = officer_client.post(
        reverse("enterprises:enterprise_move", args=[enterprise.pk]),
        {"expected_stage": Stage.SHORTLISTED, "to_stage": Stage.NOT_SELECTED, "reason": "Too small"},
        follow=True,
    )
    assert "just moved to “Withdrawn” by Sadia Hameed; reload" in response.content.decode()


def test_recording_the_ceo_meeting(officer_client, officer):
    enterprise = shortlisted(officer, number="7000-7")
    officer_client.post(
        reverse("enterprises:enterprise_ceo_meeting", args=[enterprise.pk]),
        {
            "expected_stage": Stage.SHORTLISTED,
            "held_on": "2026-03-05",
            "attendees": "CEO Mr Qureshi",
            "commitment_shown": "on",
        },
    )
    enterprise.refresh_from_db()
    assert enterprise.stage == Stage.CEO_MEETING_HELD
    meeting = enterprise.ceo_meetings.get()
    assert meeting.commitment_shown and meeting.recorded_by == officer


def test_shortlisting_page_picks_up_to_capacity_in_one_post(officer_client, officer):
    call = CallFactory()
    batch = batch_for(call, capacity=2)
    eois = [screened_eoi(call, f"7100-{i}") for i in range(3)]
    url = reverse("enterprises:batch_shortlist", args=[batch.pk])
    page = officer_client.get(url).content.decode()
    assert all(eoi.reference in page for eoi in eois)

    too_many = officer_client.post(url, {"picks": [e.pk for e in eois], "reason": "Best"})
    assert too_many.status_code == 200 and "only 2 free places" in too_many.content.decode()
    assert not Enterprise.objects.exists()

    officer_client.post(url, {"picks": [eois[0].pk, eois[1].pk], "reason": "Best two"})
    assert Enterprise.objects.filter(batch=batch, stage=Stage.SHORTLISTED).count() == 2
    assert set(Enterprise.objects.values_list("transitions__reason", flat=True)) >= {"Best two"}


def test_shortlisting_an_ineligible_eoi_asks_for_an_override(officer_client, officer):
    call = CallFactory()
    batch = batch_for(call)
    eoi = screened_eoi(call, "7200-1", **INELIGIBLE)
    url = reverse("enterprises:batch_shortlist", args=[batch.pk])
    page = officer_client.post(url, {"picks": [eoi.pk], "reason": "Pilot"}, follow=True).content.decode()
    assert "override justification" in page and not Enterprise.objects.exists()
    officer_client.post(url, {"picks": [eoi.pk], "reason": "Pilot", "override_justification": "Grew to 320"})
    assert Enterprise.objects.get().stage == Stage.SHORTLISTED


def test_enterprise_from_eoi(officer_client, officer):
    eoi = screened_eoi(CallFactory(), "7300-1")
    response = officer_client.post(reverse("enterprises:enterprise_from_eoi", args=[eoi.pk]))
    enterprise = Enterprise.objects.get()
    assert response.url == reverse("enterprises:enterprise_detail", args=[enterprise.pk])


def test_level2_selection_page(officer_client, officer):
    ready = walk_to(shortlisted(officer, number="7400-1"), Stage.LEVEL2_INTEREST, officer)
    no_interest = walk_to(
        shortlisted(officer, call=ready.call, batch=ready.batch, number="7400-2"), Stage.LEVEL1_COMPLETED, officer
    )
    url = reverse("enterprises:level2_selection", args=[ready.call_id])
    page = officer_client.get(url).content.decode()
    assert ready.legal_name in page and no_interest.legal_name in page and "not registered" in page
    response = officer_client.post(url, {"picks": [no_interest.pk, ready.pk], "reason": "Strong results"}, follow=True)
    assert "interest in the full package registered" in response.content.decode()
    officer_client.post(url, {"picks": [ready.pk], "reason": "Strong results"})
    ready.refresh_from_db()
    assert ready.stage == Stage.LEVEL2_SHORTLISTED


def test_letter_page_escapes_and_sends(officer_client, officer, django_capture_on_commit_callbacks):
    enterprise = shortlisted(officer, number="7500-1", legal_name="<b>Bold</b> Mills")
    url = reverse("enterprises:letter_view", args=[enterprise.pk, "shortlisting"])
    page = officer_client.get(url).content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; Mills" in page and "<b>Bold</b>" not in page
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(url)
    assert mail.outbox[0].to == ["ayesha@indusknit.example.pk"]
    assert enterprise.sent_letters.count() == 1
    assert officer_client.get(reverse("enterprises:letter_view", args=[enterprise.pk, "nonsense"])).status_code == 404


def test_letter_text_is_edited_per_call(officer_client, officer):
    call = CallFactory()
    url = reverse("enterprises:letter_template_edit", args=[call.pk, "regret"])
    bad = officer_client.post(url, {"subject": "Hi", "body": "{{ password }}"})
    assert "Unknown placeholder" in bad.content.decode() and not LetterTemplate.objects.exists()
    officer_client.post(url, {"subject": "About {{ reference }}", "body": "Dear {{ contact_name }}"})
    assert LetterTemplate.objects.get(call=call, kind="regret").updated_by == officer


def test_new_batch(officer_client):
    call = CallFactory()
    officer_client.post(
        reverse("enterprises:batch_list"),
        {"call": call.pk, "name": "Lahore batch", "capacity": 12, "starts_on": DAY.isoformat()},
    )
    assert call.level1_batches.get().capacity == 12
