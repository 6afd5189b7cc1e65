"""Reads of the classroom delivery, scoped to the user through enterprises.access, with a fixed
number of queries per page.

Who sees which session: officers every one; anyone else the sessions they train and the sessions of
the workshops whose enterprises they may see (a consultant's assigned enterprises, a contact's own).
"""

import calendar as pycalendar
import datetime
from collections import defaultdict

from django.db.models import Prefetch, Q
from django.http import Http404

from baseline.models import BASELINE_KINDS, Kind, Result
from enterprises.access import enterprise_ids_visible_to
from enterprises.models import Enterprise, Stage
from enterprises.path.rules import EXITS, stages_from
from score_portal.querysets import narrowed
from score_portal.roles import is_officer

from ..models import (
    Attendance,
    GroupMember,
    Level1Course,
    Participant,
    PublicHoliday,
    Session,
    TrainingGroup,
    Visit,
    VisitPurpose,
    VisitStatus,
    Workshop,
)
from . import module_order, rules
from .scheduling import WorkingCalendar

LEVEL1_DONE = stages_from(Stage.LEVEL1_COMPLETED)


# ---------------------------------------------------------------- scope
def _my_workshop_ids(user):
    ids = enterprise_ids_visible_to(user)
    return Workshop.objects.filter(
        Q(group__members__enterprise__in=ids) | Q(course__batch__enterprises__in=ids)
    ).values("pk")


def visible_sessions(user, queryset=None):
    queryset = Session.objects.all() if queryset is None else queryset
    if is_officer(user):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(Q(trainer=user) | Q(workshop__in=_my_workshop_ids(user)))


def visible_workshops(user, queryset=None):
    queryset = Workshop.objects.all() if queryset is None else queryset
    if is_officer(user):
        return queryset
    taught = Session.objects.filter(trainer=user).values("workshop")
    return queryset.filter(Q(pk__in=_my_workshop_ids(user)) | Q(pk__in=taught))


def is_trainer_of(user, workshop) -> bool:
    return Session.objects.filter(workshop=workshop, trainer=user).exists()


def workshop_for(user, pk) -> Workshop:
    try:
        return visible_workshops(user, Workshop.objects.select_related("module", "group", "course__batch__call")).get(
            pk=pk
        )
    except Workshop.DoesNotExist:
        raise Http404("No such workshop") from None


def session_for(user, pk) -> Session:
    try:
        return visible_sessions(
            user,
            Session.objects.select_related("workshop__module", "workshop__group", "workshop__course__batch", "trainer"),
        ).get(pk=pk)
    except Session.DoesNotExist:
        raise Http404("No such session") from None


def sessions_for_calendar(user, *, date_from=None, date_to=None, trainer=None):
    qs = visible_sessions(user).select_related(
        "workshop__module", "workshop__group", "workshop__course__batch", "trainer"
    )
    return narrowed(qs, date__gte=date_from, date__lte=date_to, trainer=trainer).order_by("date", "start_time", "pk")


def month_grid(year: int, month: int, sessions, *, visits=(), today=None) -> list[list[dict]]:
    """Weeks (Monday first) of days, each with its sessions and visits; days outside the month and
    today are marked."""
    by_day = defaultdict(list)
    for session in sessions:
        by_day[session.date].append(session)
    visits_by_day = defaultdict(list)
    for entry in visits:
        visits_by_day[entry.date].append(entry)
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [
        [
            {
                "date": d,
                "in_month": d.month == month,
                "is_today": d == today,
                "sessions": by_day.get(d, []),
                "visits": visits_by_day.get(d, []),
            }
            for d in week
        ]
        for week in weeks
    ]


def holidays_between(date_from, date_to) -> dict:
    return dict(PublicHoliday.objects.filter(date__gte=date_from, date__lte=date_to).values_list("date", "name"))


def working_calendar(group: TrainingGroup | None = None) -> WorkingCalendar:
    holidays = frozenset(PublicHoliday.objects.values_list("date", flat=True))
    if group is None:
        return WorkingCalendar(holidays=holidays)
    return WorkingCalendar(
        non_working_weekdays=frozenset(group.non_working_weekdays),
        short_weekdays=frozenset(group.short_weekdays),
        holidays=holidays,
    )


# ---------------------------------------------------------------- enterprises of a workshop
def course_enterprises(course: Level1Course):
    return Enterprise.objects.filter(batch=course.batch_id).exclude(stage__in=EXITS)


