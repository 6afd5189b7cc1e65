"""Plain rules of the classroom delivery: group size, who an enterprise nominates, attendance counts and
where an enterprise stands in its Level 1 window. No database here; tested without HTTP."""

import calendar as pycalendar
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from ..models import Sex, StaffLevel

GROUP_MIN, GROUP_MAX = 4, 5
# A Level 2 group admits only enterprises an officer selected for Level 2 (and keeps them as they go on).
LEVEL2_MEMBER_STAGES = ("level2_shortlisted", "level2_in_progress", "level2_completed")
NOMINEES = {StaffLevel.MANAGER: 2, StaffLevel.WORKER: 2}
LEVEL1_DAYS = 3
SHORT_DAY_END = datetime.time(12, 30)


def group_size_warning(size: int) -> str | None:
    if size < GROUP_MIN:
        return str(
            _("A Level 2 group usually has 4–5 enterprises; this one has %(n)d: too few to learn from each other.")
            % {"n": size}
        )
    if size > GROUP_MAX:
        return str(
            _("A Level 2 group usually has 4–5 enterprises; this one has %(n)d: too many for one workshop.")
            % {"n": size}
        )
    return None


def composition_warning(levels: Sequence[str]) -> str | None:
    """An enterprise nominates two managers and two workers; any other mix is allowed, with a warning."""
    managers = sum(1 for level in levels if level == StaffLevel.MANAGER)
    workers = sum(1 for level in levels if level == StaffLevel.WORKER)
    if managers == NOMINEES[StaffLevel.MANAGER] and workers == NOMINEES[StaffLevel.WORKER]:
        return None
    return str(
        _("Usually two managers and two workers; nominated: %(managers)d managers and %(workers)d workers.")
        % {"managers": managers, "workers": workers}
    )


# ---------------------------------------------------------------- attendance counts
@dataclass
class Counts:
    """People present, by sex and by role. A person counts once however many days they came."""

    total: int = 0
    women: int = 0
    men: int = 0
    managers: int = 0
    workers: int = 0
    women_managers: int = 0
    women_workers: int = 0
    men_managers: int = 0
    men_workers: int = 0
    nominated: int = 0

    @property
    def absent(self) -> int:
        return self.nominated - self.total


def count_attendance(rows: Iterable[tuple]) -> Counts:
    """`rows`: (participant id, sex, level, present) per participant and day. A participant present on any
    day is counted once in `total` and its breakdowns; `nominated` counts every participant."""
    people: dict = {}
    for participant, sex, level, present in rows:
        seen = people.setdefault(participant, [sex, level, False])
        seen[2] = seen[2] or bool(present)
    counts = Counts(nominated=len(people))
    for sex, level, present in people.values():
        if not present:
            continue
        counts.total += 1
        woman = sex == Sex.FEMALE
        manager = level == StaffLevel.MANAGER
        counts.women += woman
        counts.men += not woman
        counts.managers += manager
        counts.workers += not manager
        counts.women_managers += woman and manager
        counts.women_workers += woman and not manager
        counts.men_managers += (not woman) and manager
        counts.men_workers += (not woman) and not manager
    return counts


# ---------------------------------------------------------------- Level 1 window
NOT_SCHEDULED = "not_scheduled"
BEFORE = "before"
CLASSROOM = "classroom"
CONSULTANCY = "consultancy"
OVERDUE = "overdue"
COMPLETED = "completed"

STANDING_LABELS = {
    NOT_SCHEDULED: _("Classroom days not scheduled"),
    BEFORE: _("Waiting for the classroom days"),
    CLASSROOM: _("In the classroom days"),
    CONSULTANCY: _("In-factory consultancy"),
    OVERDUE: _("Window over, Level 1 not completed"),
    COMPLETED: _("Level 1 completed"),
}
STANDING_STYLES = {
    NOT_SCHEDULED: "secondary",
    BEFORE: "secondary",
    CLASSROOM: "info",
    CONSULTANCY: "primary",
    OVERDUE: "danger",
    COMPLETED: "success",
}


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return datetime.date(year, month, min(day.day, pycalendar.monthrange(year, month)[1]))


@dataclass
class Standing:
    code: str
    window_start: datetime.date | None = None
    window_end: datetime.date | None = None
    elapsed_pct: int = 0
    days_attended: int = 0
    classroom_days: int = 0
    decision_maker_attended: bool = False
    visits: int = 0
    last_visit: datetime.date | None = None
    notes: list = field(default_factory=list)

    @property
    def label(self):
        return STANDING_LABELS[self.code]

    @property
    def style(self):
        return STANDING_STYLES[self.code]


def level1_standing(
    *,
    classroom_days: Sequence[datetime.date],
    months: int,
    today: datetime.date,
    completed: bool,
    days_attended: int = 0,
    decision_maker_attended: bool = False,
    visit_dates: Sequence[datetime.date] = (),
) -> Standing:
    """Where an enterprise stands in its batch's Level 1 window (first classroom day + `months`)."""
    days = sorted(classroom_days)
    standing = Standing(
        NOT_SCHEDULED,
        days_attended=days_attended,
        classroom_days=len(days),
        decision_maker_attended=decision_maker_attended,
    )
    if days:
        standing.window_start = days[0]
        standing.window_end = add_months(days[0], months)
        visits = [d for d in visit_dates if d >= days[0]]
        standing.visits = len(visits)
        standing.last_visit = max(visits) if visits else None
        length = max(1, (standing.window_end - days[0]).days)
        standing.elapsed_pct = max(0, min(100, round(100 * (today - days[0]).days / length)))
    if completed:
        standing.code = COMPLETED
    elif not days:
        standing.code = NOT_SCHEDULED
    elif today < days[0]:
        standing.code = BEFORE
    elif today <= days[-1]:
        standing.code = CLASSROOM
    elif today <= standing.window_end:
        standing.code = CONSULTANCY
    else:
        standing.code = OVERDUE
    if days and today > days[-1]:
        if days_attended < len(days):
            standing.notes.append(
                _("attended %(n)d of %(total)d classroom days") % {"n": days_attended, "total": len(days)}
            )
        if not decision_maker_attended:
            standing.notes.append(_("no CEO or decision-maker attended"))
        if standing.code in (CONSULTANCY, OVERDUE) and not standing.visits:
            standing.notes.append(_("no consultancy visit yet"))
    return standing


def session_times(day: datetime.date, short_weekdays: Iterable[int]) -> tuple[datetime.time, datetime.time]:
    """Classroom hours: 09:00-17:00, and 09:00-12:30 on a short day (Friday)."""
    end = SHORT_DAY_END if day.weekday() in set(short_weekdays) else datetime.time(17, 0)
    return datetime.time(9, 0), end
