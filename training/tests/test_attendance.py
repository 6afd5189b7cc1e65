"""Attendance: counts by sex and role (plain and from the database), the register on a phone, its queries."""

import pytest
from django.urls import reverse

from training.delivery import rules as delivery_rules
from training.delivery import selectors as delivery_selectors
from training.delivery import services as delivery_services
from training.models import Attendance, Participant, Sex, StaffLevel
from training.tests.delivery_factories import MONDAY, make_group, make_workshop, mark, nominate_four

F, M = Sex.FEMALE, Sex.MALE
MGR, WRK = StaffLevel.MANAGER, StaffLevel.WORKER


def test_counts_by_sex_and_role_count_each_person_once():
    rows = [
        (1, F, MGR, True),
        (1, F, MGR, True),  # the same woman manager on day 2
        (2, M, MGR, False),
        (2, M, MGR, True),  # absent on day 1, present on day 2: counted
        (3, F, WRK, True),
        (4, M, WRK, False),
        (4, M, WRK, False),  # never came
        (5, F, WRK, True),
    ]
    counts = delivery_rules.count_attendance(rows)
    assert (counts.total, counts.nominated, counts.absent) == (4, 5, 1)
    assert (counts.women, counts.men) == (3, 1)
    assert (counts.managers, counts.workers) == (2, 2)
    assert (counts.women_managers, counts.men_managers, counts.women_workers, counts.men_workers) == (1, 1, 2, 0)


def test_no_rows_count_nothing():
    counts = delivery_rules.count_attendance([])
    assert counts.total == counts.nominated == 0


@pytest.mark.parametrize(
    ("levels", "warned"),
    [
        (["manager", "manager", "worker", "worker"], False),
        (["worker", "manager", "worker", "manager"], False),
        (["manager", "manager", "manager", "worker"], True),
        (["manager", "worker"], True),
        ([], True),
    ],
)
def test_two_managers_and_two_workers_or_a_warning(levels, warned):
    assert (delivery_rules.composition_warning(levels) is not None) is warned


@pytest.mark.django_db
def test_counts_per_session_workshop_and_group(enterprise, other_enterprise, consultant):
    group = make_group(enterprise, other_enterprise, trainer=consultant)
    workshop = make_workshop(group, 3, MONDAY, consultant)
    day1, day2 = workshop.sessions.order_by("day")
    ours = nominate_four(workshop, enterprise)
    theirs = nominate_four(workshop, other_enterprise, prefix="R-")
    for person in ours + theirs:
        mark(day1, person, present=person not in (ours[1], theirs[3]))  # a man manager and a man worker away
        mark(day2, person, present=person is not theirs[2])  # a woman worker away on day 2
    participants = Participant.objects.filter(workshop=workshop)
    on_day1 = delivery_selectors.counts(participants, sessions=[day1.pk])
    assert (on_day1.total, on_day1.women, on_day1.men, on_day1.managers, on_day1.workers) == (6, 4, 2, 3, 3)
    on_day2 = delivery_selectors.counts(participants, sessions=[day2.pk])
    assert (on_day2.total, on_day2.women, on_day2.workers) == (7, 3, 3)
    whole = delivery_selectors.counts(participants)
    assert (whole.total, whole.nominated, whole.women_workers) == (8, 8, 2)
    by_module = delivery_selectors.counts_by(
        Participant.objects.filter(workshop__group=group), "workshop__module__number"
    )
    assert list(by_module) == [3] and by_module[3].total == 8


@pytest.mark.django_db
def test_register_marks_everyone_present_but_the_exceptions(client, enterprise, other_enterprise, consultant, officer):
    group = make_group(enterprise, other_enterprise, trainer=consultant)
    workshop = make_workshop(group, 2, MONDAY, consultant)
    session = workshop.sessions.get(day=1)
    people = nominate_four(workshop, enterprise) + nominate_four(workshop, other_enterprise, prefix="R-")
    client.force_login(consultant)  # the trainer records
    url = reverse("training:session_detail", args=[session.pk])
    page = client.get(url).content.decode()
    assert page.count('type="checkbox" name="present"') == 8 and page.count(" checked") == 8
    absent = {people[0].pk, people[5].pk}
    response = client.post(url, {"present": [p.pk for p in people if p.pk not in absent]})
    assert response.status_code == 302
    assert (
        set(Attendance.objects.filter(session=session, present=False).values_list("participant", flat=True)) == absent
    )
    assert Attendance.objects.filter(session=session, present=True).count() == 6
    # corrected later: one of them did come
    client.post(url, {"present": [p.pk for p in people if p.pk != people[5].pk]})
    assert list(Attendance.objects.filter(session=session, present=False).values_list("participant", flat=True)) == [
        people[5].pk
    ]
    assert Attendance.objects.filter(session=session).count() == 8


@pytest.mark.django_db
def test_only_officers_and_the_trainer_record(
    persona_client, enterprise, other_enterprise, consultant, other_consultant
):
    group = make_group(enterprise, other_enterprise, trainer=other_consultant)
    workshop = make_workshop(group, 2, MONDAY, other_consultant)
    session = workshop.sessions.get(day=1)
    nominate_four(workshop, enterprise)
    url = reverse("training:session_detail", args=[session.pk])
    expected = {"officer": 302, "other_consultant": 302, "consultant": 403, "contact": 403, "other_contact": 403}
    for persona, status in expected.items():
        assert persona_client(persona).post(url, {"present": []}).status_code == status, persona


@pytest.mark.django_db
def test_record_attendance_service_counts_present(enterprise, officer):
    group = make_group(enterprise)
    workshop = make_workshop(group, 4, MONDAY)
    people = nominate_four(workshop, enterprise)
    session = workshop.sessions.get(day=2)
    assert delivery_services.record_attendance(session, people, [people[0].pk], by=officer) == 3


@pytest.mark.django_db
def test_the_register_page_has_a_bounded_number_of_queries(
    client, django_assert_max_num_queries, officer, enterprise, other_enterprise
):
    group = make_group(enterprise, other_enterprise)
    workshop = make_workshop(group, 5, MONDAY)
    session = workshop.sessions.get(day=1)
    client.force_login(officer)
    url = reverse("training:session_detail", args=[session.pk])
    nominate_four(workshop, enterprise)
    client.get(url)
    with django_assert_max_num_queries(14) as few:
        assert client.get(url).status_code == 200
    for person in nominate_four(workshop, other_enterprise, prefix="R-") + nominate_four(workshop, other_enterprise):
        mark(session, person)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('name="present"') == 12