def workshop_enterprises(workshop: Workshop):
    if workshop.group_id:
        return Enterprise.objects.filter(training_group_member__group=workshop.group_id)
    return course_enterprises(workshop.course)


def enterprises_by_workshop(workshop_ids) -> dict[int, set[int]]:
    """Which enterprises take part in each of these workshops: two queries."""
    result: dict[int, set[int]] = defaultdict(set)
    for workshop, enterprise in GroupMember.objects.filter(group__workshops__in=workshop_ids).values_list(
        "group__workshops", "enterprise"
    ):
        result[workshop].add(enterprise)
    rows = (
        Enterprise.objects.filter(batch__level1_course__workshops__in=workshop_ids)
        .exclude(stage__in=EXITS)
        .values_list("batch__level1_course__workshops", "pk")
    )
    for workshop, enterprise in rows:
        result[workshop].add(enterprise)
    return result


# ---------------------------------------------------------------- attendance counts
def counts_by(participants, key: str | None = None, sessions=None) -> dict:
    """Attendance counts (rules.Counts) of these participants, per value of `key` (a participant
    field path such as "workshop__module__number"), or under None. Two queries."""
    key_field = key or "pk"
    rows: dict = defaultdict(list)
    for pk, sex, level, group_key in participants.values_list("pk", "sex", "level", key_field):
        rows[group_key if key else None].append((pk, sex, level, False))
    attendance = Attendance.objects.filter(participant__in=participants.values("pk"), present=True)
    if sessions is not None:
        attendance = attendance.filter(session__in=sessions)
    prefix = f"participant__{key}" if key else "participant_id"
    for pk, sex, level, group_key in attendance.values_list(
        "participant_id", "participant__sex", "participant__level", prefix
    ):
        rows[group_key if key else None].append((pk, sex, level, True))
    return {group_key: rules.count_attendance(group_rows) for group_key, group_rows in rows.items()}


def counts(participants, sessions=None) -> rules.Counts:
    return counts_by(participants, sessions=sessions).get(None) or rules.Counts()


# ---------------------------------------------------------------- pages
def session_page(user, session: Session, *, everyone: bool) -> dict:
    """The attendance register of one session day: the workshop's participants (all of them for officers
    and the trainer, else those of the user's enterprises) with this day's attendance."""
    participants = Participant.objects.filter(workshop=session.workshop_id)
    if not everyone:
        participants = participants.filter(enterprise__in=enterprise_ids_visible_to(user))
    register = (
        participants.select_related("enterprise")
        .prefetch_related(Prefetch("attendance", queryset=Attendance.objects.filter(session=session), to_attr="today"))
        .order_by("enterprise__legal_name", "level", "name", "pk")
    )
    rows = []
    for participant in register:
        record = participant.today[0] if participant.today else None
        rows.append({"participant": participant, "record": record})
    recorded = any(row["record"] for row in rows)
    by_enterprise = defaultdict(list)
    for row in rows:
        by_enterprise[row["participant"].enterprise].append(row)
    return {
        "rows": rows,
        "by_enterprise": dict(by_enterprise),
        "recorded": recorded,
        "counts": counts(participants, sessions=[session.pk]),
        "siblings": list(session.workshop.sessions.order_by("day")),
    }


def workshop_page(user, workshop: Workshop, *, everyone: bool) -> dict:
    sessions = list(workshop.sessions.select_related("trainer").order_by("day"))
    enterprises = workshop_enterprises(workshop)
    if not everyone:
        enterprises = enterprises.filter(pk__in=enterprise_ids_visible_to(user))
    participants = Participant.objects.filter(workshop=workshop, enterprise__in=enterprises.values("pk"))
    grouped = defaultdict(list)
    for participant in participants.order_by("level", "name", "pk"):
        grouped[participant.enterprise_id].append(participant)
    blocks = []
    for enterprise in enterprises.order_by("legal_name", "pk"):
        people = grouped.get(enterprise.pk, [])
        blocks.append(
            {
                "enterprise": enterprise,
                "participants": people,
                "warning": rules.composition_warning([p.level for p in people]),
            }
        )
    return {
        "sessions": sessions,
        "blocks": blocks,
        "counts": counts(participants),
        "counts_by_day": [(s, counts(participants, sessions=[s.pk])) for s in sessions],
    }


