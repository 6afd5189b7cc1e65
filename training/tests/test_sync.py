"""The phone's outbox sends visits and photo pairs to the sync endpoints: once however often it is sent,
held to the online forms' validation, within the user's scope, and never overwriting a locked visit."""

import json
import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from training.models import PhotoPair, Visit, VisitAction, VisitDraft, VisitStatus

from .factories import image_bytes, upload


def visit_record(enterprise, *, client_id=None, submit=False, **fields):
    values = {
        "date": "2026-01-12",
        "start_time": "09:30",
        "end_time": "12:00",
        "purpose": "level1_follow_up",
        "module": "",
        "people_met": "HR manager",
        "topics": "EIT minutes",
        "findings": "Walkways are marked in the cutting hall.",
        "next_visit_on": "",
    }
    values.update(fields)
    return {
        "client_id": str(client_id or uuid.uuid4()),
        "visit": None,
        "enterprise": enterprise.pk,
        "submit": submit,
        "fields": values,
        "actions": [
            {
                "client_id": str(uuid.uuid4()),
                "what": "Racks for fabric rolls",
                "owner": "Store keeper",
                "due_on": "2026-01-26",
                "status": "open",
            },
            {
                "client_id": str(uuid.uuid4()),
                "what": "Label the exits",
                "owner": "Safety officer",
                "due_on": "2026-01-30",
                "status": "open",
            },
        ],
    }


def send(client, record):
    return client.post(reverse("training:sync_visit"), json.dumps(record), content_type="application/json")


@pytest.fixture
def phone(client, consultant):
    client.force_login(consultant)
    return client


@pytest.mark.django_db
def test_a_draft_sent_twice_makes_one_visit_and_keeps_the_text_as_its_draft(phone, consultant, enterprise):
    record = visit_record(enterprise)
    first, second = send(phone, record), send(phone, record)
    assert first.status_code == second.status_code == 200
    assert first.json()["visit"] == second.json()["visit"]
    visit = Visit.objects.get(client_id=record["client_id"])
    assert (visit.enterprise, visit.consultant, visit.status) == (enterprise, consultant, VisitStatus.DRAFT)
    assert Visit.objects.count() == 1
    draft = VisitDraft.objects.get(visit=visit)
    assert draft.data["findings"] == ["Walkways are marked in the cutting hall."]
    assert draft.data["actions-1-what"] == ["Label the exits"]
    # The online page shows what the phone typed.
    page = phone.get(reverse("training:visit_edit", args=[visit.pk]))
    assert "Walkways are marked in the cutting hall." in page.content.decode()


