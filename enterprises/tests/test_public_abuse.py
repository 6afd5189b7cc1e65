"""The public EOI form is not an open door: limits per address and per recipient, a trap for robots,
no session nor draft for a mere visit, and a clear answer to a tampered page or draft."""

import datetime
import random

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from enterprises.models import ExpressionOfInterest
from enterprises.screening import services
from enterprises.screening.forms import HONEYPOT_FIELD, STEPS
from enterprises.screening.views import DraftCookieStorage
from enterprises.tests.factories import CallFactory, eoi_data
from enterprises.tests.public_form import fill_and_send, review_url, step_post, wizard_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return CallFactory(title="Pakistan SCORE Programme 2018", contact_email="hameeds@ilo.org")


def send_all_steps(client, call, last_extra=None, **overrides):
    """Post the four steps, then send from the review; return the last response. `last_extra` is added
    to the last step's POST (a refused last step is returned as it is)."""
    response = None
    for name, _form, _title in STEPS:
        post = step_post(call, name, **overrides)
        if name == STEPS[-1][0]:
            post.update(last_extra or {})
        response = client.post(wizard_url(call), post)
    if response.status_code != 302:
        return response
    return client.post(review_url(call))


def submit(client, call, django_capture_on_commit_callbacks, number, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        return send_all_steps(client, call, registration_number=f"9100-{number}", **overrides)


def draft_cookie(call) -> str:
    return f"wizard_eoi_{call.pk}"


# ---------------------------------------------------------------- sessions and the draft
def test_looking_at_the_public_pages_creates_no_session_and_sets_no_cookie_but_csrf(client, call):
    for url in (
        reverse("enterprises:public_calls"),
        reverse("enterprises:public_apply"),  # redirects to the only open call's form
        wizard_url(call),
        wizard_url(call) + "?restart=1",
        wizard_url(call) + "?step=contact",
        review_url(call),  # nothing to review: back to the form
    ):
        response = client.get(url)
        assert response.status_code in (200, 302), url
        assert set(response.cookies) <= {"csrftoken"}, (url, response.cookies)
    assert "Step 1 of 4" in client.get(wizard_url(call)).content.decode()
    assert Session.objects.count() == 0
    assert set(client.cookies) <= {"csrftoken"}


def test_the_answers_are_kept_in_a_signed_cookie_of_the_form_and_no_session_is_written(client, call):
    response = client.post(wizard_url(call), step_post(call, "enterprise", legal_name="Ravi Denim Mills"))
    assert response.status_code == 200
    cookie = response.cookies[draft_cookie(call)]
    assert cookie["httponly"] and cookie["path"] == wizard_url(call) and cookie["samesite"] == "Lax"
    assert "sessionid" not in response.cookies and Session.objects.count() == 0
    html = client.get(wizard_url(call)).content.decode()
    assert "Step 2 of 4" in html
    client.post(wizard_url(call), {f"eoi_{call.pk}-current_step": "workforce", "wizard_goto_step": "enterprise"})
    assert 'value="Ravi Denim Mills"' in client.get(wizard_url(call)).content.decode()
    # The whole form, review and sending included, writes no session either.
    for step in ("enterprise", "workforce", "commitment"):
        client.post(wizard_url(call), step_post(call, step))
    assert fill_and_send(client, call).status_code == 302
    assert Session.objects.count() == 0 and ExpressionOfInterest.objects.count() == 1


def test_a_changed_or_foreign_draft_cookie_is_ignored_not_trusted(client, call):
    client.post(wizard_url(call), step_post(call, "enterprise", legal_name="Ravi Denim Mills"))
    value = client.cookies[draft_cookie(call)].value
    for forged in (value[:-3] + "abc", "not-a-draft", value.replace(":", ".", 1)):
        client.cookies[draft_cookie(call)] = forged
        response = client.get(wizard_url(call))
        assert response.status_code == 200
        assert "Step 1 of 4" in response.content.decode() and "Ravi Denim" not in response.content.decode()
        assert client.post(review_url(call)).status_code == 302  # back to the form, nothing sent
    assert ExpressionOfInterest.objects.count() == 0


def urdu_text(length: int, seed: int) -> str:
    """Urdu-looking text that does not compress away: random letters and spaces."""
    rng = random.Random(seed)
    letters = [chr(code) for code in range(0x0627, 0x064B)] + [" "] * 6
    return "".join(rng.choice(letters) for _i in range(length)).strip() or "ا"


# Every text answer at its longest, in Urdu.
LONGEST = {
    "legal_name": 200,
    "address": 300,
    "city": 80,
    "products": 300,
    "export_markets": 300,
    "main_buyers": 300,
    "contact_name": 120,
    "contact_position": 120,
}


def fill_with_longest_answers(client, call):
    answers = {name: urdu_text(length, i) for i, (name, length) in enumerate(LONGEST.items())}
    for name, _form, _title in STEPS:
        response = client.post(wizard_url(call), step_post(call, name, **answers))
    assert response.status_code == 302, response.context["form"].errors
    return response, answers


def test_even_the_longest_answers_in_urdu_fit_the_draft_cookie(client, call):
    response, _answers = fill_with_longest_answers(client, call)
    assert len(response.cookies[draft_cookie(call)].value) <= DraftCookieStorage.COOKIE_LIMIT
    assert Session.objects.count() == 0


def test_a_draft_too_big_for_a_cookie_goes_into_the_session_and_no_answer_is_lost(client, call, monkeypatch):
    monkeypatch.setattr(DraftCookieStorage, "COOKIE_LIMIT", 600)
    response, answers = fill_with_longest_answers(client, call)
    assert not client.cookies.get(draft_cookie(call), "") or not client.cookies[draft_cookie(call)].value
    assert Session.objects.count() == 1
    review = client.get(review_url(call))
    assert review.status_code == 200 and answers["products"] in review.content.decode()
    assert client.post(review_url(call)).status_code == 302
    eoi = ExpressionOfInterest.objects.get()
    assert (eoi.address, eoi.contact_position) == (answers["address"], answers["contact_position"])
    assert f"wizard_eoi_{call.pk}" not in Session.objects.get().get_decoded()  # sent: the draft is gone


def test_starting_again_removes_the_draft(client, call):
    client.post(wizard_url(call), step_post(call, "enterprise"))
    response = client.get(wizard_url(call) + "?restart=1")
    assert response.cookies[draft_cookie(call)].value == ""  # deleted
    assert "Step 1 of 4" in client.get(wizard_url(call)).content.decode()


# ---------------------------------------------------------------- tampered pages
@pytest.mark.parametrize("step", ["nope", "", "enterprise ", "ENTERPRISE", "0", "<script>", "contact\x00"])
def test_an_unknown_step_is_answered_400_and_the_answers_stay(client, call, step):
    client.post(wizard_url(call), step_post(call, "enterprise"))
    post = step_post(call, "workforce")
    post[f"eoi_{call.pk}-current_step"] = step
    response = client.post(wizard_url(call), post)
    assert response.status_code == 400
    assert "The portal could not read what was sent" in response.content.decode()
    html = client.get(wizard_url(call)).content.decode()
    assert "Step 2 of 4" in html


def test_a_post_without_the_management_form_is_answered_400_and_starts_no_draft(client, call):
    post = step_post(call, "enterprise")
    del post[f"eoi_{call.pk}-current_step"]
    response = client.post(wizard_url(call), post)
    assert response.status_code == 400
    assert Session.objects.count() == 0 and draft_cookie(call) not in response.cookies


# ---------------------------------------------------------------- the trap for robots
def test_the_hidden_field_is_out_of_sight_and_out_of_reach(client, call):
    html = client.get(wizard_url(call)).content.decode()
    assert '<div class="form-honeypot" aria-hidden="true">' in html
    assert f'name="{HONEYPOT_FIELD}" value="" tabindex="-1" autocomplete="off"' in html


def test_a_filled_hidden_field_saves_and_mails_nothing_and_says_only_not_accepted(
    client, call, django_capture_on_commit_callbacks, mailoutbox
):
    response = submit(client, call, django_capture_on_commit_callbacks, 1, last_extra={HONEYPOT_FIELD: "http://x"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Your answers could not be accepted" in html
    assert "hameeds@ilo.org" in html  # a person who got here somehow can still reach the ILO
    assert not any(word in html.lower() for word in ("hidden field", "robot", "spam", "honeypot"))
    assert ExpressionOfInterest.objects.count() == 0 and mailoutbox == []


def test_a_robot_filling_the_hidden_field_on_the_first_step_gets_no_session_nor_draft(client, call):
    post = step_post(call, "enterprise")
    post[HONEYPOT_FIELD] = "cheap-pills.example"
    response = client.post(wizard_url(call), post)
    assert response.status_code == 400
    assert Session.objects.count() == 0 and draft_cookie(call) not in response.cookies


# ---------------------------------------------------------------- rate limit per address
def test_submissions_beyond_the_limit_get_a_friendly_429_and_keep_the_answers(
    call, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.EOI_SUBMISSION_RATE = "2/h"
    spammer = Client(REMOTE_ADDR="203.0.113.9")
    for number in (1, 2):
        assert submit(spammer, call, django_capture_on_commit_callbacks, number).status_code == 302
    response = submit(spammer, call, django_capture_on_commit_callbacks, 3)

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600 + 5
    html = response.content.decode()
    assert "Please wait a little before trying again" in html
    assert "Please try again in about" in html
    assert "hameeds@ilo.org" in html
    assert "429" not in html  # plain words, no status codes
    assert ExpressionOfInterest.objects.count() == 2 and len(mailoutbox) == 2
    # The third enterprise's answers wait in its draft: the last step shows them again.
    assert 'value="ayesha@indusknit.example.pk"' in spammer.get(wizard_url(call)).content.decode()

    # Another address is not affected.
    neighbour = Client(REMOTE_ADDR="203.0.113.10")
    assert submit(neighbour, call, django_capture_on_commit_callbacks, 4).status_code == 302


def test_steps_with_mistakes_do_not_count_towards_the_limit(call, settings, django_capture_on_commit_callbacks):
    settings.EOI_SUBMISSION_RATE = "1/h"
    person = Client(REMOTE_ADDR="203.0.113.20")
    for _attempt in range(5):
        response = person.post(wizard_url(call), step_post(call, "enterprise", legal_name=""))
        assert response.status_code == 200 and response.context["form"].errors
    assert submit(person, call, django_capture_on_commit_callbacks, 1).status_code == 302


def test_behind_a_trusted_proxy_each_visitor_counts_alone_and_a_forged_header_does_not_help(
    call, settings, django_capture_on_commit_callbacks
):
    settings.EOI_SUBMISSION_RATE = "1/h"
    settings.TRUSTED_PROXY_COUNT = 1

    def visitor(header):
        # Every request reaches the portal from the proxy, 127.0.0.1.
        return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=header)

    assert submit(visitor("198.51.100.1"), call, django_capture_on_commit_callbacks, 1).status_code == 302
    assert submit(visitor("198.51.100.2"), call, django_capture_on_commit_callbacks, 2).status_code == 302
    # The first visitor again, putting a made-up address in front: the proxy's entry is the one believed.
    forged = visitor("10.9.8.7, 198.51.100.1")
    assert submit(forged, call, django_capture_on_commit_callbacks, 3).status_code == 429


def test_when_the_cache_is_down_enterprises_can_still_apply(
    call, settings, django_capture_on_commit_callbacks, caplog
):
    # A Redis nobody listens on: the counter fails, the submission goes through, the outage is logged.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    response = submit(Client(), call, django_capture_on_commit_callbacks, 1)
    assert response.status_code == 302
    assert ExpressionOfInterest.objects.count() == 1
    assert "Rate limit eoi-submission not checked" in caplog.text


# ---------------------------------------------------------------- acknowledgements per recipient
def test_one_address_gets_at_most_three_acknowledgements_a_day_and_every_eoi_is_kept(
    call, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.EOI_SUBMISSION_RATE = "100/h"
    victim = "Victim@Example.org"
    confirmations = []
    for number in range(5):
        email = victim if number % 2 else victim.lower()  # the case of the address does not matter
        response = submit(Client(), call, django_capture_on_commit_callbacks, number, contact_email=email)
        assert response.status_code == 302
        confirmations.append(Client().get(response.url).content.decode())
    assert ExpressionOfInterest.objects.count() == 5
    # The confirmation promises an email only when one was queued.
    promised = ["We send an acknowledgement" in page for page in confirmations]
    assert promised == [True, True, True, False, False]
    assert all("No acknowledgement is emailed this time" in page for page in confirmations[3:])
    assert len(mailoutbox) == 3
    assert {m.to[0].lower() for m in mailoutbox} == {victim.lower()}


def test_may_acknowledge_counts_the_last_24_hours_of_public_eois_only(call, officer):
    now = timezone.now()

    def eoi(number, *, hours_ago, entered_by=None, email="hr@example.org"):
        saved = services.submit_expression_of_interest(
            call, eoi_data(registration_number=f"9200-{number}", contact_email=email), entered_by=entered_by
        )
        ExpressionOfInterest.objects.filter(pk=saved.pk).update(
            submitted_at=now - datetime.timedelta(hours=hours_ago)
        )

    eoi(1, hours_ago=30)  # older than a day
    eoi(2, hours_ago=2, entered_by=officer)  # entered by an officer: never acknowledged by mail
    eoi(3, hours_ago=2, email="someone-else@example.org")
    eoi(4, hours_ago=5)
    eoi(5, hours_ago=1)
    eoi(6, hours_ago=0)
    assert services.may_acknowledge("HR@example.org", now=now) is True  # 3 public ones, this one included
    eoi(7, hours_ago=0)
    assert services.may_acknowledge("hr@example.org", now=now) is False
    assert services.may_acknowledge("hr@example.org", now=now + datetime.timedelta(hours=23, minutes=30)) is True
