import pytest
from django.conf import settings
from django.urls import reverse

from score_portal.demo import DEMO_USERS


@pytest.mark.django_db
def test_lockout_after_repeated_failed_logins(client, officer):
    login = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(login, {"username": officer.username, "password": "wrong"})
        assert not response.wsgi_request.user.is_authenticated
    response = client.post(login, {"username": officer.username, "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_failed_attempt_below_the_limit_still_lets_the_right_password_in(client, officer):
    client.post(reverse("login"), {"username": officer.username, "password": "wrong"})
    response = client.post(reverse("login"), {"username": officer.username, "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "heading", "absent"),
    [
        ("officer", "What awaits a decision", "Your account has no role yet"),
        ("consultant", "My work", "Screening queue"),
        ("enterprise", "Our SCORE programme", "Screening queue"),
    ],
)
def test_each_demo_user_logs_in_and_sees_its_home(client, username, heading, absent):
    from django.core.management import call_command

    call_command("seed_demo", "--enterprises", "0", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert username in [u[0] for u in DEMO_USERS]
    response = client.post(reverse("login"), {"username": username, "password": settings.DEMO_PASSWORD}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert heading in page
    assert absent not in page


@pytest.mark.django_db
def test_password_change_page_works_for_a_logged_in_user(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "correct-horse-battery",
            "new_password1": "Sialkot-Looms-2026",
            "new_password2": "Sialkot-Looms-2026",
        },
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password("Sialkot-Looms-2026")


@pytest.mark.django_db
def test_password_reset_sends_a_link(client, officer, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": officer.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/reset/" in mailoutbox[0].body
