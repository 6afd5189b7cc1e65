"""Writes of the classroom delivery, each in a transaction, and the bridge between the database and the
plain scheduler (scheduling.py): it gathers the days already taken and turns plans into sessions.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from enterprises.models import Enterprise
from enterprises.path import letters
from score_portal import notifications
from score_portal.models import NotificationKind
from score_portal.roles import display_name
from score_portal.templatetags.translated import translated

from ..models import (
    Attendance,
    CalendarFeed,
    GroupMember,
    Level1Course,
    Module,
    Participant,
    Session,
    TrainingGroup,
    Workshop,
    default_short_weekdays,
)
from . import module_order, rules, scheduling, selectors


class NeedsConfirmation(ValidationError):
    """The change breaks only constraints an officer may accept (calendar, window, gap): ask first."""


# ---------------------------------------------------------------- describing constraints
def _day(day) -> str:
    return formats.date_format(day, "D j M Y") if day else ""


def trainer_busy(day, trainer_name) -> str:
    return _("%(day)s: the trainer, %(trainer)s, has another session that day.") % {
        "day": _day(day),
        "trainer": trainer_name,
    }


def describe_conflict(conflict: scheduling.Conflict, names: dict | None = None) -> str:
    """`names` holds the names of the enterprises and trainers the conflicts refer to, by (code, id)."""
    names = names or {}
    day = _day(conflict.day)
    if conflict.code == scheduling.TRAINER:
        return trainer_busy(conflict.day, names.get((conflict.code, conflict.subject), conflict.subject))
    if conflict.code == scheduling.ENTERPRISE:
        name = names.get((conflict.code, conflict.subject), conflict.subject)
        return _("%(day)s: %(enterprise)s is in another workshop that day.") % {"day": day, "enterprise": name}
    if conflict.code == scheduling.HOLIDAY:
        return _("%(day)s is a public holiday.") % {"day": day}
    if conflict.code == scheduling.NON_WORKING:
        return _("%(day)s is not a working day.") % {"day": day}
    if conflict.code == scheduling.WINDOW:
        return _("%(day)s is outside the group's window.") % {"day": day}
    return _("Less than the minimum gap from the group's workshop of %(day)s.") % {"day": day}


def describe_problem(problem: scheduling.Problem) -> str:
    counts = dict(problem.blocked)
    details = []
    labels = {
        scheduling.TRAINER: _("the trainer was busy"),
        scheduling.ENTERPRISE: _("an enterprise was in another workshop"),
        scheduling.HOLIDAY: _("a public holiday"),
        scheduling.NON_WORKING: _("a non-working day"),
    }
    for code, label in labels.items():
        if counts.get(code):
            details.append(
                ngettext("%(what)s (%(n)d start day)", "%(what)s (%(n)d start days)", counts[code])
                % {"what": label, "n": counts[code]}
            )
    text = _("Module %(module)d could not be placed between %(from)s and %(to)s; constraint: %(constraint)s.") % {
        "module": problem.module,
        "from": _day(problem.earliest),
        "to": _day(problem.latest),
        "constraint": problem.constraint_label,
    }
    if details:
        text += " " + _("Ruled out: %(details)s.") % {"details": "; ".join(details)}
    return text


# ---------------------------------------------------------------- writing sessions
def _save_session(session: Session, *, update_fields=None) -> Session:
    """Save a session. The database refuses a trainer's second session on one day
    (one_session_per_trainer_day), also when the other one was written by another officer at the
    same moment, after this one's checks had run; that becomes the scheduler's own refusal, naming
    the trainer and the day, never a server error. The savepoint keeps the caller's transaction
    usable for the query that tells the double booking apart; the refusal then rolls it all back."""
    try:
        with transaction.atomic():
            session.save(update_fields=update_fields)
    except IntegrityError:
        if session.trainer_id is None or not (
            Session.objects.filter(trainer=session.trainer_id, date=session.date).exclude(pk=session.pk).exists()
        ):
            raise  # another constraint than the trainer's day
        raise ValidationError(trainer_busy(session.date, display_name(session.trainer)), code="overlap") from None
    return session


# ---------------------------------------------------------------- busy days from the database
def busy_days(*, exclude_workshop=None) -> scheduling.Busy:
    """Every session day already taken, per trainer and per enterprise: three queries."""
    sessions = Session.objects.all()
    if exclude_workshop is not None:
        sessions = sessions.exclude(workshop=exclude_workshop)
    rows = list(sessions.values_list("date", "trainer_id", "workshop_id"))
    enterprises = selectors.enterprises_by_workshop({w for _d, _t, w in rows})
    busy = scheduling.Busy()
    for date, trainer, workshop in rows:
        busy.add(trainer, enterprises.get(workshop, ()), [date])
    return busy


def _group_request(group: TrainingGroup, modules, starts_on, calendar) -> scheduling.GroupRequest:
    return scheduling.GroupRequest(
        key=group.pk,
        modules=tuple(modules),
        starts_on=starts_on,
        ends_on=group.ends_on,
        enterprises=frozenset(group.members.values_list("enterprise", flat=True)),
        trainer=group.trainer_id,
        min_gap_days=group.min_gap_days,
        calendar=calendar,
    )


def propose_schedule(group: TrainingGroup) -> scheduling.Plan:
    """Dates for the group's modules that have no workshop days yet, in the group's order, after the
    workshops it already has. Reads only."""
    order = group.module_order or module_order.recommend(selectors.group_needs(group)[1]).order
    scheduled = list(Session.objects.filter(workshop__group=group).values_list("workshop__module__number", "date"))
    starts_on = group.starts_on
    if scheduled:
        last = max(date for _module, date in scheduled)
        starts_on = max(starts_on, last + datetime.timedelta(days=group.min_gap_days))
    done = {module for module, _date in scheduled}
    modules = [m for m in order if m not in done]
    request = _group_request(group, modules, starts_on, selectors.working_calendar(group))
    return scheduling.schedule([request], busy_days())


@transaction.atomic
def accept_schedule(group: TrainingGroup, *, by) -> scheduling.Plan:
    """Work the plan out again (inside the transaction) and create the workshops and their sessions.

    The group's lock keeps two officers from scheduling the same group twice; a trainer shared with
    another group scheduled at the same moment is held by the database (see _save_session): the
    second officer is refused, nothing of their plan is kept, and proposing again finds other days."""
    TrainingGroup.objects.select_for_update().get(pk=group.pk)
    plan = propose_schedule(group)
    modules = {m.number: m for m in Module.objects.all()}
    short = group.short_weekdays
    for placement in plan.placements:
        workshop, _created = Workshop.objects.get_or_create(group=group, module=modules[placement.module])
        existing = {s.day: s for s in workshop.sessions.all()}
        for number, day in enumerate(placement.days, start=1):
            session = existing.get(number) or Session(workshop=workshop, day=number)
            session.date = day
            session.start_time, session.end_time = rules.session_times(day, short)
            session.venue = group.venue
            session.trainer = group.trainer
            _save_session(session)
        tell_sessions(workshop, moved=False)
    return plan


# ---------------------------------------------------------------- telling the enterprises
def _workshop_contacts(workshop: Workshop):
    """The portal users who are contacts of the enterprises trained in this workshop."""
    enterprises = selectors.workshop_enterprises(workshop)
    return get_user_model().objects.filter(enterprise_contact__enterprise__in=enterprises, is_active=True).distinct()


def tell_sessions(workshop: Workshop, *, moved: bool) -> None:
    """Tell the enterprises' contacts the workshop's days (scheduled, or moved). The key holds the dates,
    so the same days are told once and new days are told again."""
    days = sorted(workshop.sessions.values_list("date", flat=True))
    if not days:
        return
    ref = f"workshop-{workshop.pk}:{'-'.join(day.isoformat() for day in days)}"
    group = str(workshop.course or workshop.group)
    # Each enterprise's contacts in the language of its letters (the days' names too).
    for language, users in letters.by_language(_workshop_contacts(workshop)).items():
        with translation.override(language):
            dates = pgettext("between the items of a list", ", ").join(
                formats.date_format(day, "D j M Y") for day in days
            )
            # The module's title as the catalogue translates it (str(workshop) keeps the English one), apart
            # from the group's name, so that each keeps its own direction in Urdu.
            names = {"module": f"{workshop.module.number}. {translated(workshop.module.title)}", "group": group}
            title = (
                _("Training moved: %(module)s, %(group)s") if moved else _("Training scheduled: %(module)s, %(group)s")
            ) % names
            notifications.notify_many(
                users,
                kind=NotificationKind.SESSION_CHANGED,
                ref=ref,
                title=title,
                body=_("Classroom days: %(dates)s.") % {"dates": dates},
                url=reverse("training:calendar"),
            )


# ---------------------------------------------------------------- moving a session
def check_session_move(session: Session, new_date: datetime.date, *, shift_workshop: bool = True):
    """The new days of the workshop's sessions and every constraint they would break."""
    workshop = session.workshop
    siblings = list(workshop.sessions.order_by("day"))
    delta = new_date - session.date
    moving = siblings if shift_workshop else [session]
    new_days = {s.pk: s.date + delta for s in moving}
    days = [new_days.get(s.pk, s.date) for s in siblings]
    group = workshop.group
    calendar = selectors.working_calendar(group)
    busy = busy_days(exclude_workshop=workshop)
    for sibling in siblings:
        if sibling.pk not in new_days:  # a day of the same workshop that stays where it is
            busy.add(sibling.trainer_id, [], [sibling.date])
    enterprises = list(selectors.workshop_enterprises(workshop).values_list("pk", flat=True))
    conflicts = []
    for sibling in siblings:
        if sibling.pk not in new_days:
            continue
        conflicts += scheduling.check_days(
            [new_days[sibling.pk]],
            calendar=calendar,
            busy=busy,
            trainer=sibling.trainer_id,
            enterprises=enterprises,
            window=(group.starts_on, group.ends_on) if group else None,
        )
    if group:
        others = {}
        for workshop_id, date in (
            Session.objects.filter(workshop__group=group).exclude(workshop=workshop).values_list("workshop", "date")
        ):
            others.setdefault(workshop_id, []).append(date)
        conflicts += scheduling.check_gap(days, others.values(), group.min_gap_days)
    return new_days, conflicts


