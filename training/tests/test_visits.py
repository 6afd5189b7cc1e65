import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from training.models import Module, Visit, VisitAction, VisitDraft, VisitStatus
from training.visits import access, services

from .factories import make_action, make_visit


def visit_form_data(**overrides):
    data = {
        "date": "2026-01-12",
        "start_time": "09:30",
        "end_time": "12:00",
        "purpose": "level1_follow_up",
        "module": "",
        "people_met": "HR manager; two supervisors",
        "topics": "EIT meeting minutes",
        "findings": "Walkways are marked in the cutting hall.",
        "next_visit_on": "2026-02-09",
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "1000",
        "actions-0-what": "Racks for fabric rolls",
        "actions-0-owner": "Store keeper",
        "actions-0-due_on": "2026-01-26",
        "actions-0-status": "open",
    }
    data.update(overrides)
    return data


@pytest.fixture
def started(client, consultant, enterprise):
    client.force_login(consultant)
    response = client.post(reverse("training:visit_start", args=[enterprise.pk]))
    visit = Visit.objects.get(enterprise=enterprise, consultant=consultant)
    assert response.status_code == 302 and response["Location"] == reverse("training:visit_edit", args=[visit.pk])
    return visit


@pytest.mark.django_db
def test_modules_are_loaded_with_their_objectives():
    titles = dict(Module.objects.values_list("number", "title"))
    assert titles[1] == "Workplace Cooperation – A foundation for business success"
    assert titles[5] == "Safety & Health at Work: A Platform for Productivity"
    assert len(titles) == 5
    assert "Reduce defects systematically" in Module.objects.get(number=2).objective_list


@pytest.mark.django_db
def test_starting_again_resumes_the_unfinished_draft(client, started, enterprise):
    client.post(reverse("training:visit_start", args=[enterprise.pk]))
    assert Visit.objects.filter(enterprise=enterprise).count() == 1


