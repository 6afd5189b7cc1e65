"""The Level 2 workshop scheduler, as plain functions on plain data: no database, no HTTP.

A group takes modules 2-5 in its chosen order, each as a workshop of two consecutive working days,
all inside the group's window (12-15 months). The scheduler proposes dates so that

- no trainer is in two places at once and no enterprise is in two workshops at once (days already
  taken elsewhere come in as `Busy`);
- no workshop falls on a non-working weekday (Sunday in Pakistan) or a public holiday;
- between two workshops of one group there are at least `min_gap_days`, so the consultancy visits
  that follow a workshop fit before the next one;
- workshops avoid short days (Friday) when a full-day pair is free within a week of the first fit.

Workshops are spread over the window rather than packed at its start. When a module cannot be placed
the scheduler does not overlap anything: it reports a `Problem` naming the constraint that stood in
the way. `check_days` and `check_gap` re-check one workshop's days, for an officer moving a session.
"""

import datetime
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

DAY = datetime.timedelta(days=1)
WORKSHOP_DAYS = 2
SHORT_DAY_LOOKAHEAD = 7

# The constraints, by the code that problems and conflicts carry.
WINDOW = "window"
NON_WORKING = "non_working"
HOLIDAY = "holiday"
TRAINER = "trainer"
ENTERPRISE = "enterprise"
GAP = "gap"

CONSTRAINTS = {
    WINDOW: _("inside the group's window"),
    NON_WORKING: _("on working days"),
    HOLIDAY: _("not on a public holiday"),
    TRAINER: _("no trainer in two places at once"),
    ENTERPRISE: _("no enterprise in two workshops at once"),
    GAP: _("minimum gap between the group's workshops"),
}
# Overlaps can never be accepted; the others an officer may accept knowingly when moving a session.
HARD = frozenset({TRAINER, ENTERPRISE})


@dataclass(frozen=True)
class WorkingCalendar:
    non_working_weekdays: frozenset[int] = frozenset({6})
    short_weekdays: frozenset[int] = frozenset({4})
    holidays: frozenset[datetime.date] = frozenset()

    def closed(self, day: datetime.date) -> str | None:
        """Why no workshop can be held on this day, or None."""
        if day.weekday() in self.non_working_weekdays:
            return NON_WORKING
        if day in self.holidays:
            return HOLIDAY
        return None

    def is_short(self, day: datetime.date) -> bool:
        return day.weekday() in self.short_weekdays


@dataclass(frozen=True)
class GroupRequest:
    """What the scheduler needs to know about one group."""

    key: Hashable
    modules: tuple[int, ...]
    starts_on: datetime.date
    ends_on: datetime.date
    enterprises: frozenset = frozenset()
    trainer: Hashable | None = None
    min_gap_days: int = 42
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    days: int = WORKSHOP_DAYS

    @property
    def last_start(self) -> datetime.date:
        """The last day a workshop can start and still end inside the window."""
        return self.ends_on - DAY * (self.days - 1)


@dataclass
class Busy:
    """Days already taken, per trainer and per enterprise."""

    trainers: dict = field(default_factory=dict)
    enterprises: dict = field(default_factory=dict)

    def add(self, trainer, enterprises: Iterable, days: Iterable[datetime.date]) -> None:
        days = list(days)
        if trainer is not None:
            self.trainers.setdefault(trainer, set()).update(days)
        for enterprise in enterprises:
            self.enterprises.setdefault(enterprise, set()).update(days)

    def copy(self) -> "Busy":
        return Busy(
            {k: set(v) for k, v in self.trainers.items()},
            {k: set(v) for k, v in self.enterprises.items()},
        )


@dataclass(frozen=True)
class Placement:
    group: Hashable
    module: int
    days: tuple[datetime.date, ...]

    @property
    def start(self) -> datetime.date:
        return self.days[0]

    @property
    def end(self) -> datetime.date:
        return self.days[-1]


@dataclass(frozen=True)
class Conflict:
    """One constraint a day breaks. `subject` is the enterprise (for ENTERPRISE) or the trainer."""

    code: str
    day: datetime.date | None = None
    subject: Hashable | None = None

    @property
    def hard(self) -> bool:
        return self.code in HARD


@dataclass(frozen=True)
class Problem:
    """A module the scheduler could not place, and why: the constraint that blocked it most, and how
    many candidate start days each constraint ruled out."""

    group: Hashable
    module: int
    constraint: str
    earliest: datetime.date
    latest: datetime.date
    blocked: tuple[tuple[str, int], ...] = ()

    @property
    def constraint_label(self):
        return CONSTRAINTS[self.constraint]


@dataclass
class Plan:
    placements: list[Placement] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def for_group(self, key) -> list[Placement]:
        return [p for p in self.placements if p.group == key]