def level1_course_page(course: Level1Course, *, today: datetime.date) -> dict:
    workshop = course.workshops.select_related("module").first()
    sessions = list(workshop.sessions.select_related("trainer").order_by("day")) if workshop else []
    days = [s.date for s in sessions]
    enterprises = list(course_enterprises(course).order_by("legal_name", "pk"))
    ids = [e.pk for e in enterprises]
    attended: dict = defaultdict(set)
    decision_makers: set = set()
    if workshop:
        present = Attendance.objects.filter(session__workshop=workshop, present=True).values_list(
            "participant__enterprise", "session", "participant__decision_maker"
        )
        for enterprise, session, decision_maker in present:
            attended[enterprise].add(session)
            if decision_maker:
                decision_makers.add(enterprise)
    visits = defaultdict(list)
    if days:
        for enterprise, date in Visit.objects.filter(
            enterprise__in=ids, status=VisitStatus.SUBMITTED, date__gte=min(days), purpose=VisitPurpose.LEVEL1_FOLLOW_UP
        ).values_list("enterprise", "date"):
            visits[enterprise].append(date)
    rows = []
    for enterprise in enterprises:
        standing = rules.level1_standing(
            classroom_days=days,
            months=course.consultancy_months,
            today=today,
            completed=enterprise.stage in LEVEL1_DONE or enterprise.level1_completed_on is not None,
            days_attended=len(attended[enterprise.pk]),
            decision_maker_attended=enterprise.pk in decision_makers,
            visit_dates=visits[enterprise.pk],
        )
        rows.append({"enterprise": enterprise, "standing": standing})
    participants = Participant.objects.filter(workshop=workshop) if workshop else Participant.objects.none()
    return {
        "workshop": workshop,
        "sessions": sessions,
        "rows": rows,
        "counts": counts(participants),
        "window_end": rules.add_months(min(days), course.consultancy_months) if days else None,
    }


# ---------------------------------------------------------------- needs of a group
def practice_gaps(enterprise_ids) -> dict[int, dict[int, float]]:
    """Per enterprise and module, the share of practices not in place at its latest baseline round
    (comprehensive if there is one, else basic). One query."""
    rows = (
        Result.objects.filter(
            round__enterprise__in=enterprise_ids, round__kind__in=BASELINE_KINDS, indicator__kind=Kind.PRACTICE
        )
        .values_list("round__enterprise", "round__kind", "round__held_on", "round", "indicator__module", "value")
        .order_by()
    )
    latest: dict[int, tuple] = {}
    answers: dict[tuple, list] = defaultdict(list)
    for enterprise, kind, held_on, round_id, module, value in rows:
        rank = (kind == "comprehensive_baseline", held_on, round_id)
        if enterprise not in latest or rank > latest[enterprise]:
            latest[enterprise] = rank
        answers[(enterprise, round_id, module)].append(value)
    gaps: dict[int, dict[int, float]] = defaultdict(dict)
    for (enterprise, round_id, module), values in answers.items():
        if latest[enterprise][2] == round_id and values:
            gaps[enterprise][module] = sum(1 for v in values if v == 0) / len(values)
    return gaps


def group_needs(group: TrainingGroup) -> tuple[list[GroupMember], list[module_order.EnterpriseNeeds]]:
    members = list(group.members.select_related("enterprise").order_by("enterprise__legal_name"))
    gaps = practice_gaps([m.enterprise_id for m in members])
    needs = [
        module_order.EnterpriseNeeds(
            name=m.enterprise.legal_name,
            priorities=tuple(m.priority_modules or ()),
            gaps={module: share for module, share in gaps.get(m.enterprise_id, {}).items() if module != 1},
        )
        for m in members
    ]
    for member, need in zip(members, needs, strict=True):
        member.gaps = sorted(need.gaps.items())
    return members, needs


def group_page(group: TrainingGroup) -> dict:
    members, needs = group_needs(group)
    recommendation = module_order.recommend(needs)
    workshops = list(
        group.workshops.select_related("module").prefetch_related(
            Prefetch("sessions", queryset=Session.objects.select_related("trainer").order_by("day"))
        )
    )
    order = group.module_order or recommendation.order
    position = {module: index for index, module in enumerate(order)}
    workshops.sort(key=lambda w: (position.get(w.module.number, 99), w.pk))
    participants = Participant.objects.filter(workshop__group=group)
    return {
        "members": members,
        "recommendation": recommendation,
        "order": order,
        "workshops": workshops,
        "size_warning": rules.group_size_warning(len(members)),
        "counts": counts(participants),
        "counts_by_module": sorted(counts_by(participants, "workshop__module__number").items()),
    }
