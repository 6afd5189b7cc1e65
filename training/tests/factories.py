"""Builders for training tests: visits, photos (generated with Pillow), EIT, plan, suggestions."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import ExifTags, Image

from training.models import (
    ActionStatus,
    EitMember,
    PlanItem,
    Sex,
    StaffLevel,
    Suggestion,
    Visit,
    VisitAction,
    VisitPurpose,
    VisitStatus,
)
from training.visits import services


def image_bytes(fmt="JPEG", size=(64, 48), color=(200, 30, 30), gps=True) -> bytes:
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    if gps and fmt in ("JPEG", "WEBP", "PNG"):
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"
        exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (31.0, 30.0, 0.0), 3: "E", 4: (74.0, 20.0, 0.0)}
        image.save(out, format=fmt, exif=exif)
    else:
        image.save(out, format=fmt)
    return out.getvalue()


def upload(name="before.jpg", content=None, content_type="image/jpeg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else image_bytes(**kwargs), content_type)


def make_visit(enterprise, consultant, *, status=VisitStatus.SUBMITTED, date=None, actions=0, **fields) -> Visit:
    date = date or timezone.localdate()
    values = {
        "start_time": datetime.time(9, 30),
        "end_time": datetime.time(12, 0),
        "purpose": VisitPurpose.LEVEL1_FOLLOW_UP,
        "people_met": "HR manager, two line supervisors",
        "topics": "EIT formation",
        "findings": "The EIT has met twice.",
        "status": status,
    }
    if status == VisitStatus.SUBMITTED:
        values["submitted_at"] = timezone.now()
    values.update(fields)
    visit = Visit.objects.create(enterprise=enterprise, consultant=consultant, date=date, **values)
    for i in range(actions):
        VisitAction.objects.create(
            visit=visit, what=f"Action {i}", owner="HR manager", due_on=date + datetime.timedelta(days=7)
        )
    return visit


def make_action(visit, *, due_on=None, status=ActionStatus.OPEN, what="Mark walkways in the cutting hall"):
    return VisitAction.objects.create(
        visit=visit, what=what, owner="Production manager", due_on=due_on or timezone.localdate(), status=status
    )


def make_photo_pair(enterprise, by, *, with_after=True, area="Cutting section"):
    return services.store_photo_pair(
        enterprise,
        area=area,
        caption="Fabric rolls off the floor",
        before=upload("before.jpg"),
        after=upload("after.png", image_bytes("PNG", color=(30, 200, 30)), "image/png") if with_after else None,
        by=by,
    )


def make_member(enterprise, name="Ayesha", level=StaffLevel.WORKER, sex=Sex.FEMALE, **extra):
    return EitMember.objects.create(enterprise=enterprise, name=name, level=level, sex=sex, **extra)


def make_plan_item(enterprise, *, due_on=None, status=ActionStatus.OPEN, **extra):
    return PlanItem.objects.create(
        enterprise=enterprise,
        problem=extra.pop("problem", "Fabric rolls on the floor"),
        action="Racks for fabric rolls",
        owner="Store keeper",
        due_on=due_on or timezone.localdate(),
        status=status,
        **extra,
    )


def make_suggestion(enterprise, *, decision="pending", **extra):
    return Suggestion.objects.create(
        enterprise=enterprise,
        text=extra.pop("text", "Switch off the compressors after the shift"),
        submitted_by_level=StaffLevel.WORKER,
        submitted_by_sex=Sex.MALE,
        submitted_on=timezone.localdate(),
        decision=decision,
        **extra,
    )
