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
