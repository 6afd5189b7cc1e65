"""Level 2 groups: needs from the baseline, the recommended order and the officer's, scheduling from the
database, moving a session with the constraints re-checked."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from baseline import services as baseline_services
from baseline.models import Indicator, Kind, Round
from training.delivery import scheduling
from training.delivery import selectors as delivery_selectors
from training.delivery import services as delivery_services
from training.models import GroupMember, PublicHoliday, Session, TrainingGroup, Workshop
from training.tests.delivery_factories import MONDAY, make_group, make_workshop


def _baseline(enterprise, in_place_modules, *, kind="basic_baseline", held_on=datetime.date(2026, 6, 1)):
    """A baseline round in which the practices of `in_place_modules` are in place and the others not."""
    round_ = Round.objects.create(enterprise=enterprise, kind=kind, held_on=held_on, first_month=held_on)
    practices = Indicator.objects.filter(kind=Kind.PRACTICE)
    baseline_services.save_practices(round_, {p.pk: p.module in in_place_modules for p in practices})
    return round_


@pytest.mark.django_db
def test_practice_gaps_come_from_the_latest_baseline(enterprise, other_enterprise):
    _baseline(enterprise, {2, 3, 4, 5})
    _baseline(enterprise, {2, 3}, kind="comprehensive_baseline", held_on=datetime.date(2026, 9, 1))
    _baseline(other_enterprise, {4})
    gaps = delivery_selectors.practice_gaps([enterprise.pk, other_enterprise.pk])
    assert gaps[enterprise.pk] == {1: 1.0, 2: 0.0, 3: 0.0, 4: 1.0, 5: 1.0}
    assert gaps[other_enterprise.pk][4] == 0.0 and gaps[other_enterprise.pk][5] == 1.0


@pytest.mark.django_db
def test_group_page_recommends_from_needs_and_says_why(client, officer, enterprise, other_enterprise):
    group = make_group(enterprise, other_enterprise)
    _baseline(enterprise, {2, 3, 4})  # safety and health practices missing
    _baseline(other_enterprise, {2, 3, 4})
    GroupMember.objects.filter(enterprise=enterprise).update(priority_modules=[5, 2])
    client.force_login(officer)
    page = client.get(reverse("training:group_detail", args=[group.pk])).content.decode()
    assert "5 → 2 → 3 → 4" in page
    assert "first priority of 1 enterprise (Indus Knitwear (Pvt) Ltd)" in page
    assert "100% of its practices not yet in place" in page
    # a group of two: warned
    assert "4–5 enterprises; this one has 2" in page


@pytest.mark.django_db
def test_an_officer_changes_the_order_and_can_go_back(client, officer, enterprise):
    group = make_group(enterprise)
    client.force_login(officer)
    url = reverse("training:group_order", args=[group.pk])
    client.post(url, {"order": "4, 3, 2, 5", "reason": "Buyer audit on safety"})
    group.refresh_from_db()
    assert group.module_order == [4, 3, 2, 5] and group.order_changed_by == officer
    client.post(url, {"order": "4, 3, 2", "reason": "x"})
    group.refresh_from_db()
    assert group.module_order == [4, 3, 2, 5]
    client.post(url, {"action": "recommended"})
    group.refresh_from_db()
    assert group.module_order == [] and group.order_changed_by is None


@pytest.mark.django_db
def test_an_enterprise_sits_in_one_group(enterprise):
    make_group(enterprise, name="A")
    other = make_group(name="B")
    with pytest.raises(ValidationError):
        delivery_services.add_member(other, enterprise)


@pytest.mark.django_db
def test_scheduling_a_group_avoids_the_trainer_and_enterprises_elsewhere(
    client, officer, consultant, enterprise, other_enterprise
):
    busy_group = make_group(other_enterprise, name="Busy", trainer=consultant)
    make_workshop(busy_group, 2, MONDAY, consultant)  # Mon 4 and Tue 5 Jan 2027
    PublicHoliday.objects.create(date=MONDAY + datetime.timedelta(days=2), name="A holiday")  # Wednesday
    group = make_group(enterprise, name="New", trainer=consultant, module_order=[3, 2, 5, 4])
    client.force_login(officer)
    url = reverse("training:group_schedule", args=[group.pk])
    page = client.get(url).content.decode()
    assert "Thu 7 Jan 2027" not in page  # Thu+Fri would take a short Friday when a full pair is free
    assert client.post(url).status_code == 302
    workshops = sorted(Workshop.objects.filter(group=group), key=lambda w: w.sessions.get(day=1).date)
    assert [w.module.number for w in workshops] == [3, 2, 5, 4]
    first = Session.objects.filter(workshop=workshops[0]).order_by("day")
    assert [s.date for s in first] == [datetime.date(2027, 1, 11), datetime.date(2027, 1, 12)]
    assert all(s.trainer == consultant for s in first)
    # nothing left to schedule: the same proposal is empty and adds nothing
    assert delivery_services.propose_schedule(group).placements == []
    client.post(url)
    assert Session.objects.filter(workshop__group=group).count() == 8


@pytest.mark.django_db
def test_a_problem_is_reported_not_overlapped(officer, consultant, enterprise):
    group = make_group(enterprise, trainer=consultant, days=20, min_gap_days=30)
    plan = delivery_services.accept_schedule(group, by=officer)
    assert len(plan.placements) == 1
    assert {p.constraint for p in plan.problems} == {scheduling.GAP}
    text = delivery_services.describe_problem(plan.problems[0])
    assert "could not be placed" in text and "minimum gap" in text
    assert Workshop.objects.filter(group=group).count() == 1


@pytest.mark.django_db
def test_moving_a_session_rechecks_the_constraints(client, officer, consultant, enterprise, other_enterprise):
    other = make_group(other_enterprise, name="Other", trainer=consultant)
    make_workshop(other, 2, MONDAY + datetime.timedelta(days=14), consultant)  # Mon 18 + Tue 19 Jan
    group = make_group(enterprise, name="Mine", trainer=consultant, min_gap_days=20)
    workshop = make_workshop(group, 3, MONDAY, consultant)
    make_workshop(group, 4, MONDAY + datetime.timedelta(days=60), consultant)
    day1 = workshop.sessions.get(day=1)
    client.force_login(officer)
    url = reverse("training:session_move", args=[day1.pk])
    # onto the other group's workshop: the trainer would be in two places; refused outright
    page = client.post(url, {"date": "2027-01-18", "shift_workshop": "on", "accept": "on"}).content.decode()
    assert "the trainer, Imran, has another session that day" in page
    assert Session.objects.get(pk=day1.pk).date == MONDAY
    # a Sunday and too close to the module 4 workshop: needs the officer's confirmation
    page = client.post(url, {"date": "2027-02-21", "shift_workshop": "on"}).content.decode()
    assert "is not a working day" in page and "minimum gap" in page
    assert Session.objects.get(pk=day1.pk).date == MONDAY
    response = client.post(url, {"date": "2027-02-21", "shift_workshop": "on", "accept": "on"})
    assert response.status_code == 302
    assert [s.date for s in workshop.sessions.order_by("day")] == [
        datetime.date(2027, 2, 21),
        datetime.date(2027, 2, 22),
    ]
    # a free working week: moves without a word
    assert client.post(url, {"date": "2027-01-26", "shift_workshop": "on"}).status_code == 302
    assert [s.date for s in workshop.sessions.order_by("day")] == [
        datetime.date(2027, 1, 26),
        datetime.date(2027, 1, 27),
    ]


@pytest.mark.django_db
def test_planning_pages_are_for_officers(persona_client, enterprise):
    group = make_group(enterprise)
    workshop = make_workshop(group, 2, MONDAY)
    urls = [
        reverse("training:delivery"),
        reverse("training:group_detail", args=[group.pk]),
        reverse("training:group_schedule", args=[group.pk]),
        reverse("training:group_new"),
        reverse("training:holidays"),
        reverse("training:session_move", args=[workshop.sessions.first().pk]),
    ]
    for url in urls:
        assert persona_client("officer").get(url).status_code == 200, url
        for persona in ("consultant", "contact"):
            assert persona_client(persona).get(url).status_code == 403, (persona, url)


@pytest.mark.django_db
def test_an_officer_creates_a_group_and_adds_members(client, officer, enterprise):
    enterprise.stage = "level2_shortlisted"
    enterprise.save(update_fields=["stage"])
    client.force_login(officer)
    response = client.post(
        reverse("training:group_new"),
        {
            "name": "Lahore knitwear",
            "starts_on": "2027-01-04",
            "ends_on": "2028-01-03",
            "min_gap_days": "42",
            "non_working_weekdays": ["6"],
            "short_weekdays": ["4"],
        },
    )
    group = TrainingGroup.objects.get(name="Lahore knitwear")
    assert response.status_code == 302 and group.non_working_weekdays == [6]
    client.post(
        reverse("training:group_member_add", args=[group.pk]), {"enterprise": enterprise.pk, "priorities": "3, 5"}
    )
    assert GroupMember.objects.get(group=group).priority_modules == [3, 5]
