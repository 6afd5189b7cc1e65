"""Builders for the classroom delivery tests: batches with a Level 1 course, Level 2 groups, workshops,
sessions, participants and attendance."""

import datetime

from enterprises.models import Level1Batch
from training.delivery import services as delivery_services
from training.models import (
    Attendance,
    GroupMember,
    Module,
    Participant,
    Session,
    Sex,
    StaffLevel,
    TrainingGroup,
    Workshop,
)

MONDAY = datetime.date(2027, 1, 4)


def make_batch(*enterprises, name="Batch 1"):
    batch = Level1Batch.objects.create(call=enterprises[0].call, name=name, capacity=20)
    for enterprise in enterprises:
        enterprise.batch = batch
        enterprise.save(update_fields=["batch"])
    return batch


def make_level1(batch, dates, trainer=None, venue="Lahore Chamber of Commerce"):
    course = delivery_services.set_up_level1_course(batch)
    workshop = course.workshops.get()
    for day, date in enumerate(dates, start=1):
        Session.objects.create(workshop=workshop, day=day, date=date, venue=venue, trainer=trainer)
    return course


def make_group(*enterprises, name="Group A", trainer=None, starts_on=MONDAY, days=400, **extra):
    group = TrainingGroup.objects.create(
        name=name, trainer=trainer, starts_on=starts_on, ends_on=starts_on + datetime.timedelta(days=days), **extra
    )
    for enterprise in enterprises:
        GroupMember.objects.create(group=group, enterprise=enterprise)
    return group


def make_workshop(group, module_number, first_day, trainer=None, days=2):
    workshop = Workshop.objects.create(group=group, module=Module.objects.get(number=module_number))
    for day in range(days):
        Session.objects.create(
            workshop=workshop, day=day + 1, date=first_day + datetime.timedelta(days=day), trainer=trainer
        )
    return workshop


def make_participant(workshop, enterprise, name="Nasreen Bibi", level=StaffLevel.WORKER, sex=Sex.FEMALE, **extra):
    return Participant.objects.create(
        workshop=workshop,
        enterprise=enterprise,
        name=name,
        position=extra.pop("position", "Operator"),
        level=level,
        sex=sex,
        phone=extra.pop("phone", "0300 1234567"),
        **extra,
    )


def nominate_four(workshop, enterprise, prefix=""):
    """Two managers (a woman and a man) and two workers (a woman and a man)."""
    return [
        make_participant(workshop, enterprise, f"{prefix}Samina", StaffLevel.MANAGER, Sex.FEMALE),
        make_participant(workshop, enterprise, f"{prefix}Tariq", StaffLevel.MANAGER, Sex.MALE),
        make_participant(workshop, enterprise, f"{prefix}Nasreen", StaffLevel.WORKER, Sex.FEMALE),
        make_participant(workshop, enterprise, f"{prefix}Rashid", StaffLevel.WORKER, Sex.MALE),
    ]


def mark(session, participant, present=True):
    return Attendance.objects.update_or_create(session=session, participant=participant, defaults={"present": present})[
        0
    ]