@pytest.mark.django_db
def test_a_submission_repeated_after_a_timeout_gives_one_visit_and_one_of_each_action(phone, enterprise):
    record = visit_record(enterprise, submit=True)
    # An "Add an action" left unused is skipped, as online.
    record["actions"].append({"client_id": str(uuid.uuid4()), "what": "", "owner": "", "due_on": "", "status": "open"})
    answers = [send(phone, record) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert {a.json()["outcome"] for a in answers} == {"submitted"}
    visit = Visit.objects.get()
    assert visit.status == VisitStatus.SUBMITTED and visit.version == 1
    assert sorted(VisitAction.objects.values_list("what", flat=True)) == ["Label the exits", "Racks for fabric rolls"]
    assert {str(a.client_id) for a in visit.actions.all()} == {a["client_id"] for a in record["actions"][:2]}
    assert not VisitDraft.objects.filter(visit=visit).exists()
    assert visit.history.count() == 2  # made as a draft, then submitted: no third version from the repeats


@pytest.mark.django_db(transaction=True)
def test_two_submissions_of_the_same_record_at_once_give_one_visit(consultant, enterprise):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks between two connections")
    record = visit_record(enterprise, submit=True)
    answers = []

    def sync():
        client = Client()
        client.force_login(consultant)
        answers.append(send(client, record).status_code)
        connection.close()

    threads = [threading.Thread(target=sync) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [200, 200]
    assert Visit.objects.count() == 1 and VisitAction.objects.count() == 2


@pytest.mark.django_db
def test_a_submission_is_held_to_the_online_forms_rules_and_the_text_is_kept_as_draft(phone, enterprise):
    record = visit_record(enterprise, submit=True, start_time="12:00", end_time="09:30", purpose="")
    record["actions"][1]["due_on"] = "not a date"
    response = send(phone, record)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["end_time"] == ["The visit must end after it starts."]
    assert "purpose" in errors and "actions-1-due_on" in errors
    visit = Visit.objects.get()
    assert visit.status == VisitStatus.DRAFT and VisitAction.objects.count() == 0
    assert VisitDraft.objects.get(visit=visit).data["findings"] == ["Walkways are marked in the cutting hall."]


@pytest.mark.django_db
def test_a_level2_follow_up_needs_its_module_as_online(phone, enterprise):
    response = send(phone, visit_record(enterprise, submit=True, purpose="level2_follow_up"))
    assert response.status_code == 400
    assert response.json()["errors"]["module"] == ["Choose the module this follow-up is about."]


@pytest.mark.django_db
def test_changed_text_for_a_submitted_visit_is_a_conflict_and_changes_nothing(phone, enterprise):
    record = visit_record(enterprise, submit=True)
    assert send(phone, record).status_code == 200
    record["fields"]["findings"] = "Typed later on the phone: exits blocked by cartons."
    for submit in (False, True):
        record["submit"] = submit
        response = send(phone, record)
        assert response.status_code == 409
        body = response.json()
        assert body["outcome"] == "conflict" and "locked" in body["message"]
        assert body["server"]["findings"] == "Walkways are marked in the cutting hall."
    visit = Visit.objects.get()
    assert visit.findings == "Walkways are marked in the cutting hall." and visit.version == 1
    assert not VisitDraft.objects.filter(visit=visit).exists()


@pytest.mark.django_db
def test_a_visit_opened_online_is_synced_under_its_own_number(phone, consultant, enterprise):
    from training.visits import services

    visit, _created = services.start_visit(enterprise, consultant)
    page = phone.get(reverse("training:visit_edit", args=[visit.pk]))
    visit.refresh_from_db()
    assert visit.client_id and str(visit.client_id) in page.content.decode()
    record = visit_record(enterprise, client_id=visit.client_id, submit=True)
    record["visit"] = visit.pk
    assert send(phone, record).status_code == 200
    assert Visit.objects.get().status == VisitStatus.SUBMITTED


@pytest.mark.django_db
def test_a_consultant_cannot_sync_to_an_enterprise_not_assigned(client, consultant, other_enterprise):
    client.force_login(consultant)
    response = send(client, visit_record(other_enterprise, submit=True))
    assert response.status_code == 404
    assert Visit.objects.count() == 0


@pytest.mark.django_db
def test_nobody_else_can_take_over_a_visit_by_its_id(client, phone, enterprise, other_consultant, contact):
    record = visit_record(enterprise)
    send(phone, record)
    client.force_login(other_consultant)
    assert send(client, record).status_code == 404
    client.force_login(contact)
    assert send(client, record).status_code == 404  # a contact does not see the draft at all
    assert Visit.objects.count() == 1 and Visit.objects.get().consultant.username != other_consultant.username


@pytest.mark.django_db
def test_a_contact_only_reads_and_cannot_sync_a_visit(client, contact, enterprise):
    client.force_login(contact)
    assert send(client, visit_record(enterprise)).status_code == 403
    assert Visit.objects.count() == 0


@pytest.mark.django_db
def test_the_sync_needs_a_login_and_the_csrf_token(client, consultant, enterprise):
    assert send(client, visit_record(enterprise)).status_code == 302
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(consultant)
    assert send(strict, visit_record(enterprise)).status_code == 403
    strict.get(reverse("training:visit_start", args=[enterprise.pk]))
    token = strict.cookies["csrftoken"].value
    response = strict.post(
        reverse("training:sync_visit"),
        json.dumps(visit_record(enterprise)),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["not json", "[]", '{"client_id": "nope", "enterprise": 1}', '{"fields": 3}'])
def test_a_broken_record_is_refused_without_a_server_error(phone, body):
    response = phone.post(reverse("training:sync_visit"), body, content_type="application/json")
    assert response.status_code == 400
    assert Visit.objects.count() == 0


# ---------------------------------------------------------------- photos
def send_photo(client, enterprise, client_id, before):
    return client.post(
        reverse("training:sync_photo", args=[enterprise.pk]),
        {"client_id": str(client_id), "area": "Fabric store", "caption": "", "before": before},
    )


@pytest.mark.django_db
def test_a_photo_pair_sent_twice_is_stored_once_cleaned_and_thumbnailed(phone, enterprise, private_media):
    client_id = uuid.uuid4()
    first = send_photo(phone, enterprise, client_id, upload("before.jpg", image_bytes()))
    second = send_photo(phone, enterprise, client_id, upload("before.jpg", image_bytes()))
    assert first.status_code == second.status_code == 200
    pair = PhotoPair.objects.get()
    assert first.json()["pair"] == second.json()["pair"] == pair.pk
    assert pair.before_thumb.name and len(list(private_media.rglob("*.jpg"))) == 2


@pytest.mark.django_db
def test_a_disguised_photo_from_the_phone_is_refused_by_content(phone, enterprise, private_media):
    response = send_photo(phone, enterprise, uuid.uuid4(), upload("before.jpg", b"#!/bin/sh\nrm -rf /\n"))
    assert response.status_code == 400
    assert "not a JPEG, PNG or WebP photo" in json.dumps(response.json()["errors"])
    assert PhotoPair.objects.count() == 0


@pytest.mark.django_db
def test_a_consultant_cannot_sync_photos_to_an_enterprise_not_assigned(phone, other_enterprise):
    assert send_photo(phone, other_enterprise, uuid.uuid4(), upload("before.jpg")).status_code == 404
    assert PhotoPair.objects.count() == 0


@pytest.mark.django_db
def test_a_wrong_pair_is_replaced_or_removed_and_the_earlier_stays_in_history(phone, enterprise, private_media):
    send_photo(phone, enterprise, uuid.uuid4(), upload("before.jpg"))
    pair = PhotoPair.objects.get()
    first_before = pair.before.name
    response = phone.post(
        reverse("training:photo_replace", args=[pair.pk]),
        {"area": "Cutting section", "caption": "", "before": upload("right.jpg")},
    )
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.before.name != first_before and pair.area == "Cutting section"
    assert first_before in {h.before for h in pair.history.all()}
    assert (private_media / first_before).exists()  # the history's photo is still there
    assert phone.post(reverse("training:photo_remove", args=[pair.pk])).status_code == 302
    assert PhotoPair.objects.count() == 0 and PhotoPair.all_objects.count() == 1
    assert pair.history.first().history_change_reason == "Removed as wrong"
    assert phone.get(reverse("training:photo_file", args=[pair.pk, "before"])).status_code == 404


# ---------------------------------------------------------------- service worker and manifest
@pytest.mark.django_db
def test_the_service_worker_is_served_from_the_root_without_long_caching(phone):
    response = phone.get("/service-worker.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript") and response["Cache-Control"] == "no-cache"
    assert b'addEventListener("fetch"' in response.content
    assert "Content-Security-Policy" in response


@pytest.mark.django_db
def test_the_manifest_is_public_and_names_the_icons(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200 and response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["start_url"] == reverse("training:home") and manifest["display"] == "standalone"
    assert [icon["sizes"] for icon in manifest["icons"]] == ["192x192", "512x512"]


@pytest.mark.django_db
def test_the_phone_keeps_the_assigned_enterprises_pages_only(phone, enterprise, other_enterprise):
    pages = phone.get(reverse("training:offline_pages")).json()["pages"]
    assert reverse("training:visit_start", args=[enterprise.pk]) in pages
    assert reverse("training:enterprise_detail", args=[enterprise.pk]) in pages
    assert not any(f"/enterprises/{other_enterprise.pk}/" in page for page in pages)
