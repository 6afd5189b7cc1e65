"""The scheduler's properties over many generated groups (hypothesis), and the failures it must name."""

import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from training.delivery import scheduling
from training.delivery.scheduling import Busy, GroupRequest, WorkingCalendar

MODULES = (2, 3, 4, 5)
BASE = datetime.date(2027, 1, 4)


@st.composite
def groups(draw):
    """A handful of groups over a pool of enterprises and trainers (an enterprise may sit in two groups,
    to exercise the enterprise constraint), with holidays and days already taken elsewhere."""
    holidays = frozenset(
        BASE + datetime.timedelta(days=d) for d in draw(st.lists(st.integers(0, 500), max_size=20, unique=True))
    )
    calendar = WorkingCalendar(
        non_working_weekdays=frozenset(draw(st.sets(st.integers(0, 6), max_size=2))),
        short_weekdays=frozenset(draw(st.sets(st.integers(0, 6), max_size=1))),
        holidays=holidays,
    )
    requests = []
    for key in range(draw(st.integers(1, 6))):
        start = BASE + datetime.timedelta(days=draw(st.integers(0, 60)))
        length = draw(st.integers(365, 456))  # 12 to 15 months
        requests.append(
            GroupRequest(
                key=key,
                modules=tuple(draw(st.permutations(MODULES))),
                starts_on=start,
                ends_on=start + datetime.timedelta(days=length),
                enterprises=frozenset(draw(st.sets(st.integers(1, 10), min_size=1, max_size=5))),
                trainer=draw(st.one_of(st.none(), st.integers(100, 102))),
                min_gap_days=draw(st.integers(0, 120)),
                calendar=calendar,
            )
        )
    busy = Busy()
    for _i in range(draw(st.integers(0, 12))):
        day = BASE + datetime.timedelta(days=draw(st.integers(0, 500)))
        busy.add(
            draw(st.one_of(st.none(), st.integers(100, 102))), draw(st.sets(st.integers(1, 10), max_size=3)), [day]
        )
    return requests, busy


def _assert_plan_is_sound(requests, busy, plan):
    by_key = {r.key: r for r in requests}
    trainer_days = {k: set(v) for k, v in busy.trainers.items()}
    enterprise_days = {k: set(v) for k, v in busy.enterprises.items()}
    for request in requests:
        placed = [p.module for p in plan.placements if p.group == request.key]
        failed = [p.module for p in plan.problems if p.group == request.key]
        # every module exactly once: placed or reported, never both, never twice
        assert sorted(placed + failed) == sorted(request.modules)
        # in the group's order, with the minimum gap between consecutive workshops
        mine = plan.for_group(request.key)
        assert [p.module for p in mine] == [m for m in request.modules if m in placed]
        for before, after in zip(mine, mine[1:], strict=False):
            assert (after.start - before.end).days >= request.min_gap_days
    for placement in plan.placements:
        request = by_key[placement.group]
        assert len(placement.days) == scheduling.WORKSHOP_DAYS
        assert placement.days == scheduling.workshop_days(placement.start)
        for day in placement.days:
            assert request.starts_on <= day <= request.ends_on, "outside the window"
            assert request.calendar.closed(day) is None, "on a non-working day or holiday"
            if request.trainer is not None:
                assert day not in trainer_days.setdefault(request.trainer, set()), "trainer in two places"
                trainer_days[request.trainer].add(day)
            for enterprise in request.enterprises:
                assert day not in enterprise_days.setdefault(enterprise, set()), "enterprise in two workshops"
                enterprise_days[enterprise].add(day)
    for problem in plan.problems:
        assert problem.constraint in scheduling.CONSTRAINTS
        assert str(problem.constraint_label)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(groups())
def test_generated_groups_get_sound_plans(case):
    requests, busy = case
    before = busy.copy()
    plan = scheduling.schedule(requests, busy)
    _assert_plan_is_sound(requests, before, plan)
    assert busy.trainers == before.trainers and busy.enterprises == before.enterprises, "input left untouched"


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 6),
    st.integers(365, 456),
    st.sets(st.integers(1, 30), min_size=1, max_size=5),
)
def test_with_room_enough_every_module_is_placed(groups_count, length, enterprises):
    """Separate trainers and enterprises, an ordinary gap: nothing stands in the way, nothing fails."""
    requests = [
        GroupRequest(
            key=key,
            modules=MODULES,
            starts_on=BASE,
            ends_on=BASE + datetime.timedelta(days=length),
            enterprises=frozenset(e + 100 * key for e in enterprises),
            trainer=key,
            min_gap_days=42,
        )
        for key in range(groups_count)
    ]
    plan = scheduling.schedule(requests)
    assert plan.ok
    assert len(plan.placements) == 4 * groups_count


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 6), st.integers(0, 60))
def test_groups_sharing_a_trainer_never_overlap(groups_count, gap):
    requests = [
        GroupRequest(
            key=key,
            modules=MODULES,
            starts_on=BASE,
            ends_on=BASE + datetime.timedelta(days=400),
            enterprises=frozenset({key}),
            trainer="Imran",
            min_gap_days=gap,
        )
        for key in range(groups_count)
    ]
    plan = scheduling.schedule(requests)
    _assert_plan_is_sound(requests, Busy(), plan)
    days = [d for p in plan.placements for d in p.days]
    assert len(days) == len(set(days))


# ---------------------------------------------------------------- failures are named, not overlapped
def _window(days=365):
    return BASE, BASE + datetime.timedelta(days=days)


