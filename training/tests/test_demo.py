import io

import pytest
from django.apps import apps
from django.core.management import call_command
from PIL import Image

from training.models import PhotoPair, PlanItem, Suggestion, Visit, VisitStatus


def training_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_app_config("training").get_models()}


@pytest.fixture(scope="module")
def demo_media(module_db, tmp_path_factory):
    """The demo, seeded once for the module (25 s a time) with its photos in a folder of its own."""
    from django.test import override_settings

    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media):
        call_command("seed_demo", "--seed", "7", "--enterprises", "24", stdout=io.StringIO())
        yield media


@pytest.mark.django_db
def test_seed_demo_adds_training_data_and_a_second_run_changes_no_count(demo_media, settings):
    private_media = settings.MEDIA_ROOT = demo_media
    first = training_counts()
    files = sorted(p.relative_to(private_media) for p in private_media.rglob("*") if p.is_file())
    call_command("seed_demo", "--seed", "7", "--enterprises", "24", stdout=io.StringIO())
    assert training_counts() == first
    assert sorted(p.relative_to(private_media) for p in private_media.rglob("*") if p.is_file()) == files

    submitted = Visit.objects.filter(status=VisitStatus.SUBMITTED)
    assert submitted.filter(consultant__username="consultant").exists()
    assert Visit.objects.filter(status=VisitStatus.DRAFT, consultant__username="consultant").count() == 1
    assert PlanItem.objects.exists() and Suggestion.objects.filter(decision="adopted").exists()
    pair = PhotoPair.objects.exclude(after="").first()
    assert pair is not None
    with Image.open(private_media / pair.before.name) as before, Image.open(private_media / pair.after.name) as after:
        assert before.format == after.format == "JPEG"
    assert (private_media / pair.before_thumb.name).exists()


@pytest.mark.django_db
def test_seed_demo_adds_a_level1_course_and_a_scheduled_level2_group(demo_media):
    from training.models import Attendance, Level1Course, Participant, Session, TrainingGroup

    course = Level1Course.objects.get()
    assert Session.objects.filter(workshop__course=course).count() == 3
    assert Participant.objects.filter(workshop__course=course, decision_maker=True).exists()
    group = TrainingGroup.objects.get()
    assert group.members.exists()
    assert Session.objects.filter(workshop__group=group).count() == 8
    assert Participant.objects.filter(workshop__group=group).exists()
    assert Attendance.objects.filter(present=True).exists() and Attendance.objects.filter(present=False).exists()


@pytest.mark.django_db
def test_the_demo_story_runs_in_order_call_screening_meeting_baseline_level1_level2_follow_ups(demo_media):
    """For every demo enterprise on the 2018 call: its EOI, screening, meeting with the CEO, basic
    round, acceptance, classroom days, Level 1 visits, comprehensive round, Level 1 completed,
    selection, first Level 2 workshop, Level 2 in progress and follow-up round, each on or after the last."""
    from baseline.models import Round, RoundKind
    from enterprises.models import Enterprise, Stage
    from training.models import Session

    def stage_day(enterprise, stage):
        record = enterprise.transitions.filter(to_stage=stage).order_by("at").first()
        return record.at.date() if record else None

    walked = Enterprise.objects.filter(stage__in=[Stage.LEVEL2_IN_PROGRESS, Stage.LEVEL2_COMPLETED])
    assert walked.exists()
    for enterprise in Enterprise.objects.filter(call__opens_on__year=2018).select_related("call"):
        call = enterprise.call
        rounds = {r.kind: r.held_on for r in Round.objects.filter(enterprise=enterprise)}
        meeting = enterprise.ceo_meetings.order_by("held_on").first()
        classroom = list(
            Session.objects.filter(workshop__course__batch=enterprise.batch_id).values_list("date", flat=True)
        )
        level1_visits = list(
            Visit.objects.filter(enterprise=enterprise, purpose="level1_follow_up").values_list("date", flat=True)
        )
        first_workshop = (
            Session.objects.filter(workshop__group__members__enterprise=enterprise).order_by("date").first()
        )
        story = [
            ("call opens", call.opens_on),
            ("EOI", enterprise.expression_of_interest.submitted_at.date()),
            ("screened", stage_day(enterprise, Stage.SCREENED)),
            ("shortlisted", stage_day(enterprise, Stage.SHORTLISTED)),
            ("meeting", meeting.held_on if meeting else None),
            ("basic round", rounds.get(RoundKind.BASIC_BASELINE)),
            ("baseline done", stage_day(enterprise, Stage.BASELINE_DONE)),
            ("accepted", stage_day(enterprise, Stage.LEVEL1_ACCEPTED)),
            ("first classroom day", min(classroom) if classroom and enterprise.stage != Stage.SHORTLISTED else None),
            ("last Level 1 visit", max(level1_visits) if level1_visits else None),
            ("comprehensive round", rounds.get(RoundKind.COMPREHENSIVE_BASELINE)),
            ("Level 1 completed", stage_day(enterprise, Stage.LEVEL1_COMPLETED)),
            ("selected for Level 2", stage_day(enterprise, Stage.LEVEL2_SHORTLISTED)),
            ("first Level 2 workshop", first_workshop.date if first_workshop else None),
            ("Level 2 in progress", stage_day(enterprise, Stage.LEVEL2_IN_PROGRESS)),
            ("follow-up round", rounds.get(RoundKind.FOLLOW_UP)),
        ]
        dated = [(what, day) for what, day in story if day is not None]
        assert dated == sorted(dated, key=lambda item: item[1]), (enterprise.legal_name, dated)
