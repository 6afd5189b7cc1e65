"""Demo training data: visits with agreed actions, EIT members and meetings, plan items,
suggestions and 5S before/after photo pairs (drawn with Pillow) for the enterprises in training;
and the classroom delivery: a Level 1 course for the batch with the most enterprises in training (three
days, nominees, attendance) and a Level 2 group scheduled by the scheduler, with participants and
attendance for its past workshops.

Idempotent: rows are found by a natural key and only changed fields are saved (so a second run adds
no history rows); photo files have fixed names and are overwritten. Dates count from today, so a run
on a later day moves them, which is what a demo wants.
"""

import datetime
import io
import random

from django.db.models import Count, Q
from django.utils import timezone
from PIL import Image, ImageDraw

from enterprises.models import IN_PROGRAMME_STAGES, ConsultantAssignment, Enterprise, Level1Batch

from .delivery import rules as delivery_rules
from .delivery import selectors as delivery_selectors
from .delivery import services as delivery_services
from .models import (
    ActionStatus,
    Attendance,
    EitMeeting,
    EitMember,
    GroupMember,
    Module,
    Participant,
    PhotoPair,
    PlanItem,
    Session,
    Sex,
    StaffLevel,
    Suggestion,
    SuggestionDecision,
    TrainingGroup,
    Visit,
    VisitAction,
    VisitPurpose,
    VisitStatus,
    default_short_weekdays,
)
from .visits import services

MEMBERS = [
    ("Tariq Mehmood", StaffLevel.MANAGER, Sex.MALE, "Production"),
    ("Samina Akhtar", StaffLevel.MANAGER, Sex.FEMALE, "Human resources"),
    ("Rashid Ali", StaffLevel.WORKER, Sex.MALE, "Cutting"),
    ("Nasreen Bibi", StaffLevel.WORKER, Sex.FEMALE, "Stitching"),
    ("Kashif Iqbal", StaffLevel.WORKER, Sex.MALE, "Finishing"),
    ("Rubina Kausar", StaffLevel.WORKER, Sex.FEMALE, "Quality"),
]

PLAN = [
    ("Fabric rolls stored on the floor of the cutting hall", "Install racks and mark the storage area", 1, "5S-01"),
    ("High rework rate on the stitching line", "Hourly quality checks and a defect tally board", 2, "QUAL-DEF"),
    ("Compressors left running after the shift", "Switch-off checklist for the maintenance crew", 3, "CP-ENERGY"),
    ("Workers leave within their first three months", "Induction programme and buddy system", 4, "HR-TURNOVER"),
    ("Blocked fire exits in the finishing section", "Keep exits clear; weekly walk-through by the EIT", 5, "OSH-EXITS"),
]

SUGGESTIONS = [
    ("Switch off the workshop lights and compressors after hours", StaffLevel.WORKER, Sex.MALE, 45000),
    ("Colour-coded bins for fabric offcuts", StaffLevel.WORKER, Sex.FEMALE, 12000),
    ("A drinking-water cooler near the stitching line", StaffLevel.WORKER, Sex.FEMALE, None),
    ("Shadow boards for tools in maintenance", StaffLevel.MANAGER, Sex.MALE, 8000),
    ("Better food in the canteen on night shifts", StaffLevel.WORKER, Sex.MALE, None),
]

PHOTO_AREAS = [
    ("Cutting section", "Fabric rolls off the floor and on labelled racks", (120, 90, 60), (70, 140, 90)),
    ("Fabric store", "Aisles marked in yellow, shelves labelled", (110, 80, 80), (60, 120, 150)),
    ("Maintenance workshop", "Tools on a shadow board", (90, 90, 70), (80, 150, 110)),
]

VISIT_TOPICS = [
    (VisitPurpose.BASELINE, "Baseline assessment: records, workforce, production data"),
    (VisitPurpose.LEVEL1_FOLLOW_UP, "Forming the EIT; first improvement plan"),
    (VisitPurpose.LEVEL1_FOLLOW_UP, "5S in the cutting hall; suggestion scheme launch"),
    (VisitPurpose.LEVEL2_FOLLOW_UP, "Module follow-up: progress on the plan items"),
]