def test_a_trainer_busy_all_year_is_named():
    start, end = _window()
    busy = Busy()
    busy.add("trainer", [], [start + datetime.timedelta(days=d) for d in range(366)])
    request = GroupRequest(key="g", modules=MODULES, starts_on=start, ends_on=end, trainer="trainer", enterprises={1})
    plan = scheduling.schedule([request], busy)
    assert not plan.placements
    assert [p.constraint for p in plan.problems] == [scheduling.TRAINER] * 4
    assert all(dict(p.blocked)[scheduling.TRAINER] > 0 for p in plan.problems)


def test_an_enterprise_booked_elsewhere_all_year_is_named():
    start, end = _window()
    busy = Busy()
    busy.add(None, [7], [start + datetime.timedelta(days=d) for d in range(366)])
    request = GroupRequest(key="g", modules=MODULES, starts_on=start, ends_on=end, trainer="t", enterprises={1, 7})
    plan = scheduling.schedule([request], busy)
    assert [p.constraint for p in plan.problems] == [scheduling.ENTERPRISE] * 4


def test_a_gap_too_long_for_the_window_is_named_for_the_modules_that_do_not_fit():
    start, end = _window(200)
    request = GroupRequest(key="g", modules=MODULES, starts_on=start, ends_on=end, min_gap_days=90)
    plan = scheduling.schedule([request])
    assert [p.module for p in plan.placements] == [2, 3, 4]
    assert [(p.module, p.constraint) for p in plan.problems] == [(5, scheduling.GAP)]


def test_every_day_a_holiday_is_named():
    start, end = _window(60)
    calendar = WorkingCalendar(holidays=frozenset(start + datetime.timedelta(days=d) for d in range(61)))
    plan = scheduling.schedule([GroupRequest(key="g", modules=(2,), starts_on=start, ends_on=end, calendar=calendar)])
    assert [p.constraint for p in plan.problems] == [scheduling.HOLIDAY]


def test_two_groups_with_one_trainer_and_room_for_one_report_the_second():
    start = BASE  # a Monday
    end = start + datetime.timedelta(days=1)
    one = GroupRequest(key="a", modules=(2,), starts_on=start, ends_on=end, trainer="t", enterprises={1})
    two = GroupRequest(key="b", modules=(2,), starts_on=start, ends_on=end, trainer="t", enterprises={2})
    plan = scheduling.schedule([one, two])
    assert [p.group for p in plan.placements] == ["a"]
    assert [(p.group, p.constraint) for p in plan.problems] == [("b", scheduling.TRAINER)]


# ---------------------------------------------------------------- the calendar
def test_sundays_and_holidays_are_skipped_and_friday_avoided():
    saturday = datetime.date(2027, 1, 2)
    calendar = WorkingCalendar(holidays=frozenset({datetime.date(2027, 1, 4)}))  # Monday a holiday
    request = GroupRequest(
        key="g", modules=(2,), starts_on=saturday, ends_on=saturday + datetime.timedelta(days=60), calendar=calendar
    )
    plan = scheduling.schedule([request])
    # Sat+Sun no (Sunday), Sun+Mon no, Mon+Tue no (holiday) -> Tue 5 + Wed 6
    assert plan.placements[0].days == (datetime.date(2027, 1, 5), datetime.date(2027, 1, 6))
    thursday = datetime.date(2027, 1, 7)
    plan = scheduling.schedule(
        [GroupRequest(key="g", modules=(2,), starts_on=thursday, ends_on=thursday + datetime.timedelta(days=30))]
    )
    # Thu+Fri would include the short Friday; Fri+Sat too; Sat+Sun no; so Monday+Tuesday
    assert plan.placements[0].days == (datetime.date(2027, 1, 11), datetime.date(2027, 1, 12))


def test_a_friday_is_taken_when_nothing_better_is_free():
    thursday = datetime.date(2027, 1, 7)
    plan = scheduling.schedule(
        [GroupRequest(key="g", modules=(2,), starts_on=thursday, ends_on=thursday + datetime.timedelta(days=1))]
    )
    assert plan.placements[0].days == (thursday, thursday + datetime.timedelta(days=1))


def test_workshops_spread_over_the_window():
    start, end = _window(365)
    plan = scheduling.schedule([GroupRequest(key="g", modules=MODULES, starts_on=start, ends_on=end, min_gap_days=30)])
    starts = [p.start for p in plan.placements]
    assert (starts[-1] - starts[0]).days >= 250


def test_check_days_and_gap_name_each_broken_constraint():
    busy = Busy()
    day = datetime.date(2027, 1, 10)  # a Sunday
    busy.add("t", [5], [day])
    conflicts = scheduling.check_days(
        [day],
        calendar=WorkingCalendar(holidays=frozenset({day})),
        busy=busy,
        trainer="t",
        enterprises=[5, 6],
        window=(day + datetime.timedelta(days=1), day + datetime.timedelta(days=100)),
    )
    assert {c.code for c in conflicts} == {
        scheduling.WINDOW,
        scheduling.NON_WORKING,
        scheduling.TRAINER,
        scheduling.ENTERPRISE,
    }
    assert [c.subject for c in conflicts if c.code == scheduling.ENTERPRISE] == [5]
    gap = scheduling.check_gap([day], [[day + datetime.timedelta(days=10)], [day + datetime.timedelta(days=50)]], 30)
    assert [c.code for c in gap] == [scheduling.GAP]