# ---------------------------------------------------------------- checks
def workshop_days(start: datetime.date, length: int = WORKSHOP_DAYS) -> tuple[datetime.date, ...]:
    """A workshop's days: consecutive calendar days from `start`."""
    return tuple(start + DAY * offset for offset in range(length))


def check_days(
    days: Sequence[datetime.date],
    *,
    calendar: WorkingCalendar,
    busy: Busy,
    trainer=None,
    enterprises: Iterable = (),
    window: tuple[datetime.date, datetime.date] | None = None,
) -> list[Conflict]:
    """Every constraint these days break, given the days already taken elsewhere."""
    conflicts = []
    enterprises = list(enterprises)
    for day in days:
        if window and not (window[0] <= day <= window[1]):
            conflicts.append(Conflict(WINDOW, day))
        closed = calendar.closed(day)
        if closed:
            conflicts.append(Conflict(closed, day))
        if trainer is not None and day in busy.trainers.get(trainer, ()):
            conflicts.append(Conflict(TRAINER, day, trainer))
        for enterprise in enterprises:
            if day in busy.enterprises.get(enterprise, ()):
                conflicts.append(Conflict(ENTERPRISE, day, enterprise))
    return conflicts


def check_gap(
    days: Sequence[datetime.date], others: Iterable[Sequence[datetime.date]], min_gap_days: int
) -> list[Conflict]:
    """A conflict for every other workshop of the group that lies closer than the minimum gap."""
    start, end = min(days), max(days)
    conflicts = []
    for other in others:
        if not other:
            continue
        other_start, other_end = min(other), max(other)
        apart = max((start - other_end).days, (other_start - end).days)
        if apart < min_gap_days:
            conflicts.append(Conflict(GAP, other_start))
    return conflicts


# ---------------------------------------------------------------- the scheduler
def _find_slot(request: GroupRequest, earliest: datetime.date, busy: Busy) -> tuple[tuple | None, Counter]:
    """The first free workshop from `earliest` (preferring one without a short day within a week of the
    first fit), or None with the count of candidate start days each constraint ruled out."""
    blocked: Counter = Counter()
    day = earliest
    first_fit = None
    while day <= request.last_start:
        days = workshop_days(day, request.days)
        conflicts = check_days(
            days, calendar=request.calendar, busy=busy, trainer=request.trainer, enterprises=request.enterprises
        )
        if conflicts:
            if first_fit is None:
                for code in {c.code for c in conflicts}:
                    blocked[code] += 1
        else:
            if first_fit is None:
                first_fit = days
            if not any(request.calendar.is_short(d) for d in days):
                return days, blocked
        if first_fit is not None and day >= first_fit[0] + DAY * SHORT_DAY_LOOKAHEAD:
            break
        day += DAY
    return first_fit, blocked


def _main_constraint(blocked: Counter) -> str:
    """The constraint to name: an overlap if one blocked anything, else the calendar, else the window."""
    for codes in ((TRAINER, ENTERPRISE), (HOLIDAY, NON_WORKING)):
        counted = [(blocked[c], c) for c in codes if blocked[c]]
        if counted:
            return max(counted)[1]
    return WINDOW


def spacing(request: GroupRequest) -> int:
    """Days between the targeted starts of the workshops, so that they spread over the window."""
    length = (request.ends_on - request.starts_on).days + 1
    count = max(1, len(request.modules))
    return max(request.min_gap_days + request.days - 1, length // count)


def schedule_group(request: GroupRequest, busy: Busy, plan: Plan) -> None:
    """Place the group's modules in order, adding what it places to `busy` and `plan`."""
    step = spacing(request)
    previous_end = None
    for index, module in enumerate(request.modules):
        earliest = request.starts_on if previous_end is None else previous_end + DAY * request.min_gap_days
        target = max(earliest, request.starts_on + DAY * (step * index))
        days, blocked = _find_slot(request, target, busy)
        if days is None and target > earliest:
            days, blocked = _find_slot(request, earliest, busy)
        if days is None:
            if earliest > request.last_start:  # no start day left at all: after a workshop, the gap's fault
                constraint = WINDOW if previous_end is None else GAP
            else:
                constraint = _main_constraint(blocked)
            plan.problems.append(
                Problem(
                    group=request.key,
                    module=module,
                    constraint=constraint,
                    earliest=earliest,
                    latest=request.ends_on,
                    blocked=tuple(sorted(blocked.items())),
                )
            )
            continue
        plan.placements.append(Placement(request.key, module, days))
        busy.add(request.trainer, request.enterprises, days)
        previous_end = days[-1]


def schedule(requests: Sequence[GroupRequest], busy: Busy | None = None) -> Plan:
    """Propose workshop days for every group in turn; later groups work around earlier ones."""
    busy = busy.copy() if busy else Busy()
    plan = Plan()
    for request in requests:
        schedule_group(request, busy, plan)
    return plan