def _sync(model, lookup: dict, values: dict):
    """get_or_create, then save only the fields that differ (no history row when nothing moved)."""
    obj, created = model.objects.get_or_create(**lookup, defaults=values)
    if not created:
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save(update_fields=changed)
    return obj


def _picture(color, seed: str, *, tidy: bool) -> bytes:
    """A small made-up workshop picture: messy boxes before, neat rows after."""
    rng = random.Random(seed)
    image = Image.new("RGB", (640, 480), color)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 380, 640, 480), fill=(70, 70, 70))
    if tidy:
        draw.line((0, 380, 640, 380), fill=(240, 200, 0), width=8)
        for row in range(3):
            for col in range(6):
                x, y = 40 + col * 95, 60 + row * 105
                draw.rectangle((x, y, x + 70, y + 80), fill=(200, 200, 210), outline=(40, 40, 40), width=3)
    else:
        for _i in range(22):
            x, y = rng.randint(0, 580), rng.randint(120, 420)
            w, h = rng.randint(30, 110), rng.randint(20, 70)
            shade = rng.randint(120, 220)
            draw.rectangle((x, y, x + w, y + h), fill=(shade, shade - 30, shade - 60), outline=(30, 30, 30))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _write_photo(enterprise, stem: str, color, *, tidy: bool) -> tuple[str, str]:
    # A fixed name, written over on the next run, so that a re-run adds no files.
    picture = _picture(color, f"training/photos/{enterprise.pk}/{stem}", tidy=tidy)
    return services.write_photo(enterprise, io.BytesIO(picture), stem, overwrite=True)


def _seed_photos(enterprise, by, rng, today):
    for index, (area, caption, before_color, after_color) in enumerate(PHOTO_AREAS[: rng.randint(1, 3)]):
        before, before_thumb = _write_photo(enterprise, f"demo-{index}-before", before_color, tidy=False)
        has_after = index < 2
        after, after_thumb = (
            _write_photo(enterprise, f"demo-{index}-after", after_color, tidy=True) if has_after else ("", "")
        )
        _sync(
            PhotoPair,
            {"enterprise": enterprise, "area": area},
            {
                "caption": caption,
                "before": before,
                "before_thumb": before_thumb,
                "before_taken_on": today - datetime.timedelta(days=70 - index),
                "after": after,
                "after_thumb": after_thumb,
                "after_taken_on": today - datetime.timedelta(days=10 - index) if has_after else None,
                "uploaded_by": by,
            },
        )


# Days after the batch opens (the path's dates count from there; see enterprises.demo.STEPS, where
# the meeting is on day 7, acceptance into Level 1 on day 21, Level 1 completed on day 130 and
# Level 2 in progress on day 165): the baseline visit, two Level 1 follow-ups, a Level 2 follow-up.
VISIT_DAYS = [10, 45, 75, 200]
LEVEL1_FIRST_DAY = 24  # the classroom days, just after the acceptance
LEVEL2_WINDOW_START = 152  # after the selection for Level 2 (day 150)


def _path_start(enterprise, today) -> datetime.date:
    batch = enterprise.batch
    return batch.starts_on if batch and batch.starts_on else today - datetime.timedelta(days=200)


def _visit_topics(stage) -> list:
    if stage in ("level2_in_progress", "level2_completed"):
        return VISIT_TOPICS
    if stage in ("shortlisted", "ceo_meeting_held", "baseline_done"):
        return VISIT_TOPICS[:1]
    return VISIT_TOPICS[:3]


