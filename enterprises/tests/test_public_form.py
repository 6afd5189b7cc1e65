"""The public side of a call: the calls page, the four-step EOI form, the confirmation and status pages."""

import datetime
import io
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enterprises.models import ExpressionOfInterest
from enterprises.screening import services
from enterprises.screening.forms import STEPS
from enterprises.tests.factories import CallFactory, eoi_data
from enterprises.tests.public_form import (
    all_steps_post,
    fill_until,
    post_step,
    review_url,
    send_from_review,
    step_post,
    submit,
    wizard_url,
)
from score_portal.models import MessageStatus, OutgoingMessage

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


@pytest.fixture
def call():
    return CallFactory(title="Pakistan SCORE Programme 2018")


def field_errors(response, field):
    return [str(e) for e in response.context["form"].errors.get(field, [])]


# ---------------------------------------------------------------- calls page and /apply/
def test_calls_page_lists_only_open_calls_to_an_anonymous_visitor(client, call):
    CallFactory(
        title="Old call", opens_on=today() - datetime.timedelta(days=90), closes_on=today() - datetime.timedelta(1)
    )
    CallFactory(
        title="Future call", opens_on=today() + datetime.timedelta(days=3), closes_on=today() + datetime.timedelta(40)
    )
    response = client.get(reverse("enterprises:public_calls"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pakistan SCORE Programme 2018" in html
    assert "Old call" not in html and "Future call" not in html
    assert "Ready-made garments (knitwear)" in html
    assert "hameeds@ilo.org" in html and "Sadia Hameed" in html
    assert call.closes_on.strftime("%-d %B %Y") in html
    assert wizard_url(call) in html
    # The brand leads back to the calls page for visitors without an account.
    assert f'class="navbar-brand fw-semibold" href="{reverse("enterprises:public_calls")}"' in html


def test_calls_page_says_when_no_call_is_open(client):
    response = client.get(reverse("enterprises:public_calls"))
    assert "There is no open call at the moment" in response.content.decode()


def test_apply_goes_straight_to_the_only_open_call(client, call):
    response = client.get(reverse("enterprises:public_apply"))
    assert response.status_code == 302
    assert response["Location"] == wizard_url(call)


def test_apply_lets_the_visitor_choose_between_open_calls(client, call):
    other = CallFactory(title="Second call")
    response = client.get(reverse("enterprises:public_apply"))
    assert response.status_code == 200
    html = response.content.decode()
    assert wizard_url(call) in html and wizard_url(other) in html


def test_apply_says_so_when_no_call_is_open(client):
    response = client.get(reverse("enterprises:public_apply"))
    assert response.status_code == 200
    assert "There is no open call at the moment" in response.content.decode()


# ---------------------------------------------------------------- the form
def test_the_form_starts_at_the_enterprise_step(client, call):
    response = client.get(wizard_url(call))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Step 1 of 4" in html
    assert 'name="enterprise-legal_name"' in html
    assert 'aria-current="step"' in html


# Where each page holds its CSRF token: the form's hidden field and the htmx header (in every form of the page).
CSRF_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")([^"]+)')


def tokens_of(response) -> list[str]:
    return [token for _before, token in CSRF_TOKEN.findall(response.content.decode())]


def without_tokens(response) -> str:
    return CSRF_TOKEN.sub(r"\1<token>", response.content.decode())


@pytest.mark.parametrize("language", ["en", "ur"])
def test_every_new_visitor_gets_the_page_drawn_for_them_with_a_token_of_their_own(
    call, language, monkeypatch, django_assert_max_num_queries
):
    from django.test import Client

    from enterprises.screening.views import ExpressionOfInterestWizard

    visitors = [Client(enforce_csrf_checks=True) for _i in range(3)]
    for visitor in visitors:
        visitor.cookies["django_language"] = language
    with django_assert_max_num_queries(2):  # the call, for each
        first, second = (visitor.get(wizard_url(call)) for visitor in visitors[:2])
    # The same page as the one drawn afresh for a visitor (the first page is kept once drawn).
    monkeypatch.setattr(ExpressionOfInterestWizard, "first_visit", lambda self: False)
    drawn = visitors[2].get(wizard_url(call))
    assert first.status_code == second.status_code == drawn.status_code == 200
    assert not second.templates  # the page kept from the first visitor's, not drawn again
    assert without_tokens(first) == without_tokens(second) == without_tokens(drawn)
    assert ('dir="rtl"' in first.content.decode()) == (language == "ur")
    assert first["Cache-Control"] == drawn["Cache-Control"] and "no-store" in first["Cache-Control"]
    # Each visitor's token is their own, in every form of the page, and it is the one their POST must carry.
    assert len(set(tokens_of(first))) == 1 and len(tokens_of(first)) == len(tokens_of(drawn)) == 3
    assert tokens_of(first)[0] != tokens_of(second)[0]
    for visitor, page in ((visitors[0], first), (visitors[1], second)):
        post = {**all_steps_post(call), "csrfmiddlewaretoken": tokens_of(page)[0]}
        assert visitor.post(wizard_url(call), post).status_code == 200  # the review
    stranger = Client(enforce_csrf_checks=True)
    stranger.get(reverse("enterprises:public_calls"))  # a CSRF cookie of their own, not the first visitor's
    stolen = {**all_steps_post(call), "csrfmiddlewaretoken": tokens_of(first)[0]}
    assert stranger.post(wizard_url(call), stolen).status_code == 403


