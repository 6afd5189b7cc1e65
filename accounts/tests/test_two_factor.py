"""Two-factor authentication: officers must give a TOTP code when OFFICER_TWO_FACTOR_REQUIRED is on;
anyone who enrolled gives one; the others log in with the password alone."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AccountEvent, AccountEventKind

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def log_in(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


def code_for(device, offset=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


@pytest.fixture
def required(settings):
    settings.OFFICER_TWO_FACTOR_REQUIRED = True


def test_the_setting_is_on_in_production_and_off_in_development():
    import subprocess
    import sys

    probe = "from django.conf import settings; print(settings.OFFICER_TWO_FACTOR_REQUIRED)"

    def read(debug):
        env = {"DJANGO_DEBUG": debug, "SECRET_KEY": "k" * 50, "DJANGO_SETTINGS_MODULE": "score_portal.settings"}
        import os

        env = {**os.environ, **env}
        env.pop("OFFICER_TWO_FACTOR_REQUIRED", None)
        out = subprocess.run(  # noqa: S603 - fixed command line
            [sys.executable, "-c", f"import django; django.setup(); {probe}"], env=env, capture_output=True, text=True
        )
        return out.stdout.strip()

    assert read("0") == "True"
    assert read("1") == "False"


def test_an_officer_without_a_device_must_enrol_before_any_page(client, officer, required):
    response = log_in(client, officer)
    assert response.status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 302 and home["Location"].startswith(reverse("accounts:two_factor_enrol"))
    # Not even the enterprise list or the people page.
    assert client.get(reverse("enterprises:enterprise_list")).status_code == 302
    assert client.get(reverse("accounts:people")).status_code == 302

    page = client.get(reverse("accounts:two_factor_enrol")).content.decode()
    assert "<svg" in page and "Scan this code" in page
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    secret = re.search(r'<code class="user-select-all">([A-Z2-7]+)</code>', page).group(1)
    import base64

    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key

    wrong = client.post(reverse("accounts:two_factor_enrol"), {"token": "000000"})
    assert wrong.status_code == 200 and "not right" in wrong.content.decode()
    # A wrong code makes the next try wait a second (django-otp's throttle); the test does not wait.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    ok = client.post(reverse("accounts:two_factor_enrol"), {"token": code_for(device), "next": "/people/"})
    assert ok.status_code == 302 and ok["Location"] == "/people/"
    assert client.get(reverse("home")).status_code == 200
    assert AccountEvent.objects.filter(kind=AccountEventKind.TWO_FACTOR_ENROLLED, user=officer).exists()


def test_an_enrolled_officer_gives_the_code_at_each_log_in(client, officer, required):
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    log_in(client, officer)
    response = client.get(reverse("enterprises:enterprise_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert client.post(reverse("accounts:two_factor_verify"), {"token": "12345x"}).status_code == 200
    assert client.get(reverse("home")).status_code == 302
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    listing = reverse("enterprises:enterprise_list")
    verified = client.post(reverse("accounts:two_factor_verify"), {"token": code_for(device), "next": listing})
    assert verified["Location"] == reverse("enterprises:enterprise_list")
    assert client.get(reverse("enterprises:enterprise_list")).status_code == 200


def test_without_the_setting_an_officer_logs_in_with_the_password_alone(client, officer, settings):
    settings.OFFICER_TWO_FACTOR_REQUIRED = False
    log_in(client, officer)
    assert client.get(reverse("home")).status_code == 200


def test_a_consultant_may_log_in_without_but_once_enrolled_gives_the_code(client, consultant, required):
    log_in(client, consultant)
    assert client.get(reverse("home")).status_code == 200
    client.logout()
    device = TOTPDevice.objects.create(user=consultant, name="phone", confirmed=True)
    log_in(client, consultant)
    assert client.get(reverse("home")).status_code == 302
    client.post(reverse("accounts:two_factor_verify"), {"token": code_for(device)})
    assert client.get(reverse("home")).status_code == 200


def test_an_officer_removes_a_lost_device(officer_client, consultant):
    TOTPDevice.objects.create(user=consultant, name="phone", confirmed=True)
    officer_client.post(reverse("accounts:person_remove_two_factor", args=[consultant.pk]))
    assert not TOTPDevice.objects.filter(user=consultant).exists()
    assert AccountEvent.objects.filter(kind=AccountEventKind.TWO_FACTOR_REMOVED, user=consultant).exists()


def test_the_next_address_never_leaves_the_portal(client, officer, required):
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    log_in(client, officer)
    response = client.post(
        reverse("accounts:two_factor_verify"), {"token": code_for(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")