def _seed_visits(enterprise, consultant, today, modules, *, stage=None):
    """The enterprise's visits on its path's own dates, each drawn from its own random stream."""
    start = _path_start(enterprise, today)
    for index, (purpose, topic) in enumerate(_visit_topics(stage or enterprise.stage)):
        rng = random.Random(f"visit-{enterprise.registration_key}-{index}")
        date = start + datetime.timedelta(days=VISIT_DAYS[index])
        visit = _sync(
            Visit,
            {"enterprise": enterprise, "topics": topic},
            {
                "consultant": consultant,
                "date": date,
                "start_time": datetime.time(9 + index % 3, 0),
                "end_time": datetime.time(12 + index % 3, 30),
                "purpose": purpose,
                "module": modules[rng.randint(2, 5)] if purpose == VisitPurpose.LEVEL2_FOLLOW_UP else None,
                "people_met": "CEO, HR manager, two EIT workers",
                "findings": rng.choice(
                    [
                        "The EIT meets every two weeks; minutes are kept.",
                        "Walkways marked; fabric rolls still on the floor in one corner.",
                        "Suggestion box installed; eight suggestions in the first month.",
                        "Defect tally board in use on line 3.",
                    ]
                ),
                "next_visit_on": date + datetime.timedelta(days=21),
                "status": VisitStatus.SUBMITTED,
                "submitted_at": timezone.make_aware(datetime.datetime.combine(date, datetime.time(17))),
            },
        )
        for number, (what, owner) in enumerate(
            [("Mark the walkways in yellow", "Production manager"), ("Hold the next EIT meeting", "HR manager")]
        ):
            due = date + datetime.timedelta(days=7 + number * 7)
            status = ActionStatus.DONE if due < today - datetime.timedelta(days=14) else ActionStatus.OPEN
            _sync(VisitAction, {"visit": visit, "what": what}, {"owner": owner, "due_on": due, "status": status})


def _seed_eit(enterprise, by, rng, today, modules):
    members = [
        _sync(
            EitMember,
            {"enterprise": enterprise, "name": name},
            {"level": level, "sex": sex, "department": department, "active": True},
        )
        for name, level, sex, department in MEMBERS[: rng.randint(4, 6)]
    ]
    for number in range(3):
        meeting = _sync(
            EitMeeting,
            {"enterprise": enterprise, "held_on": today - datetime.timedelta(days=60 - number * 14)},
            {"decisions": "Agreed the next 5S area and who follows the plan items.", "recorded_by": by},
        )
        wanted = {m.pk for m in members if (m.pk + number) % 4}
        if set(meeting.attendees.values_list("pk", flat=True)) != wanted:
            meeting.attendees.set(wanted)
    for index, (problem, action, module_number, indicator) in enumerate(PLAN):
        due = today + datetime.timedelta(days=-30 + index * 15)
        status = [ActionStatus.DONE, ActionStatus.IN_PROGRESS, ActionStatus.OPEN][index % 3]
        _sync(
            PlanItem,
            {"enterprise": enterprise, "problem": problem},
            {
                "action": action,
                "owner": MEMBERS[index % len(MEMBERS)][0],
                "due_on": due,
                "status": status,
                "module": modules[module_number],
                "indicator_code": indicator,
            },
        )
    for index, (text, level, sex, savings) in enumerate(SUGGESTIONS):
        decision = [SuggestionDecision.ADOPTED, SuggestionDecision.ADOPTED, SuggestionDecision.PENDING][index % 3]
        _sync(
            Suggestion,
            {"enterprise": enterprise, "text": text},
            {
                "submitted_by_level": level,
                "submitted_by_sex": sex,
                "submitted_on": today - datetime.timedelta(days=50 - index * 8),
                "decision": decision if index != 4 else SuggestionDecision.NOT_ADOPTED,
                "reward": "PKR 2,000" if decision == SuggestionDecision.ADOPTED else "",
                "estimated_savings": savings,
            },
        )


def seed(ctx):
    today = timezone.localdate()
    officer = ctx.users["officer"]
    modules = {m.number: m for m in Module.objects.all()}
    detailed = ctx.made.get("path_enterprises")
    in_programme = Enterprise.objects.filter(stage__in=IN_PROGRAMME_STAGES).order_by("pk")
    if detailed is not None:
        # Only the enterprises made one by one; a national-scale demo's others get theirs in bulk (demo_scale).
        in_programme = in_programme.filter(pk__in=[e.pk for e in detailed])
    enterprises = list(in_programme)
    assignments = {}
    for assignment in ConsultantAssignment.objects.select_related("consultant").order_by("pk"):
        assignments.setdefault(assignment.enterprise_id, assignment.consultant)
    for enterprise in enterprises:
        # Each enterprise has its own random stream, so one enterprise more or less changes no other.
        rng = random.Random(f"training-{enterprise.registration_key}")
        consultant = assignments.get(enterprise.pk)
        _seed_eit(enterprise, consultant or officer, rng, today, modules)
        _seed_photos(enterprise, consultant or officer, rng, today)
        if consultant:
            _seed_visits(enterprise, consultant, today, modules)
    # One draft the demo consultant left unfinished, to show the autosaved visit log.
    consultant = ctx.users.get("consultant")
    mine = [e for e in enterprises if assignments.get(e.pk) == consultant]
    if consultant and mine:
        _sync(
            Visit,
            {"enterprise": mine[0], "consultant": consultant, "status": VisitStatus.DRAFT},
            {"date": today, "topics": "Follow-up on the suggestion scheme"},
        )
    seed_delivery(ctx)