def test_a_visitor_with_answers_kept_or_logged_in_gets_their_own_page(client, call, officer):
    client.get(wizard_url(call))  # the first page is kept
    post_step(client, call, "enterprise", legal_name="Chenab Weaving (Pvt) Ltd")
    html = client.get(wizard_url(call)).content.decode()
    assert 'value="Chenab Weaving (Pvt) Ltd"' in html and "Step 2 of 4" in html
    client.logout()
    client.cookies.clear()
    client.force_login(officer)
    assert "Log out" in client.get(wizard_url(call)).content.decode()


def test_a_renamed_call_shows_its_new_title_on_the_first_page(client, call):
    assert "Pakistan SCORE Programme 2018" in client.get(wizard_url(call)).content.decode()
    call.title = "Pakistan SCORE Programme, second round"
    call.save()
    html = client.get(wizard_url(call)).content.decode()
    assert "second round" in html and "Pakistan SCORE Programme 2018" not in html


def test_yes_no_questions_are_radios_and_consent_a_checkbox(client, call):
    fill_until(client, call, "workforce")
    html = client.get(wizard_url(call)).content.decode()
    for name in ("ceo_available", "shares_order_status", "shares_baseline_data"):
        assert re.search(rf'type="radio"[^>]*name="commitment-{name}" value="True"', html)
        assert re.search(rf'type="radio"[^>]*name="commitment-{name}" value="False"', html)
    assert re.search(r'type="radio"[^>]*name="commitment-hr_officer" value="willing"', html)
    assert "The ILO keeps these data confidential." in html
    post_step(client, call, "commitment")
    html = client.get(wizard_url(call)).content.decode()
    assert re.search(r'type="checkbox"[^>]*name="contact-consent"', html)


BAD_INPUTS = [
    # (step, overrides, field, part of the message)
    ("enterprise", {"legal_name": ""}, "legal_name", "This field is required."),
    ("enterprise", {"year_established": 1850}, "year_established", "Enter a year between 1900 and"),
    ("enterprise", {"year_established": 2999}, "year_established", "Enter a year between 1900 and"),
    ("enterprise", {"year_established": "19x8"}, "year_established", "Enter the year as a number"),
    ("enterprise", {"year_established": -1998}, "year_established", "Enter a year between 1900 and"),
    ("enterprise", {"sub_sector": "other", "sub_sector_other": ""}, "sub_sector_other", "Say which textile"),
    ("enterprise", {"registration_number": " -- "}, "registration_number", "Enter the registration number"),
    ("enterprise", {"province": "texas"}, "province", "Select a valid choice"),
    ("workforce", {"workforce_women": -5, "workforce_men": 625}, "workforce_women", "Enter a number of 0 or more"),
    ("workforce", {"workforce_total": "six hundred"}, "workforce_total", "Enter a whole number"),
    ("workforce", {"workforce_managers": "4.5"}, "workforce_managers", "Enter a whole number"),
    ("workforce", {"workforce_total": 99999999}, "workforce_total", "That is more than 200,000 people"),
    ("workforce", {"workforce_total": 0}, "workforce_total", "Enter a number of 1 or more"),
    ("workforce", {"workforce_permanent": 700}, "workforce_permanent", "cannot be more than the total workforce"),
    ("workforce", {"workforce_contract": 100}, "workforce_contract", "add up to 510, but the total workforce is 620"),
    ("workforce", {"workforce_women": 200}, "workforce_men", "Women (200) and men (370) add up to 570"),
    ("workforce", {"workforce_workers": 500}, "workforce_workers", "add up to 545, but the total workforce is 620"),
    ("commitment", {"hr_officer": None}, "hr_officer", "Choose one answer."),
    ("commitment", {"compliance_officer": "maybe"}, "compliance_officer", "Select a valid choice"),
    ("commitment", {"shares_order_status": None}, "shares_order_status", "Answer yes or no."),
    ("commitment", {"shares_baseline_data": "perhaps"}, "shares_baseline_data", "Select a valid choice"),
    ("commitment", {"ceo_available": False}, "nominee_name", "The CEO is not available: name the person"),
    (
        "commitment",
        {"ceo_available": False, "nominee_name": "Bilal Khan", "nominee_position": ""},
        "nominee_position",
        "Give the nominee's position.",
    ),
    (
        "commitment",
        {
            "ceo_available": False,
            "nominee_name": "Bilal Khan",
            "nominee_position": "Director",
            "nominee_has_authority": None,
        },
        "nominee_has_authority",
        "Answer yes or no.",
    ),
    ("contact", {"consent": False}, "consent", "Tick this box to give your consent"),
    ("contact", {"contact_email": "ayesha@"}, "contact_email", "Enter a valid email address."),
    ("contact", {"contact_email": "not an email"}, "contact_email", "Enter a valid email address."),
    ("contact", {"contact_phone": "12345"}, "contact_phone", "Enter a Pakistani phone number"),
    ("contact", {"contact_phone": "+44 20 7946 0958"}, "contact_phone", "Enter a Pakistani phone number"),
    ("contact", {"contact_name": ""}, "contact_name", "This field is required."),
]


