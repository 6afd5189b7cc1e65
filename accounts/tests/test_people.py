"""The People page: everyone with role, enterprises, last log-in and status; deactivate, reactivate,
hand a departing consultant's enterprises over; officers only."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import AccountEvent, AccountEventKind
from conftest import make_user
from enterprises.models import ConsultantAssignment
from score_portal.roles import CONSULTANT

pytestmark = pytest.mark.django_db

OFFICER_PAGES = [
    ("accounts:people", False),
    ("accounts:invite", False),
    ("accounts:person_detail", True),
    ("activity:log", False),
    ("activity:log_csv", False),
]


@pytest.mark.parametrize("persona", ["consultant", "contact"])
@pytest.mark.parametrize(("name", "with_pk"), OFFICER_PAGES)
def test_only_officers_reach_the_people_and_activity_pages(persona_client, persona, name, with_pk, officer):
    client = persona_client(persona)
    url = reverse(name, args=[officer.pk] if with_pk else [])
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("persona", ["consultant", "contact"])
def test_nobody_but_an_officer_deactivates_anyone(persona_client, persona, officer):
    client = persona_client(persona)
    assert client.post(reverse("accounts:person_deactivate", args=[officer.pk])).status_code == 403
    officer.refresh_from_db()
    assert officer.is_active


def test_the_people_page_lists_everyone_with_role_enterprises_and_status(
    officer_client, enterprise, consultant, contact, django_user_model, django_assert_max_num_queries
):
    # Many people, each with enterprises: the page still costs a fixed number of queries.
    from enterprises.path import services
    from enterprises.tests.factories import make_enterprise

    officer = get_user_model().objects.get(username="officer1")
    extra = make_enterprise(officer, number="7000-1", legal_name="Lahore Looms")
    for n in range(30):
        person = make_user(django_user_model, f"consultant-x{n}", CONSULTANT)
        services.assign_consultant(extra, person, by=officer)
        services.assign_consultant(enterprise, person, by=officer)
    with django_assert_max_num_queries(12):
        page = officer_client.get(reverse("accounts:people")).content.decode()
    assert "Imran" in page and "Consultant" in page and "Indus Knitwear (Pvt) Ltd" in page
    assert "Ayesha" in page and "Enterprise contact" in page
    assert "consultant-x29" in page and "Lahore Looms" in page

    contacts_only = officer_client.get(reverse("accounts:people"), {"role": "Enterprise contact"}).content.decode()
    assert "Ayesha" in contacts_only and "consultant-x1" not in contacts_only


def test_a_deactivated_person_cannot_log_in_and_keeps_their_history(officer_client, officer, consultant, enterprise):
    response = officer_client.post(
        reverse("accounts:person_deactivate", args=[consultant.pk]), {"reason": "Left the programme in March"}
    )
    assert response.status_code == 302
    consultant.refresh_from_db()
    assert not consultant.is_active
    # The assignment and its history stay.
    assert ConsultantAssignment.objects.filter(consultant=consultant, enterprise=enterprise).exists()
    event = AccountEvent.objects.get(kind=AccountEventKind.DEACTIVATED)
    assert (event.user, event.by, event.detail) == (consultant, officer, "Left the programme in March")

    from django.test import Client

    stranger = Client()
    login = stranger.post(reverse("login"), {"username": "consultant1", "password": "correct-horse-battery"})
    assert login.status_code == 200  # the form again, not a redirect
    assert "_auth_user_id" not in stranger.session

    officer_client.post(reverse("accounts:person_reactivate", args=[consultant.pk]))
    consultant.refresh_from_db()
    assert consultant.is_active
    login = stranger.post(reverse("login"), {"username": "consultant1", "password": "correct-horse-battery"})
    assert login.status_code == 302


def test_a_deactivated_persons_open_session_ends(client, officer, consultant):
    client.force_login(consultant)
    assert client.get(reverse("home")).status_code == 200
    from accounts import services

    services.deactivate(consultant, by=officer)
    assert client.get(reverse("home")).status_code == 302  # back to the log-in page


def test_an_officer_cannot_deactivate_themselves(officer_client, officer):
    officer_client.post(reverse("accounts:person_deactivate", args=[officer.pk]))
    officer.refresh_from_db()
    assert officer.is_active


def test_a_departing_consultants_enterprises_go_to_another_in_one_action(
    officer_client, officer, consultant, other_consultant, enterprise, other_enterprise
):
    from enterprises.path import services

    services.assign_consultant(other_enterprise, consultant, by=officer)
    page = officer_client.get(reverse("accounts:person_detail", args=[consultant.pk])).content.decode()
    assert "Hand the enterprises over" in page
    response = officer_client.post(
        reverse("accounts:person_hand_over", args=[consultant.pk]), {"to_consultant": other_consultant.pk}
    )
    assert response.status_code == 302
    assert not ConsultantAssignment.objects.filter(consultant=consultant).exists()
    taken_over = ConsultantAssignment.objects.filter(consultant=other_consultant).values_list("enterprise", flat=True)
    assert set(taken_over) == {enterprise.pk, other_enterprise.pk}
    event = AccountEvent.objects.get(kind=AccountEventKind.ENTERPRISES_HANDED_OVER)
    assert event.by == officer and "Indus Knitwear" in event.detail and "Ravi Denim Mills" in event.detail
    # Each removal is in the assignment's own history, with who did it.
    removed = ConsultantAssignment.history.filter(consultant_id=consultant.pk, history_type="-")
    assert removed.count() == 2 and {h.history_user_id for h in removed} == {officer.pk}