def subject_names(conflicts) -> dict:
    """The enterprises and trainers the conflicts name, by (code, id): a query for each kind present."""
    names = {}
    enterprises = {c.subject for c in conflicts if c.code == scheduling.ENTERPRISE}
    if enterprises:
        for pk, name in Enterprise.objects.filter(pk__in=enterprises).values_list("pk", "legal_name"):
            names[(scheduling.ENTERPRISE, pk)] = name
    trainers = {c.subject for c in conflicts if c.code == scheduling.TRAINER}
    if trainers:
        for user in get_user_model().objects.filter(pk__in=trainers):
            names[(scheduling.TRAINER, user.pk)] = display_name(user)
    return names


def refuse_conflicts(conflicts, *, accept_soft: bool) -> None:
    """Refuse any overlap (ValidationError); ask before breaking a soft constraint unless `accept_soft`
    (NeedsConfirmation). Each message names the day and the trainer or enterprise."""
    names = subject_names(conflicts)
    hard = [c for c in conflicts if c.hard]
    if hard:
        raise ValidationError([describe_conflict(c, names) for c in hard], code="overlap")
    if conflicts and not accept_soft:
        raise NeedsConfirmation([describe_conflict(c, names) for c in conflicts], code="confirm")


@transaction.atomic
def move_session(session: Session, new_date: datetime.date, *, shift_workshop=True, accept_soft=False, by=None):
    """Move a session (and, by default, the other days of its workshop by as many days). Overlaps are
    refused; calendar, window and gap conflicts need `accept_soft`."""
    session = Session.objects.select_for_update(of=("self",)).select_related("workshop__group").get(pk=session.pk)
    new_days, conflicts = check_session_move(session, new_date, shift_workshop=shift_workshop)
    refuse_conflicts(conflicts, accept_soft=accept_soft)
    group = session.workshop.group
    short = group.short_weekdays if group else default_short_weekdays()
    # The day moving furthest ahead goes first, so that no day lands, for a moment, on a sibling's
    # date that the trainer still holds.
    later = new_date > session.date
    for sibling in sorted(session.workshop.sessions.all(), key=lambda s: s.date, reverse=later):
        if sibling.pk in new_days:
            sibling.date = new_days[sibling.pk]
            if sibling.start_time == datetime.time(9, 0):
                sibling.start_time, sibling.end_time = rules.session_times(sibling.date, short)
            _save_session(sibling, update_fields=["date", "start_time", "end_time"])
    tell_sessions(session.workshop, moved=True)
    return conflicts