@pytest.mark.parametrize(
    ("step", "overrides", "field", "message"),
    BAD_INPUTS,
    ids=[f"{s}-{f}-{i}" for i, (s, _o, f, _m) in enumerate(BAD_INPUTS)],
)
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_saved(
    client, call, django_capture_on_commit_callbacks, mailoutbox, step, overrides, field, message
):
    with django_capture_on_commit_callbacks(execute=True):
        response = fill_until(client, call, step, **overrides)
    assert response.status_code == 200
    assert any(message in error for error in field_errors(response, field)), response.context["form"].errors
    html = response.content.decode()
    # The message is rendered with the field (crispy's invalid-feedback under the input), on the same step.
    assert f'id="error_1_id_{step}-{field}"' in html
    assert response.context["wizard"]["steps"].current == step
    assert ExpressionOfInterest.objects.count() == 0
    assert mailoutbox == []


def test_a_bad_sum_does_not_also_raise_a_raw_constraint_message(client, call):
    response = fill_until(client, call, "workforce", workforce_women=200)
    assert response.context["form"].non_field_errors() == []
    assert "Constraint" not in response.content.decode()


# ---------------------------------------------------------------- a full submission
def test_a_full_submission_saves_one_eoi_emails_the_status_link_and_the_link_works(
    client, call, django_capture_on_commit_callbacks, mailoutbox
):
    response = submit(client, call, django_capture_on_commit_callbacks)
    assert ExpressionOfInterest.objects.count() == 1
    eoi = ExpressionOfInterest.objects.get()
    assert re.fullmatch(r"SCORE-PK-\d{4}-\d{4}", eoi.reference)
    assert eoi.call == call and eoi.legal_name == "Indus Knitwear (Pvt) Ltd"
    assert eoi.workforce_total == 620 and eoi.ceo_available is True and eoi.consent is True
    assert eoi.contact_phone == "+923008486929"
    assert eoi.entered_by is None and eoi.is_late is False
    assert eoi.current_screening is not None  # screened on submission

    done_url = reverse("enterprises:public_apply_done", kwargs={"token": eoi.status_token})
    assert response.status_code == 302 and response["Location"] == done_url
    status_url = "http://testserver" + reverse("enterprises:public_eoi_status", kwargs={"token": eoi.status_token})

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["ayesha@indusknit.example.pk"]
    assert eoi.reference in mail.subject
    assert status_url in mail.body

    done = client.get(done_url)
    assert done.status_code == 200
    html = done.content.decode()
    assert eoi.reference in html and status_url in html
    assert "What happens next" in html
    assert '<meta name="robots" content="noindex">' in html

    # The form is empty again for a next enterprise.
    assert 'value="Indus Knitwear' not in client.get(wizard_url(call)).content.decode()