@pytest.mark.django_db
def test_autosave_keeps_the_half_filled_form_and_the_page_shows_it_again(client, started):
    response = client.post(
        reverse("training:visit_autosave", args=[started.pk]),
        {
            "findings": "Half-written finding",
            "actions-TOTAL_FORMS": "1",
            "actions-INITIAL_FORMS": "0",
            "actions-0-what": "Racks",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and b"Draft saved at" in response.content
    draft = VisitDraft.objects.get(visit=started)
    assert draft.data["findings"] == ["Half-written finding"]
    assert "csrfmiddlewaretoken" not in draft.data

    page = client.get(reverse("training:visit_edit", args=[started.pk])).content.decode()
    assert "Half-written finding" in page and 'value="Racks"' in page
    assert "This field is required" not in page  # a draft is not judged until it is submitted
    # The visit itself did not change, and autosaving added no history.
    started.refresh_from_db()
    assert started.findings == "" and started.history.count() == 1


@pytest.mark.django_db
def test_a_draft_survives_an_interrupted_submission(client, started, monkeypatch):
    client.post(reverse("training:visit_autosave", args=[started.pk]), visit_form_data())

    def connection_lost(*args, **kwargs):
        # The submission gets as far as writing the visit and an action, then fails.
        Visit.objects.filter(pk=started.pk).update(status=VisitStatus.SUBMITTED, findings="half", submitted_at=None)
        VisitAction.objects.create(visit=started, what="half", owner="x", due_on=timezone.localdate())
        raise ConnectionError("client went away")

    monkeypatch.setattr(services, "_save_visit_and_actions", connection_lost)
    client.raise_request_exception = False
    response = client.post(reverse("training:visit_edit", args=[started.pk]), visit_form_data())
    assert response.status_code == 500

    started.refresh_from_db()
    assert started.status == VisitStatus.DRAFT and started.findings == ""  # the half-done submission rolled back
    assert not started.actions.exists()
    assert VisitDraft.objects.get(visit=started).data["findings"] == ["Walkways are marked in the cutting hall."]
    page = client.get(reverse("training:visit_edit", args=[started.pk])).content.decode()
    assert "Walkways are marked in the cutting hall." in page and 'value="Racks for fabric rolls"' in page


@pytest.mark.django_db
def test_an_invalid_submission_keeps_the_draft_and_says_what_is_missing(client, started):
    response = client.post(reverse("training:visit_edit", args=[started.pk]), visit_form_data(end_time="08:00"))
    assert response.status_code == 200
    assert "The visit must end after it starts." in response.content.decode()
    assert VisitDraft.objects.get(visit=started).data["end_time"] == ["08:00"]
    started.refresh_from_db()
    assert started.status == VisitStatus.DRAFT


@pytest.mark.django_db
def test_a_level2_follow_up_needs_its_module(client, started):
    response = client.post(
        reverse("training:visit_edit", args=[started.pk]), visit_form_data(purpose="level2_follow_up")
    )
    assert "Choose the module this follow-up is about." in response.content.decode()
    module = Module.objects.get(number=3)
    data = visit_form_data(purpose="level2_follow_up", module=str(module.pk))
    assert client.post(reverse("training:visit_edit", args=[started.pk]), data).status_code == 302
    started.refresh_from_db()
    assert started.module == module


@pytest.mark.django_db
def test_submitting_locks_the_visit_and_an_amendment_keeps_the_previous_version(client, started, consultant):
    response = client.post(reverse("training:visit_edit", args=[started.pk]), visit_form_data())
    assert response.status_code == 302
    started.refresh_from_db()
    assert started.status == VisitStatus.SUBMITTED and started.submitted_at and started.version == 1
    assert not VisitDraft.objects.filter(visit=started).exists()
    action = started.actions.get()
    assert action.what == "Racks for fabric rolls"

    # Locked: a submission without a reason is not an amendment and changes nothing.
    data = visit_form_data(
        findings="Walkways marked; fire exits cleared.",
        **{"actions-TOTAL_FORMS": "1", "actions-INITIAL_FORMS": "1", "actions-0-id": str(action.pk)},
    )
    response = client.post(reverse("training:visit_edit", args=[started.pk]), data)
    assert response.status_code == 200
    started.refresh_from_db()
    assert started.findings == "Walkways are marked in the cutting hall."

    data["reason"] = "Forgot the fire exits"
    data["actions-0-status"] = "done"
    response = client.post(reverse("training:visit_edit", args=[started.pk]), data)
    assert response.status_code == 302
    started.refresh_from_db()
    assert started.findings == "Walkways marked; fire exits cleared." and started.version == 2
    versions = list(started.history.order_by("history_date", "history_id"))
    submitted = [v for v in versions if v.status == VisitStatus.SUBMITTED]
    assert submitted[0].findings == "Walkways are marked in the cutting hall." and submitted[0].version == 1
    assert submitted[-1].history_change_reason == "Forgot the fire exits"
    assert submitted[-1].history_user == consultant
    assert action.history.count() == 2

    page = client.get(reverse("training:visit_history", args=[started.pk])).content.decode()
    assert "Walkways are marked in the cutting hall." in page and "Forgot the fire exits" in page


@pytest.mark.django_db
def test_a_submitted_visit_cannot_be_submitted_again_through_the_service(consultant, enterprise):
    from training.visits.forms import ActionFormSet, VisitForm

    visit = make_visit(enterprise, consultant)
    form = VisitForm(visit_form_data(), instance=visit)
    formset = ActionFormSet(visit_form_data(), instance=visit, prefix="actions")
    assert form.is_valid() and formset.is_valid()
    with pytest.raises(Exception, match="already submitted"):
        services.submit_visit(visit, form, formset, by=consultant)


@pytest.mark.django_db
def test_the_visit_list_runs_a_bounded_number_of_queries(client, consultant, enterprise, django_assert_max_num_queries):
    for day in range(40):
        visit = make_visit(enterprise, consultant, date=timezone.localdate() - datetime.timedelta(days=day), actions=2)
        make_action(visit, status="done")
    client.force_login(consultant)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("training:visit_list"))
    assert response.status_code == 200
    assert response.content.decode().count("Indus Knitwear") >= 25


@pytest.mark.django_db
def test_action_status_is_followed_up_without_amending(client, consultant, enterprise):
    visit = make_visit(enterprise, consultant)
    action = make_action(visit)
    client.force_login(consultant)
    client.post(reverse("training:action_status", args=[action.pk]), {"status": "done"})
    action.refresh_from_db()
    visit.refresh_from_db()
    assert action.status == "done" and visit.version == 1


@pytest.mark.django_db
def test_visit_permissions_agree_with_the_visit_scope(consultant, other_consultant, contact, officer, enterprise):
    visit = make_visit(enterprise, consultant)
    draft = make_visit(enterprise, consultant, status=VisitStatus.DRAFT)
    assert access.can_edit_visit(consultant, visit) and access.can_edit_visit(officer, draft)
    assert visit in access.visible_visits(contact) and draft not in access.visible_visits(contact)
    assert not access.can_edit_visit(contact, visit)
    assert visit not in access.visible_visits(other_consultant)