# ---------------------------------------------------------------- Level 1
@transaction.atomic
def set_up_level1_course(batch, *, months: int = 4) -> Level1Course:
    course, _created = Level1Course.objects.get_or_create(batch=batch, defaults={"consultancy_months": months})
    Workshop.objects.get_or_create(course=course, defaults={"module": Module.objects.get(number=1)})
    return course


@transaction.atomic
def save_level1_day(
    course: Level1Course, *, day: int, date, venue, trainer, start_time=None, end_time=None, accept_soft=False
) -> Session:
    """Set one of the three classroom days. A trainer or an enterprise busy elsewhere that day refuses it;
    a holiday or non-working day needs `accept_soft`."""
    if not 1 <= day <= rules.LEVEL1_DAYS:
        raise ValidationError(_("Level 1 has three classroom days."), code="day")
    workshop = Workshop.objects.select_for_update().get(course=course)
    other_days = list(workshop.sessions.exclude(day=day))
    if any(other.date == date for other in other_days):
        raise ValidationError(_("Another classroom day of this course is already on that date."), code="same_day")
    busy = busy_days(exclude_workshop=workshop)
    # The course's other days count too: one trainer cannot teach two of its days at once.
    for other in other_days:
        busy.add(other.trainer_id, [], [other.date])
    enterprises = list(selectors.course_enterprises(course).values_list("pk", flat=True))
    conflicts = scheduling.check_days(
        [date],
        calendar=selectors.working_calendar(),
        busy=busy,
        trainer=trainer.pk if trainer else None,
        enterprises=enterprises,
    )
    refuse_conflicts(conflicts, accept_soft=accept_soft)
    default_start, default_end = rules.session_times(date, default_short_weekdays())
    session = workshop.sessions.filter(day=day).first() or Session(workshop=workshop, day=day)
    session.date, session.venue, session.trainer = date, venue, trainer
    session.start_time, session.end_time = start_time or default_start, end_time or default_end
    session = _save_session(session)
    tell_sessions(workshop, moved=False)
    return session