def test_the_status_link_works_for_an_anonymous_visitor_and_hides_the_screening_reasons(
    client, call, django_capture_on_commit_callbacks, mailoutbox
):
    submit(
        client,
        call,
        django_capture_on_commit_callbacks,
        workforce_total=200,
        workforce_permanent=100,
        workforce_contract=100,
        workforce_women=80,
        workforce_men=120,
        workforce_managers=20,
        workforce_workers=180,
    )
    eoi = ExpressionOfInterest.objects.get()
    assert eoi.result == "ineligible"  # below the minimum workforce: internal, not for the public
    link = re.search(r"https?://testserver(/eoi/status/[\w-]+/)", mailoutbox[0].body).group(1)

    client.logout()
    client.cookies.clear()
    response = client.get(link)
    assert response.status_code == 200
    html = response.content.decode()
    assert eoi.reference in html
    assert "Indus Knitwear (Pvt) Ltd" in html
    assert "Pakistan SCORE Programme 2018" in html
    assert eoi.submitted_at.astimezone(timezone.get_current_timezone()).strftime("%-d %B %Y") in html
    assert "Under review by the ILO" in html
    assert "below the minimum" not in html and "Ineligible" not in html and "ineligible" not in html
    assert '<meta name="robots" content="noindex">' in html
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_mail_server_down_the_eoi_is_saved_and_its_acknowledgement_goes_once_the_server_is_back(
    client, call, mail_server, django_capture_on_commit_callbacks
):
    # A real SMTP server on a loopback port, down: the connection is refused.
    response = submit(client, call, django_capture_on_commit_callbacks)
    eoi = ExpressionOfInterest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("enterprises:public_apply_done", kwargs={"token": eoi.status_token})
    message = OutgoingMessage.objects.get()
    assert message.related == eoi and message.to == ["ayesha@indusknit.example.pk"]
    assert message.status == MessageStatus.WAITING and message.attempts == 1 and message.sent_at is None
    assert "refused" in message.last_error.lower()
    assert client.get(response["Location"]).status_code == 200

    # The sweep leaves it alone until its next attempt is due.
    call_command("send_queued_mail", stdout=io.StringIO())
    message.refresh_from_db()
    assert message.attempts == 1

    mail_server.start()
    OutgoingMessage.objects.update(next_attempt_at=timezone.now())  # a minute later
    call_command("send_queued_mail", stdout=io.StringIO())
    call_command("send_queued_mail", stdout=io.StringIO())  # a second sweep sends nothing more
    [received] = mail_server.received
    assert received["To"] == "ayesha@indusknit.example.pk"
    assert eoi.reference in received["Subject"]
    assert eoi.status_token in received.get_payload(decode=True).decode()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 2 and message.sent_at is not None


@pytest.mark.parametrize("url_name", ["public_eoi_status", "public_apply_done"])
def test_an_unknown_token_is_not_found(client, url_name):
    response = client.get(reverse(f"enterprises:{url_name}", kwargs={"token": "no-such-token"}))
    assert response.status_code == 404


@pytest.mark.parametrize("phone", ["0300-8486929", "+92 300 8486929", "0092-300-8486929", "042-35761234"])
def test_pakistani_phone_forms_are_accepted(client, call, django_capture_on_commit_callbacks, phone):
    submit(client, call, django_capture_on_commit_callbacks, contact_phone=phone)
    assert ExpressionOfInterest.objects.get().contact_phone.startswith("+92")


def test_a_nominee_is_kept_when_the_ceo_is_not_available(client, call, django_capture_on_commit_callbacks):
    submit(
        client,
        call,
        django_capture_on_commit_callbacks,
        ceo_available=False,
        nominee_name="Bilal Khan",
        nominee_position="Director Operations",
        nominee_has_authority=True,
    )
    eoi = ExpressionOfInterest.objects.get()
    assert (eoi.ceo_available, eoi.nominee_name, eoi.nominee_position, eoi.nominee_has_authority) == (
        False,
        "Bilal Khan",
        "Director Operations",
        True,
    )


def test_a_nominee_given_although_the_ceo_attends_is_not_kept(client, call, django_capture_on_commit_callbacks):
    submit(client, call, django_capture_on_commit_callbacks, nominee_name="Someone", nominee_position="Clerk")
    eoi = ExpressionOfInterest.objects.get()
    assert (eoi.nominee_name, eoi.nominee_position, eoi.nominee_has_authority) == ("", "", False)


def test_other_sub_sector_with_its_description_is_saved(client, call, django_capture_on_commit_callbacks):
    submit(client, call, django_capture_on_commit_callbacks, sub_sector="other", sub_sector_other="Home textiles")
    eoi = ExpressionOfInterest.objects.get()
    assert (eoi.sub_sector, eoi.sub_sector_other) == ("other", "Home textiles")


def test_html_in_the_legal_name_is_stored_as_text_and_shown_escaped(client, call, django_capture_on_commit_callbacks):
    name = '<script>alert("x")</script><b>Indus</b>'
    submit(client, call, django_capture_on_commit_callbacks, legal_name=name)
    eoi = ExpressionOfInterest.objects.get()
    assert eoi.legal_name == name
    # The review, before sending, shows it as typed too.
    client.post(wizard_url(call), all_steps_post(call, legal_name=name, registration_number="NTN-2"))
    review = client.get(review_url(call)).content.decode()
    assert "<script>alert" not in review and "<b>Indus</b>" not in review
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;Indus&lt;/b&gt;" in review
    for url_name in ("public_eoi_status", "public_apply_done"):
        html = client.get(reverse(f"enterprises:{url_name}", kwargs={"token": eoi.status_token})).content.decode()
        assert "<script>alert" not in html and "<b>Indus</b>" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;Indus&lt;/b&gt;" in html


