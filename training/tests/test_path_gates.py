"""The path's gates read the data they name: a complete baseline round, the classroom days attended,
the consultancy visits, the first Level 2 workshop. Each refusal names what is missing and where it
is entered; an officer passes a data gate only with a written justification, recorded on the step."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from baseline.models import Round, RoundKind
from enterprises.models import Stage
from enterprises.path import services as path_services
from enterprises.tests.test_path_helpers import DAY, shortlisted, walk_to
from training.delivery import services as delivery_services
from training.models import TrainingGroup
from training.tests import path_data

pytestmark = pytest.mark.django_db


def refused(enterprise, stage, officer, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as exc:
        path_services.transition(enterprise, stage, by=officer, reason="Checked", **kwargs)
    enterprise.refresh_from_db()
    return exc.value


def test_basic_baseline_needs_a_round_with_every_required_input(officer):
    enterprise = walk_to(shortlisted(officer, number="7100-1"), Stage.CEO_MEETING_HELD, officer)
    exc = refused(enterprise, Stage.BASELINE_DONE, officer)
    assert "a basic baseline measurement round" in exc.messages[0]
    [need] = exc.needs
    assert need.url == reverse("baseline:round_create", args=[enterprise.pk]) + "?kind=basic_baseline"

    round_ = path_data.complete_round(enterprise, RoundKind.BASIC_BASELINE, DAY, officer, gaps=2)
    exc = refused(enterprise, Stage.BASELINE_DONE, officer)
    assert "2 input-months neither entered nor marked “not tracked”" in exc.messages[0]
    assert exc.needs[0].url == reverse("baseline:round_detail", args=[round_.pk])

    path_data.complete_round(enterprise, RoundKind.BASIC_BASELINE, DAY, officer)
    path_services.transition(enterprise, Stage.BASELINE_DONE, by=officer, reason="Round complete")
    assert enterprise.stage == Stage.BASELINE_DONE
    assert enterprise.baseline_done_on == DAY  # the round's date, not a typed one


def test_acceptance_into_level1_needs_the_meeting_and_the_basic_round(officer):
    enterprise = shortlisted(officer, number="7100-2")
    message = refused(enterprise, Stage.LEVEL1_ACCEPTED, officer).messages[0]
    assert "the meeting with the CEO" in message and "a basic baseline measurement round" in message
    walk_to(enterprise, Stage.CEO_MEETING_HELD, officer)
    assert "the meeting" not in refused(enterprise, Stage.LEVEL1_ACCEPTED, officer).messages[0]
    path_data.complete_round(enterprise, RoundKind.BASIC_BASELINE, DAY, officer)
    path_services.transition(enterprise, Stage.LEVEL1_ACCEPTED, by=officer, reason="Committed")
    assert enterprise.stage == Stage.LEVEL1_ACCEPTED


def test_level1_completed_needs_three_days_attended_the_visits_and_the_comprehensive_round(officer):
    enterprise = walk_to(shortlisted(officer, number="7100-3"), Stage.LEVEL1_ACCEPTED, officer)
    enterprise.call.min_consultancy_visits = 3
    enterprise.call.save()
    first_day = datetime.date(2026, 3, 9)
    path_data.attend_level1(enterprise, first_day, officer, days=(1, 3))
    path_data.submit_visits(enterprise, officer, 2, first_day + datetime.timedelta(days=7))
    exc = refused(enterprise, Stage.LEVEL1_COMPLETED, officer)
    message = exc.messages[0]
    assert "attendance at Level 1 classroom day 2" in message
    assert "3 Level 1 consultancy visits (the call's minimum; 2 submitted)" in message
    assert "a comprehensive baseline measurement round" in message
    urls = {need.gate: need.url for need in exc.needs}
    assert urls["attendance"] == reverse("training:level1_course", args=[enterprise.batch_id])
    assert urls["visits"] == reverse("training:enterprise_detail", args=[enterprise.pk])

    path_data.attend_level1(enterprise, first_day, officer)
    path_data.submit_visits(enterprise, officer, 1, first_day + datetime.timedelta(days=60))
    assert "comprehensive" in refused(enterprise, Stage.LEVEL1_COMPLETED, officer).messages[0]
    path_data.complete_round(enterprise, RoundKind.COMPREHENSIVE_BASELINE, datetime.date(2026, 7, 1), officer)
    path_services.transition(enterprise, Stage.LEVEL1_COMPLETED, by=officer, reason="Done", on=DAY)
    assert enterprise.stage == Stage.LEVEL1_COMPLETED
    assert enterprise.comprehensive_baseline_on == datetime.date(2026, 7, 1)


def test_level2_in_progress_once_the_first_workshop_of_its_group_took_place(officer):
    enterprise = walk_to(shortlisted(officer, number="7100-4"), Stage.LEVEL2_SHORTLISTED, officer)
    assert "a place in a Level 2 group" in refused(enterprise, Stage.LEVEL2_IN_PROGRESS, officer).messages[0]
    soon = datetime.date.today() + datetime.timedelta(days=20)
    group = path_data.level2_group(enterprise, soon)
    exc = refused(enterprise, Stage.LEVEL2_IN_PROGRESS, officer)
    assert f"the first workshop of its Level 2 group (“{group.name}”) held" in exc.messages[0]
    assert exc.needs[0].url == reverse("training:group_detail", args=[group.pk])
    group.workshops.get().sessions.update(date=datetime.date.today() - datetime.timedelta(days=1))
    path_services.transition(enterprise, Stage.LEVEL2_IN_PROGRESS, by=officer, reason="First workshop held")
    assert enterprise.stage == Stage.LEVEL2_IN_PROGRESS


def test_an_officer_passes_a_data_gate_only_with_a_written_justification_recorded_on_the_step(officer):
    enterprise = walk_to(shortlisted(officer, number="7100-5"), Stage.CEO_MEETING_HELD, officer)
    refused(enterprise, Stage.BASELINE_DONE, officer, data_justification="   ")
    path_services.transition(
        enterprise,
        Stage.BASELINE_DONE,
        by=officer,
        reason="Baseline taken on paper",
        data_justification="The factory's records are on paper; the consultant enters them next week.",
    )
    record = enterprise.transitions.get(to_stage=Stage.BASELINE_DONE)
    assert record.by == officer
    assert record.data_missing == "a basic baseline measurement round"
    assert record.data_justification.startswith("The factory's records are on paper")
    assert not Round.objects.filter(enterprise=enterprise).exists()


def test_a_step_with_its_data_records_no_justification(officer):
    enterprise = walk_to(shortlisted(officer, number="7100-6"), Stage.BASELINE_DONE, officer)
    record = enterprise.transitions.get(to_stage=Stage.BASELINE_DONE)
    assert (record.data_missing, record.data_justification) == ("", "")


def test_a_level2_group_admits_only_enterprises_selected_for_level2(officer):
    graduate = walk_to(shortlisted(officer, number="7100-7"), Stage.LEVEL2_INTEREST, officer)
    group = TrainingGroup.objects.create(
        name="Faisalabad 1", starts_on=datetime.date(2026, 9, 1), ends_on=datetime.date(2027, 11, 1)
    )
    with pytest.raises(ValidationError, match="is not selected for Level 2 .*“Interest in the full package"):
        delivery_services.add_member(group, graduate)
    assert not group.members.exists()
    path_services.select_for_level2([graduate], by=officer, reason="Strong results")
    graduate.refresh_from_db()
    delivery_services.add_member(group, graduate)
    assert group.members.get().enterprise == graduate


def test_the_enterprise_page_links_each_missing_piece_to_where_it_is_entered(client, officer):
    enterprise = walk_to(shortlisted(officer, number="7100-8"), Stage.CEO_MEETING_HELD, officer)
    client.force_login(officer)
    page = client.get(reverse("enterprises:enterprise_detail", args=[enterprise.pk])).content.decode()
    assert "a basic baseline measurement round" in page
    assert reverse("baseline:round_create", args=[enterprise.pk]) + "?kind=basic_baseline" in page
    response = client.post(
        reverse("enterprises:enterprise_move", args=[enterprise.pk]),
        {"expected_stage": enterprise.stage, "to_stage": Stage.BASELINE_DONE, "reason": "x"},
        follow=True,
    )
    texts = [str(m) for m in response.context["messages"]]
    assert any("still missing a basic baseline measurement round" in t for t in texts)
    assert any("enter it here" in t and "?kind=basic_baseline" in t for t in texts)
