"""The visitor's address behind proxies, the log-in lockout and the password-reset limit that use it,
the shared (Redis) counters, and the clean-up of expired sessions."""

import datetime
import os
import uuid

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from score_portal.client_address import client_ip
from score_portal.rate_limits import over_limit


# ---------------------------------------------------------------- the visitor's address
@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "", "203.0.113.5"),
        (0, "203.0.113.5", "198.51.100.1", "203.0.113.5"),  # no proxy trusted: the header is anyone's
        (1, "127.0.0.1", "198.51.100.1", "198.51.100.1"),
        (1, "127.0.0.1", "10.9.8.7, 198.51.100.1", "198.51.100.1"),  # the client's own entry is not believed
        (2, "127.0.0.1", "10.9.8.7, 198.51.100.1, 192.0.2.44", "198.51.100.1"),
        (2, "127.0.0.1", "198.51.100.1", "198.51.100.1"),  # fewer entries than proxies: the leftmost
        (1, "127.0.0.1", "", "127.0.0.1"),  # the proxy added nothing
        (1, "127.0.0.1", "not-an-address", "127.0.0.1"),
        (1, "127.0.0.1", "198.51.100.1:51234", "198.51.100.1"),
        (1, "::1", "2001:db8::7", "2001:db8::7"),
        (1, "::1", "[2001:db8::7]:443", "2001:db8::7"),
    ],
)
def test_the_visitor_address_is_read_past_the_trusted_proxies(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_axes_and_the_rate_limits_see_the_same_address(settings):
    from axes.helpers import get_client_ip_address
    from django_ratelimit.core import _get_ip

    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().post("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.4")
    assert get_client_ip_address(request) == _get_ip(request) == "198.51.100.4"


@pytest.mark.django_db
def test_behind_the_proxy_a_stranger_cannot_lock_the_officer_out(settings, officer):
    settings.TRUSTED_PROXY_COUNT = 1
    login = reverse("login")
    stranger = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.66")
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        stranger.post(login, {"username": officer.username, "password": "guess"})
    locked = stranger.post(login, {"username": officer.username, "password": "correct-horse-battery"})
    assert locked.status_code == 429  # the stranger's address is locked out for that account

    at_the_office = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8")
    response = at_the_office.post(login, {"username": officer.username, "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert at_the_office.session["_auth_user_id"] == str(officer.pk)


# ---------------------------------------------------------------- password reset
@pytest.mark.django_db
def test_password_reset_requests_beyond_the_limit_get_the_429_page(settings, officer, mailoutbox):
    settings.PASSWORD_RESET_RATE = "3/h"
    url = reverse("password_reset")
    assert url == "/accounts/password_reset/"
    client = Client(REMOTE_ADDR="198.51.100.77")
    for _ in range(3):
        assert client.get(url).status_code == 200  # looking does not count
        assert client.post(url, {"email": officer.email}).status_code == 302
    response = client.post(url, {"email": officer.email})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Please wait a little before trying again" in html and "Back to the log-in page" in html
    assert int(response["Retry-After"]) > 0
    assert len(mailoutbox) == 3
    assert Client(REMOTE_ADDR="198.51.100.78").post(url, {"email": officer.email}).status_code == 302


# ---------------------------------------------------------------- counters shared between processes
@pytest.mark.skipif(
    not os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"),
    reason="Redis cache test skipped: set CELERY_BROKER_URL=redis://127.0.0.1:6379/N (as .ci/run does).",
)
def test_the_limits_count_in_redis_with_djangos_own_cache_backend(settings):
    # Django's RedisCache is not on django-ratelimit's list, but its incr is Redis' atomic INCRBY.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["CELERY_BROKER_URL"],
            "KEY_PREFIX": f"test-{uuid.uuid4()}",  # the broker's database: touch nothing but our own keys
        }
    }
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.200")
    answers = [over_limit(request, "redis-test", "3/h") for _ in range(5)]
    assert answers[:3] == [None, None, None]
    assert all(isinstance(seconds, int) and 0 < seconds <= 3605 for seconds in answers[3:])


# ---------------------------------------------------------------- expired sessions
@pytest.mark.django_db
def test_the_scheduled_task_deletes_expired_sessions_only():
    from score_portal.celery import app
    from score_portal.tasks import clear_expired_sessions

    for expires in (-2, -1, +1):
        store = SessionStore()
        store["x"] = 1
        store.set_expiry(timezone.now() + datetime.timedelta(days=expires))
        store.save()
    assert Session.objects.count() == 3

    clear_expired_sessions.apply()  # here, whether or not a broker is configured

    assert Session.objects.count() == 1
    assert Session.objects.get().expire_date > timezone.now()
    entry = django_settings.CELERY_BEAT_SCHEDULE["clear-expired-sessions"]
    assert entry["task"] == clear_expired_sessions.name and entry["task"] in app.tasks