# ---------------------------------------------------------------- duplicates
def test_a_registration_number_already_in_the_call_is_refused_on_the_first_step(client, call):
    services.submit_expression_of_interest(call, eoi_data(registration_number="1234567-8"))
    response = post_step(client, call, "enterprise", registration_number=" 1234567 8 ", legal_name="Other name")
    assert response.context["wizard"]["steps"].current == "enterprise"
    assert field_errors(response, "registration_number") == [services.duplicate_message(call)]
    assert "contact Sadia Hameed at hameeds@ilo.org" in response.content.decode()
    assert ExpressionOfInterest.objects.count() == 1


def test_the_same_registration_number_may_answer_another_call(client, call, django_capture_on_commit_callbacks):
    other = CallFactory()
    services.submit_expression_of_interest(other, eoi_data())
    submit(client, call, django_capture_on_commit_callbacks)
    assert ExpressionOfInterest.objects.filter(call=call).count() == 1


def test_a_duplicate_arriving_while_the_form_is_filled_sends_the_applicant_back_with_the_answers_kept(
    client, call, django_capture_on_commit_callbacks, mailoutbox
):
    fill_until(client, call, "contact")
    services.submit_expression_of_interest(call, eoi_data(legal_name="Someone else"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review_url(call))
    # Sending checks every answer again: the first step, now a duplicate, is shown with its message.
    assert response.status_code == 200
    assert response.context["wizard"]["steps"].current == "enterprise"
    assert field_errors(response, "registration_number") == [services.duplicate_message(call)]
    assert ExpressionOfInterest.objects.count() == 1 and mailoutbox == []
    # The other answers are still there.
    assert 'value="Plot 12, Sundar Industrial Estate"' in response.content.decode()
    assert client.get(wizard_url(call) + "?step=contact").context["form"]["contact_name"].value() == "Ayesha Malik"
    # Seen on the review before sending, the duplicate leads to the first step as well.
    response = client.get(review_url(call))
    assert response.status_code == 302 and response["Location"] == wizard_url(call)
    assert field_errors(client.get(wizard_url(call)), "registration_number") == [services.duplicate_message(call)]


def test_a_duplicate_raised_by_the_service_itself_is_shown_on_the_first_step(client, call, monkeypatch):
    fill_until(client, call, "contact")

    def refuse(call, data, **kwargs):
        raise services.DuplicateExpressionOfInterest(services.duplicate_message(call), code="duplicate")

    monkeypatch.setattr(services, "submit_expression_of_interest", refuse)
    response = send_from_review(client, call)
    assert response.context["wizard"]["steps"].current == "enterprise"
    assert services.duplicate_message(call) in field_errors(response, "registration_number")
    assert 'value="Indus Knitwear (Pvt) Ltd"' in response.content.decode()


# ---------------------------------------------------------------- closed calls
def test_a_closed_call_refuses_the_form_and_a_post(client):
    closed = CallFactory(opens_on=datetime.date(2018, 7, 1), closes_on=datetime.date(2018, 8, 10))
    response = client.get(wizard_url(closed))
    assert response.status_code == 200
    html = response.content.decode()
    assert "This call closed on 10 August 2018" in html
    assert 'name="enterprise-legal_name"' not in html
    for step, _form, _title in STEPS:
        response = client.post(wizard_url(closed), step_post(closed, step))
        assert response.status_code == 403
        assert "This call closed on 10 August 2018" in response.content.decode()
    assert ExpressionOfInterest.objects.count() == 0


def test_a_call_not_open_yet_says_when_it_opens(client):
    future = CallFactory(opens_on=today() + datetime.timedelta(days=5), closes_on=today() + datetime.timedelta(40))
    html = client.get(wizard_url(future)).content.decode()
    assert "This call opens on" in html and 'name="enterprise-legal_name"' not in html


def test_an_unknown_call_is_not_found(client):
    assert client.get("/apply/987654/").status_code == 404


def test_a_call_that_closes_while_the_form_is_filled_refuses_the_submission(client, call, mailoutbox):
    fill_until(client, call, "commitment")
    call.opens_on = today() - datetime.timedelta(days=30)
    call.closes_on = today() - datetime.timedelta(days=1)
    call.save()
    response = post_step(client, call, "contact")
    assert response.status_code == 403
    assert "This call closed on" in response.content.decode()
    assert ExpressionOfInterest.objects.count() == 0 and mailoutbox == []


def test_a_call_that_closes_while_the_answers_are_reviewed_refuses_the_submission(client, call, mailoutbox):
    fill_until(client, call, "contact")
    assert client.get(review_url(call)).status_code == 200
    call.opens_on = today() - datetime.timedelta(days=30)
    call.closes_on = today() - datetime.timedelta(days=1)
    call.save()
    response = client.post(review_url(call))
    assert response.status_code == 403
    assert "This call closed on" in response.content.decode()
    assert ExpressionOfInterest.objects.count() == 0 and mailoutbox == []


def test_a_refusal_from_the_service_keeps_the_answers(client, call, monkeypatch):
    fill_until(client, call, "contact")

    def refuse(call, data, **kwargs):
        raise services.CallClosed("This call closed on 10 August 2018 and no longer accepts it.", code="closed")

    monkeypatch.setattr(services, "submit_expression_of_interest", refuse)
    response = send_from_review(client, call)
    assert response.status_code == 403
    assert "This call closed on 10 August 2018" in response.content.decode()
    monkeypatch.undo()
    # The answers were not thrown away: the last step is still there with its data, and the review too.
    html = client.get(wizard_url(call)).content.decode()
    assert 'name="contact-contact_name"' in html and 'value="Ayesha Malik"' in html
    assert client.get(review_url(call)).status_code == 200


# ---------------------------------------------------------------- drafts survive
def test_a_reload_shows_the_current_step_with_what_was_typed(client, call):
    post_step(client, call, "enterprise")
    post_step(client, call, "workforce", workforce_women=200)  # refused: women + men != total
    response = client.get(wizard_url(call))
    html = response.content.decode()
    assert response.context["wizard"]["steps"].current == "workforce"
    assert 'name="workforce-workforce_women" value="200"' in html
    assert 'name="workforce-workforce_total" value="620"' in html


def test_back_keeps_both_steps(client, call):
    post_step(client, call, "enterprise", legal_name="Lahore Denim")
    data = step_post(call, "workforce", workforce_total=999)
    data["wizard_goto_step"] = "enterprise"
    response = client.post(wizard_url(call), data)
    html = response.content.decode()
    assert response.context["wizard"]["steps"].current == "enterprise"
    assert 'value="Lahore Denim"' in html
    response = post_step(client, call, "enterprise", legal_name="Lahore Denim")
    assert 'name="workforce-workforce_total" value="999"' in response.content.decode()


def test_restart_empties_the_form(client, call):
    post_step(client, call, "enterprise")
    response = client.get(wizard_url(call) + "?restart=1")
    assert response.status_code == 302
    html = client.get(wizard_url(call)).content.decode()
    assert "Step 1 of 4" in html and 'aria-current="step">1. ' in html
    assert 'value="Indus Knitwear' not in html


def test_drafts_of_two_calls_do_not_mix(client, call):
    other = CallFactory()
    post_step(client, call, "enterprise")
    response = client.get(wizard_url(other))
    assert response.context["wizard"]["steps"].current == "enterprise"
    assert client.get(wizard_url(call)).context["wizard"]["steps"].current == "workforce"


def test_the_status_page_follows_the_officers_decisions_along_the_path(client, officer):
    from enterprises.models import Level1Batch
    from enterprises.path import services as path_services

    call = CallFactory()
    eoi = services.submit_expression_of_interest(call, eoi_data())
    status_url = reverse("enterprises:public_eoi_status", kwargs={"token": eoi.status_token})
    assert "Under review by the ILO" in client.get(status_url).content.decode()

    batch = Level1Batch.objects.create(call=call, name="Batch 1", capacity=5)
    path_services.shortlist_for_batch(batch, [eoi], by=officer, reason="Strong commitment")
    page = client.get(status_url).content.decode()
    assert "Shortlisted" in page and "individual meeting" in page
    assert "Strong commitment" not in page  # the officers' reasons stay internal


# ---------------------------------------------------------------- the review before sending
def test_the_last_step_leads_to_a_review_of_every_answer_and_nothing_is_sent_before_its_button(
    client, call, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = fill_until(client, call, "contact")
    assert response.status_code == 302 and response["Location"] == review_url(call)
    assert ExpressionOfInterest.objects.count() == 0 and mailoutbox == []

    review = client.get(review_url(call))
    html = review.content.decode()
    assert review.status_code == 200
    assert "<h1" in html and "Review your answers" in html
    titles = [group["title"] for group in review.context["groups"]]
    assert titles == [title for _name, _form, title in STEPS]
    for name, _form, _title in STEPS:
        assert f'href="{wizard_url(call)}?step={name}"' in html  # "Change", one per step
        assert f'<h2 class="h5 mb-0 me-auto" id="review-{name}">' in html
    answers = {a["label"]: a["value"] for g in review.context["groups"] for a in g["answers"]}
    assert answers["Legal name"] == "Indus Knitwear (Pvt) Ltd"
    assert answers["Province"] == "Punjab"  # the option's words, not its code
    assert answers["Total workforce"] == "620"
    assert answers["Is the CEO available to attend the SCORE training workshops?"] == "Yes"
    assert answers["Consent"] == "Given"
    assert "Nominee's name" not in answers  # the CEO attends: the nominee is moot
    assert "<dl" in html and "<dt" in html and "<dd" in html
    assert 'id="send-eoi"' in html and "Send my expression of interest" in html
    assert ExpressionOfInterest.objects.count() == 0 and mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(review_url(call))
    eoi = ExpressionOfInterest.objects.get()
    assert sent["Location"] == reverse("enterprises:public_apply_done", kwargs={"token": eoi.status_token})
    assert len(mailoutbox) == 1
    # Sent: the draft is gone, and the review has nothing left to show.
    assert client.get(review_url(call))["Location"] == wizard_url(call)


def test_change_opens_the_step_with_its_answers_and_continuing_returns_to_the_review(client, call):
    fill_until(client, call, "contact")
    client.get(review_url(call))
    page = client.get(wizard_url(call) + "?step=workforce")
    assert page.context["wizard"]["steps"].current == "workforce"
    html = page.content.decode()
    assert 'name="workforce-workforce_total" value="620"' in html
    assert "Save and return to the review" in html
    # Going back a step from there, then on, still ends at the review, every answer kept.
    data = step_post(call, "workforce")
    data["wizard_goto_step"] = "enterprise"
    assert client.post(wizard_url(call), data).context["wizard"]["steps"].current == "enterprise"
    response = post_step(client, call, "enterprise", legal_name="Indus Knitwear Two (Pvt) Ltd")
    assert response.status_code == 302 and response["Location"] == review_url(call)
    answers = {a["label"]: a["value"] for g in client.get(review_url(call)).context["groups"] for a in g["answers"]}
    assert answers["Legal name"] == "Indus Knitwear Two (Pvt) Ltd"
    assert answers["Your name"] == "Ayesha Malik" and answers["Total workforce"] == "620"


def test_a_change_with_a_mistake_stays_on_its_step_and_the_review_waits(client, call):
    fill_until(client, call, "contact")
    client.get(review_url(call))
    response = post_step(client, call, "workforce", workforce_women=200)
    assert response.status_code == 200 and field_errors(response, "workforce_men")
    # The review does not show the mistaken answers: it sends the visitor to the step to correct.
    review = client.get(review_url(call))
    assert review.status_code == 302 and review["Location"] == wizard_url(call)
    assert client.get(wizard_url(call)).context["wizard"]["steps"].current == "workforce"
    assert client.post(review_url(call)).status_code == 302
    assert ExpressionOfInterest.objects.count() == 0


def test_the_review_of_an_unfinished_form_sends_to_the_first_step_missing(client, call):
    assert client.get(review_url(call))["Location"] == wizard_url(call)
    fill_until(client, call, "workforce")
    assert client.get(review_url(call))["Location"] == wizard_url(call)
    assert client.get(wizard_url(call)).context["wizard"]["steps"].current == "commitment"
    # A step not reached yet cannot be opened by its link.
    assert client.get(wizard_url(call) + "?step=contact").context["wizard"]["steps"].current == "commitment"


def test_the_review_shows_the_nominee_and_the_other_sub_sector_when_they_apply(client, call):
    fill_until(
        client,
        call,
        "contact",
        ceo_available=False,
        nominee_name="Bilal Khan",
        nominee_position="Director",
        nominee_has_authority=True,
        sub_sector="other",
        sub_sector_other="Home textiles",
        export_markets="",
    )
    answers = {a["label"]: a["value"] for g in client.get(review_url(call)).context["groups"] for a in g["answers"]}
    assert answers["Nominee's name"] == "Bilal Khan"
    assert answers["Does the nominee have direct decision-making authority?"] == "Yes"
    assert answers["Other textile sub-sector: say what"] == "Home textiles"
    assert answers["Export markets"] == "Not given"


def test_each_step_and_the_send_stay_within_their_queries(
    client, call, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    # The call, and on the first step the duplicate check; no session is read or written.
    with django_assert_max_num_queries(1):
        client.get(wizard_url(call))
    for name, _form, _title in STEPS:
        with django_assert_max_num_queries(2 if name == "enterprise" else 1):
            post_step(client, call, name)
    with django_assert_max_num_queries(2):
        assert client.get(review_url(call)).status_code == 200

    # The confirmation: the EOI, its call and whether its acknowledgement was queued, in one query.
    def confirmation_after(response):
        with django_assert_max_num_queries(1):
            assert client.get(response["Location"]).status_code == 200

    # The send: the call with its lock, what the submission must know, the EOI and its history row,
    # its screening (criteria, result, change) and the acknowledgement in the outbox. The mail's
    # hand-over after the commit (a Celery task, or in process without a broker) is not the send's.
    ContentType.objects.get_for_model(ExpressionOfInterest)  # cached once per process
    with CaptureQueriesContext(connection) as sending, django_capture_on_commit_callbacks() as callbacks:
        response = client.post(review_url(call))
    # (The test's own transaction turns the send's into a savepoint: those two statements are the test's.)
    statements = [q["sql"] for q in sending.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) <= 9, "\n".join(statements)
    assert response.status_code == 302 and len(callbacks) == 1
    assert ExpressionOfInterest.objects.get().current_screening is not None
    confirmation_after(response)


# ---------------------------------------------------------------- the steps in one page (with its script)
def test_the_page_holds_every_step_and_shows_the_current_one(client, call):
    post_step(client, call, "enterprise", city="Multan")
    html = client.get(wizard_url(call)).content.decode()
    sections = re.findall(r'<section data-step="(\w+)" data-title="[^"]+"( hidden)?>', html)
    assert sections == [("enterprise", " hidden"), ("workforce", ""), ("commitment", " hidden"), ("contact", " hidden")]
    for name, form, _title in STEPS:
        for field in form._meta.fields:
            assert html.count(f'id="div_id_{name}-{field}"') == 1, field  # each question once in the page
    assert 'name="enterprise-city"' in html and 'value="Multan"' in html  # a hidden step shows what was kept
    assert 'src="/static/enterprises/eoi_steps.js"' in html


def test_all_steps_at_once_lead_to_the_review_in_one_request(client, call, django_assert_max_num_queries):
    client.get(wizard_url(call))
    with django_assert_max_num_queries(2):  # the call, the duplicate check
        response = client.post(wizard_url(call), all_steps_post(call, city="Sialkot"))
    assert response.status_code == 200  # the review is the answer: one request for the four steps
    assert f'action="{review_url(call)}"' in response.content.decode()  # its send button posts to the review
    answers = {a["label"]: a["value"] for g in response.context["groups"] for a in g["answers"]}
    assert answers["City"] == "Sialkot" and answers["Your name"] == eoi_data()["contact_name"]
    assert client.get(review_url(call)).context["groups"] == response.context["groups"]  # and it reloads
    assert ExpressionOfInterest.objects.count() == 0
    assert send_from_review(client, call).status_code == 302
    assert ExpressionOfInterest.objects.get().city == "Sialkot"


def test_all_steps_at_once_with_a_mistake_show_that_step_and_keep_every_answer(client, call):
    response = client.post(wizard_url(call), all_steps_post(call, workforce_men=1, contact_name="Ayesha Malik"))
    assert response.status_code == 200
    assert response.context["wizard"]["steps"].current == "workforce"
    assert field_errors(response, "workforce_men")
    html = response.content.decode()
    assert 'name="contact-contact_name"' in html and 'value="Ayesha Malik"' in html
    assert client.get(review_url(call))["Location"] == wizard_url(call)  # the review waits for the correction
    assert ExpressionOfInterest.objects.count() == 0


def test_a_robot_sending_all_steps_with_the_hidden_field_gets_nothing_stored(client, call):
    post = all_steps_post(call)
    post["website"] = "cheap-pills.example"
    response = client.post(wizard_url(call), post)
    assert response.status_code == 400
    assert f"eoi_{call.pk}" not in response.cookies


def test_a_draft_keeps_the_steps_up_to_the_one_shown_as_typed(client, call):
    """What the page's script sends when the visitor leaves it: kept unchecked, nothing sent."""
    post = all_steps_post(call, workforce_total="six hundred", contact_name="Ayesha Malik")
    post.update({f"eoi_{call.pk}-current_step": "draft", "upto": "workforce"})
    response = client.post(wizard_url(call), post)
    assert response.status_code == 204
    page = client.get(wizard_url(call))
    assert page.context["wizard"]["steps"].current == "workforce"
    html = page.content.decode()
    assert 'value="six hundred"' in html  # as typed; its message comes when the step is sent
    assert 'value="Ayesha Malik"' not in html  # a step beyond the one on screen is not kept
    assert ExpressionOfInterest.objects.count() == 0


def test_a_draft_naming_no_step_is_refused_and_stores_nothing(client, call):
    post = all_steps_post(call)
    post.update({f"eoi_{call.pk}-current_step": "draft", "upto": "payment"})
    response = client.post(wizard_url(call), post)
    assert response.status_code == 400
    assert f"eoi_{call.pk}" not in response.cookies


def test_steps_sent_up_to_the_one_on_screen_show_the_next_or_the_first_mistake(client, call):
    """The script sends the steps up to the one on screen when the browser sees a possible mistake."""
    post = all_steps_post(call, contact_name="Ayesha Malik")
    post["upto"] = "workforce"
    response = client.post(wizard_url(call), post)
    assert response.context["wizard"]["steps"].current == "commitment"  # no mistake after all: onwards
    assert 'value="Ayesha Malik"' not in response.content.decode()  # a step not sent is not kept
    post = all_steps_post(call, workforce_total="")
    post["upto"] = "workforce"
    response = client.post(wizard_url(call), post)
    assert response.context["wizard"]["steps"].current == "workforce" and field_errors(response, "workforce_total")
    post["upto"] = "payment"
    assert client.post(wizard_url(call), post).status_code == 400