def _detailed(ctx):
    """The pks of the enterprises made one by one, or None when every enterprise is."""
    detailed = ctx.made.get("path_enterprises")
    return None if detailed is None else [e.pk for e in detailed]


# ---------------------------------------------------------------- classroom delivery
NOMINEES = [
    ("Kamran Shah", "Chief executive", StaffLevel.MANAGER, Sex.MALE, True),
    ("Samina Akhtar", "HR manager", StaffLevel.MANAGER, Sex.FEMALE, False),
    ("Nasreen Bibi", "Stitching operator", StaffLevel.WORKER, Sex.FEMALE, False),
    ("Rashid Ali", "Cutting master", StaffLevel.WORKER, Sex.MALE, False),
]
LEVEL2_STAGES = delivery_rules.LEVEL2_MEMBER_STAGES  # only enterprises selected for Level 2 join a group
DEMO_GROUP = "Lahore Level 2 group 1"


def _working_days(start, count, calendar):
    days, day = [], start
    while len(days) < count:
        if calendar.closed(day) is None:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def _nominate(workshop, enterprise, rng, by, *, people=4):
    participants = []
    for name, position, level, sex, decision_maker in NOMINEES[:people]:
        participants.append(
            _sync(
                Participant,
                {"workshop": workshop, "enterprise": enterprise, "name": name},
                {
                    "position": position,
                    "level": level,
                    "sex": sex,
                    "phone": f"0300 {rng.randint(1000000, 9999999)}",
                    "decision_maker": decision_maker,
                    "added_by": by,
                },
            )
        )
    return participants


def _attend(session, participants, rng, today):
    if session.date >= today:
        return
    for participant in participants:
        # The CEO (or the nominee with authority) comes every day, as the enterprise committed to.
        present = participant.decision_maker or rng.random() > 0.15
        _sync(Attendance, {"session": session, "participant": participant}, {"present": present})


def _level1_days(course, officer, consultant, calendar):
    """The course's three classroom days, just after the acceptance into Level 1; kept once set."""
    workshop = course.workshops.get()
    first = course.batch.starts_on + datetime.timedelta(days=LEVEL1_FIRST_DAY)
    for day, date in enumerate(_working_days(first, 3, calendar), start=1):
        if workshop.sessions.filter(day=day).exists():
            continue
        start, end = delivery_rules.session_times(date, default_short_weekdays())
        Session.objects.create(
            workshop=workshop,
            day=day,
            date=date,
            start_time=start,
            end_time=end,
            venue="Lahore Chamber of Commerce & Industry",
            trainer=consultant or officer,
        )
    return workshop


def _level1_attendance(workshop, enterprise, officer, today):
    if Participant.objects.filter(workshop=workshop, enterprise=enterprise).exists():
        return  # nominated already (by the path's walk): a re-run changes nothing
    rng = random.Random(f"level1-{enterprise.registration_key}")
    people = _nominate(workshop, enterprise, rng, officer, people=4 if rng.random() > 0.2 else 3)
    for session in workshop.sessions.order_by("day"):
        _attend(session, people, rng, today)