# ---------------------------------------------------------------- Level 2 groups
@transaction.atomic
def save_group(form, *, by=None) -> TrainingGroup:
    return form.save()


@transaction.atomic
def add_member(group: TrainingGroup, enterprise: Enterprise, *, priorities=()) -> GroupMember:
    if enterprise.stage not in rules.LEVEL2_MEMBER_STAGES:
        raise ValidationError(
            _(
                "%(enterprise)s is not selected for Level 2 (it is at “%(stage)s”); "
                "select it on the call's Level 2 page first."
            )
            % {"enterprise": enterprise, "stage": enterprise.get_stage_display()},
            code="not_selected",
        )
    existing = GroupMember.objects.select_related("group").filter(enterprise=enterprise).first()
    if existing and existing.group_id != group.pk:
        raise ValidationError(
            _("%(enterprise)s is already in group %(group)s.") % {"enterprise": enterprise, "group": existing.group},
            code="taken",
        )
    member, _created = GroupMember.objects.update_or_create(
        enterprise=enterprise, defaults={"group": group, "priority_modules": list(priorities)}
    )
    return member


@transaction.atomic
def set_priorities(member: GroupMember, priorities) -> GroupMember:
    member.priority_modules = list(priorities)
    member.save(update_fields=["priority_modules"])
    return member


@transaction.atomic
def remove_member(member: GroupMember) -> None:
    if Participant.objects.filter(workshop__group=member.group_id, enterprise=member.enterprise_id).exists():
        raise ValidationError(
            _("This enterprise already has participants in the group's workshops; remove them first."), code="used"
        )
    member.delete()


@transaction.atomic
def set_module_order(group: TrainingGroup, order, *, reason: str, by) -> TrainingGroup:
    """An officer's order (each of modules 2-5 once); an empty order goes back to the recommendation."""
    order = list(order)
    if order and sorted(order) != sorted(module_order.LEVEL2_MODULES):
        raise ValidationError(_("Give each of modules 2, 3, 4 and 5 exactly once."), code="order")
    group.module_order = order
    group.order_reason = reason if order else ""
    group.order_changed_by = by if order else None
    group.save(update_fields=["module_order", "order_reason", "order_changed_by"])
    return group


# ---------------------------------------------------------------- participants and attendance
@transaction.atomic
def save_participant(form, *, workshop: Workshop, enterprise: Enterprise, by) -> Participant:
    participant = form.save(commit=False)
    participant.workshop = workshop
    participant.enterprise = enterprise
    if participant.added_by_id is None:
        participant.added_by = by
    participant.save()
    return participant


@transaction.atomic
def remove_participant(participant: Participant) -> None:
    participant.delete()


@transaction.atomic
def record_attendance(session: Session, participants, absent_ids, *, by) -> int:
    """Everyone in `participants` present on this day except `absent_ids`. Returns how many were present."""
    absent_ids = set(absent_ids)
    existing = {a.participant_id: a for a in Attendance.objects.select_for_update().filter(session=session)}
    now = timezone.now()
    present = 0
    to_create, to_update = [], []
    for participant in participants:
        is_present = participant.pk not in absent_ids
        present += is_present
        record = existing.get(participant.pk)
        if record is None:
            to_create.append(
                Attendance(
                    session=session, participant=participant, present=is_present, recorded_by=by, recorded_at=now
                )
            )
        elif record.present != is_present:
            record.present, record.recorded_by, record.recorded_at = is_present, by, now
            to_update.append(record)
    Attendance.objects.bulk_create(to_create)
    Attendance.objects.bulk_update(to_update, ["present", "recorded_by", "recorded_at"])
    return present


# ---------------------------------------------------------------- calendar feeds
def feed_for(user) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def reset_feed(user) -> CalendarFeed:
    CalendarFeed.objects.filter(user=user).delete()
    return CalendarFeed.objects.create(user=user)
