"""The records the path's gates read, made as the people who keep them would: a complete baseline
round, the three Level 1 classroom days attended, submitted consultancy visits, a Level 2 group
whose first workshop was held. Used by the path tests of every app (this module holds no tests)."""

import datetime

from baseline import rules as baseline_rules
from baseline import services as baseline_services
from baseline.gates import REQUIRED_INPUTS
from baseline.models import Round, RoundKind
from enterprises.models import Stage
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
    Visit,
    VisitPurpose,
    VisitStatus,
    Workshop,
)


def complete_round(enterprise, kind, held_on, by, *, gaps=0) -> Round:
    """A baseline round whose required inputs are all marked "not tracked" (which counts as entered),
    but for the last `gaps` inputs of its first month."""
    round_ = Round.objects.filter(enterprise=enterprise, kind=kind).first() or baseline_services.create_round(
        enterprise, kind=kind, held_on=held_on, first_month=held_on.replace(day=1), months=1, by=by
    )
    codes = REQUIRED_INPUTS[: len(REQUIRED_INPUTS) - gaps]
    baseline_services.save_rows(
        round_, [(held_on.replace(day=1), dict.fromkeys(codes, baseline_rules.NOT_TRACKED))], by=by, confirmed=True
    )
    return round_


def attend_level1(enterprise, first_day, by, *, days=(1, 2, 3)):
    """The batch's three classroom days (from `first_day`), one participant of the enterprise present on `days`."""
    course = delivery_services.set_up_level1_course(enterprise.batch)
    workshop = course.workshops.get()
    person, _new = Participant.objects.get_or_create(
        workshop=workshop,
        enterprise=enterprise,
        name="Samina Akhtar",
        defaults={"position": "HR manager", "level": StaffLevel.MANAGER, "sex": Sex.FEMALE, "added_by": by},
    )
    for day in (1, 2, 3):
        session, _new = Session.objects.get_or_create(
            workshop=workshop, day=day, defaults={"date": first_day + datetime.timedelta(days=day - 1)}
        )
        if day in days:
            Attendance.objects.update_or_create(session=session, participant=person, defaults={"present": True})
    return course


def submit_visits(enterprise, consultant, count, first_day):
    for number in range(count):
        date = first_day + datetime.timedelta(days=21 * number)
        Visit.objects.create(
            enterprise=enterprise,
            consultant=consultant,
            date=date,
            start_time=datetime.time(9),
            end_time=datetime.time(12),
            purpose=VisitPurpose.LEVEL1_FOLLOW_UP,
            topics=f"Follow-up {number + 1}",
            status=VisitStatus.SUBMITTED,
        )


def level1_training(enterprise, by, day):
    """Everything Level 1 completed reads but the comprehensive round."""
    attend_level1(enterprise, day, by)
    submit_visits(enterprise, by, enterprise.call.min_consultancy_visits, day + datetime.timedelta(days=10))


def level2_group(enterprise, first_workshop_on, *, name=None) -> TrainingGroup:
    group, _new = TrainingGroup.objects.get_or_create(
        name=name or f"Level 2 group of {enterprise.legal_name}",
        defaults={"starts_on": first_workshop_on, "ends_on": first_workshop_on + datetime.timedelta(days=420)},
    )
    if enterprise.stage == Stage.LEVEL2_SHORTLISTED:
        delivery_services.add_member(group, enterprise)
    else:
        GroupMember.objects.get_or_create(enterprise=enterprise, defaults={"group": group})
    workshop, _new = Workshop.objects.get_or_create(group=group, module=Module.objects.get(number=2))
    Session.objects.get_or_create(workshop=workshop, day=1, defaults={"date": first_workshop_on})
    return group


def data_for(enterprise, stage, by, day):
    """Whatever the gate of `stage` reads, for an enterprise about to take that step on `day`."""
    if stage == Stage.BASELINE_DONE:
        complete_round(enterprise, RoundKind.BASIC_BASELINE, day, by)
    elif stage == Stage.LEVEL1_COMPLETED:
        level1_training(enterprise, by, day - datetime.timedelta(days=100))
        complete_round(enterprise, RoundKind.COMPREHENSIVE_BASELINE, day, by)
    elif stage == Stage.LEVEL2_IN_PROGRESS:
        level2_group(enterprise, day)