def _seed_level1(officer, consultant, today, calendar, detailed=None):
    batches = Level1Batch.objects.all()
    if detailed is not None:
        batches = batches.filter(pk__in=Enterprise.objects.filter(pk__in=detailed).values("batch"))
    batch = (
        batches.annotate(n=Count("enterprises", filter=Q(enterprises__stage__in=IN_PROGRAMME_STAGES)))
        .filter(n__gt=0)
        .order_by("-n", "pk")
        .first()
    )
    if batch is None:
        return
    course = delivery_services.set_up_level1_course(batch)
    workshop = _level1_days(course, officer, consultant, calendar)
    for enterprise in delivery_selectors.course_enterprises(course).order_by("pk"):
        _level1_attendance(workshop, enterprise, officer, today)


def _demo_group(enterprise, officer, consultant, today):
    """The demo's Level 2 group, its window opening just after its batch's selection for Level 2."""
    starts_on = _path_start(enterprise, today) + datetime.timedelta(days=LEVEL2_WINDOW_START)
    group = TrainingGroup.objects.filter(name=DEMO_GROUP).first()
    if group:
        return group
    return TrainingGroup.objects.create(
        name=DEMO_GROUP,
        trainer=consultant or officer,
        venue="SCORE training room, Lahore",
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=420),
        min_gap_days=42,
    )


def _join(group, enterprise):
    if GroupMember.objects.filter(enterprise=enterprise).exists():
        return
    rng = random.Random(f"level2-{enterprise.registration_key}")
    delivery_services.add_member(group, enterprise, priorities=rng.sample([2, 3, 4, 5], 2))


# ---------------------------------------------------------------- the path's walk (enterprises.demo)
def prepare_step(enterprise, stage, day, ctx) -> None:
    """What a step of the demo path reads, entered before the step: the Level 1 classroom days
    attended and the consultancy visits before "Level 1 completed"; a Level 2 group whose first
    workshop was held before "Level 2 in progress"."""
    today = timezone.localdate()
    officer, consultant = ctx.users["officer"], ctx.users.get("consultant")
    if stage == "level1_completed":
        course = delivery_services.set_up_level1_course(enterprise.batch)
        workshop = _level1_days(course, officer, consultant, delivery_selectors.working_calendar())
        _level1_attendance(workshop, enterprise, officer, today)
        modules = {m.number: m for m in Module.objects.all()}
        _seed_visits(enterprise, consultant or officer, today, modules, stage="level1_accepted")
    elif stage == "level2_in_progress":
        group = _demo_group(enterprise, officer, consultant, today)
        _join(group, enterprise)
        delivery_services.accept_schedule(group, by=officer)


def _level2_rank(enterprise):
    return (enterprise.stage not in LEVEL2_STAGES, enterprise.pk)


def _seed_level2(officer, consultant, today, detailed=None):
    candidates = Enterprise.objects.filter(
        Q(training_group_member__isnull=True) | Q(training_group_member__group__name=DEMO_GROUP)
    )
    if detailed is not None:
        candidates = candidates.filter(pk__in=detailed)
    # Only enterprises selected for Level 2 (or further), up to five.
    ranked = sorted(candidates.filter(stage__in=LEVEL2_STAGES), key=_level2_rank)
    enterprises = ranked[:5]
    if not enterprises:
        return
    group = _demo_group(enterprises[0], officer, consultant, today)
    for enterprise in enterprises:
        _join(group, enterprise)
    delivery_services.accept_schedule(group, by=officer)  # schedules only the modules without dates yet
    for workshop in group.workshops.prefetch_related("sessions"):
        sessions = list(workshop.sessions.all())
        if not sessions or min(s.date for s in sessions) > today + datetime.timedelta(days=45):
            continue  # nominations come a few weeks before a workshop
        for member in group.members.select_related("enterprise").order_by("pk"):
            rng = random.Random(f"level2-{member.enterprise.registration_key}-{workshop.module_id}")
            people = _nominate(workshop, member.enterprise, rng, officer)
            for session in sessions:
                _attend(session, people, rng, today)


def seed_delivery(ctx):
    today = timezone.localdate()
    officer = ctx.users["officer"]
    consultant = ctx.users.get("consultant")
    calendar = delivery_selectors.working_calendar()
    _seed_level1(officer, consultant, today, calendar, _detailed(ctx))
    _seed_level2(officer, consultant, today, _detailed(ctx))
