"""Every applicant is told the outcome: the decision, the regret letter with the criteria not met in the
applicant's own answers (never an officer's note), sent one at a time or in bulk, shown on the status page."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from enterprises.models import Decision, DecisionLetter, ExpressionOfInterest, LetterKind
from enterprises.path import letters
from enterprises.path import services as path_services
from enterprises.screening import decisions
from enterprises.screening.services import override_result, submit_expression_of_interest
from enterprises.tests.factories import CallFactory, eoi_data
from score_portal.models import OutgoingMessage

pytestmark = pytest.mark.django_db

SMALL = {
    "workforce_total": 299,
    "workforce_permanent": 200,
    "workforce_contract": 99,
    "workforce_women": 100,
    "workforce_men": 199,
    "workforce_managers": 20,
    "workforce_workers": 279,
}


def small_eoi(call, number, **answers):
    data = eoi_data(registration_number=number, legal_name=f"Small Mills {number}", **SMALL)
    data.update(answers)
    return submit_expression_of_interest(call, data)


def test_a_regret_letter_quotes_the_applicants_own_answers_and_no_officers_note(officer):
    call = CallFactory()
    eoi = small_eoi(call, "7000-1")
    # An officer's note on the result must never reach the applicant.
    override_result(eoi, officer=officer, outcome="needs_review", justification="SECRET internal remark")
    override_result(eoi, officer=officer, outcome="ineligible", justification="SECRET second remark")
    sent = decisions.send_regret_letter(eoi, by=officer, status_url="https://portal.example/eoi/status/x/")
    eoi.refresh_from_db()
    assert eoi.decision == Decision.NOT_ELIGIBLE and eoi.decided_by == officer and eoi.decided_at
    assert "Workforce 299, below the minimum of 300." in sent.body
    assert "SECRET" not in sent.body
    message = OutgoingMessage.objects.get(related_id=sent.pk, kind="letter")
    assert message.to == [eoi.contact_email]
    assert "Workforce 299, below the minimum of 300." in message.body and "SECRET" not in message.body
    # The decision is in the EOI's history with who took it.
    assert eoi.history.filter(decision=Decision.NOT_ELIGIBLE, history_user=officer).exists()


def test_regret_letters_sent_in_bulk_from_the_calls_page_show_on_the_status_page(officer_client, officer):
    call = CallFactory()
    small = [small_eoi(call, f"7100-{i}") for i in range(3)]
    eligible = submit_expression_of_interest(call, eoi_data(registration_number="7100-9", legal_name="Big Mills"))
    # An ineligible EOI already on the path (an officer's override) is left out.
    on_path = small_eoi(call, "7100-8")
    path_services.register_enterprise(on_path, by=officer, override_justification="Pilot of a smaller factory")
    letters.save_template(
        call,
        LetterKind.EOI_REGRET,
        subject="Your EOI {{ reference }}",
        body="Dear {{ contact_name }},\n\nNot this time:\n{{ criteria_not_met }}\n\n{{ call_contact }}",
        by=officer,
    )

    page = officer_client.get(reverse("enterprises:call_decisions", args=[call.pk]))
    assert page.status_code == 200 and page.context["pending_count"] == 3

    response = officer_client.post(reverse("enterprises:call_decisions", args=[call.pk]))
    assert response.status_code == 302
    assert DecisionLetter.objects.filter(expression_of_interest__call=call).count() == 3
    for eoi in small:
        eoi.refresh_from_db()
        assert eoi.decision == Decision.NOT_ELIGIBLE
        letter = eoi.decision_letters.get()
        assert letter.subject == f"Your EOI {eoi.reference}"
        assert "Workforce of 300 or more: Workforce 299, below the minimum of 300." in letter.body
    eligible.refresh_from_db()
    on_path.refresh_from_db()
    assert eligible.decision == "" and on_path.decision == ""
    # Sending again sends nobody a second letter.
    officer_client.post(reverse("enterprises:call_decisions", args=[call.pk]))
    assert DecisionLetter.objects.filter(expression_of_interest__call=call).count() == 3

    officer_client.logout()
    status = officer_client.get(reverse("enterprises:public_eoi_status", args=[small[0].status_token]))
    html = status.content.decode()
    assert "Not eligible" in html
    assert "Workforce 299, below the minimum of 300." in html
    assert (
        reverse("enterprises:public_eoi_letter", args=[small[0].status_token, small[0].decision_letters.get().pk])
        in html
    )
    # Someone else's letter is not behind this status link.
    other = small[1].decision_letters.get()
    assert (
        officer_client.get(reverse("enterprises:public_eoi_letter", args=[small[0].status_token, other.pk])).status_code
        == 404
    )


def test_the_status_page_says_invited_or_waiting_list_and_the_applicant_is_mailed(officer_client, officer):
    call = CallFactory()
    eoi = submit_expression_of_interest(call, eoi_data(registration_number="7200-1"))
    response = officer_client.post(reverse("enterprises:eoi_decide", args=[eoi.pk]), {"decision": "waiting_list"})
    assert response.status_code == 302
    eoi.refresh_from_db()
    assert eoi.decision == Decision.WAITING_LIST
    mail = OutgoingMessage.objects.filter(to=[eoi.contact_email], kind="notification").get()
    assert "waiting list" in mail.body and f"/eoi/status/{eoi.status_token}/" in mail.body
    officer_client.logout()
    html = officer_client.get(reverse("enterprises:public_eoi_status", args=[eoi.status_token])).content.decode()
    assert "On the waiting list" in html


def test_an_applicant_who_wrote_in_urdu_is_told_the_decision_in_urdu_by_an_officer_reading_english(
    officer_client, officer
):
    call = CallFactory()
    eoi = submit_expression_of_interest(call, eoi_data(registration_number="7200-2", language="ur"))
    officer_client.cookies["django_language"] = "en"
    officer_client.post(reverse("enterprises:eoi_decide", args=[eoi.pk]), {"decision": "invited"})
    mail = OutgoingMessage.objects.filter(to=[eoi.contact_email], kind="notification").get()
    assert mail.subject == f"SCORE پروگرام: آپ کے اظہارِ دلچسپی \u2068{eoi.reference}\u2069 پر فیصلہ"
    assert "کو SCORE پروگرام میں حصہ لینے کی دعوت دی جاتی ہے۔" in mail.body
    assert "سوالات کے لیے:" in mail.body and f"/eoi/status/{eoi.status_token}/" in mail.body
    assert "invited" not in mail.body and "Questions" not in mail.body


def test_a_decision_must_agree_with_the_screening_result(officer):
    call = CallFactory()
    eligible = submit_expression_of_interest(call, eoi_data(registration_number="7300-1"))
    small = small_eoi(call, "7300-2")
    with pytest.raises(ValidationError, match="override the result to ineligible"):
        decisions.decide(eligible, decision=Decision.NOT_ELIGIBLE, by=officer)
    with pytest.raises(ValidationError, match="Only an eligible EOI"):
        decisions.decide(small, decision=Decision.INVITED, by=officer)


def test_eois_that_became_enterprises_never_await_a_decision(officer):
    call = CallFactory()
    waiting = submit_expression_of_interest(call, eoi_data(registration_number="7400-1", legal_name="Waiting"))
    registered = submit_expression_of_interest(call, eoi_data(registration_number="7400-2", legal_name="Registered"))
    path_services.register_enterprise(registered, by=officer)
    awaiting = set(decisions.awaiting_decision().values_list("pk", flat=True))
    assert waiting.pk in awaiting and registered.pk not in awaiting
    decisions.decide(waiting, decision=Decision.INVITED, by=officer)
    assert not decisions.awaiting_decision().filter(pk=waiting.pk).exists()
    assert ExpressionOfInterest.objects.get(pk=waiting.pk).decision == Decision.INVITED


def test_the_regret_letter_is_a_pdf_for_the_officer_and_behind_the_status_link(officer_client, officer):
    call = CallFactory()
    eoi = small_eoi(call, "7500-1")
    preview = officer_client.get(reverse("enterprises:eoi_letter_preview", args=[eoi.pk]))
    assert preview.status_code == 200 and preview["Content-Type"] == "application/pdf"
    assert preview.content.startswith(b"%PDF")
    sent = decisions.send_regret_letter(eoi, by=officer)
    officer_client.logout()
    public = officer_client.get(reverse("enterprises:public_eoi_letter", args=[eoi.status_token, sent.pk]))
    assert public.status_code == 200 and public.content.startswith(b"%PDF")
    # The officer's preview is not public.
    assert officer_client.get(reverse("enterprises:eoi_letter_preview", args=[eoi.pk])).status_code == 302


def test_an_enterprise_contact_never_sees_officers_notes_or_overrides(client, officer, contact):
    call = CallFactory()
    eoi = submit_expression_of_interest(
        call, eoi_data(registration_number="7600-1", legal_name="Reviewed Mills", compliance_officer="willing")
    )
    override_result(eoi, officer=officer, outcome="eligible", justification="SECRET: the owner is a friend")
    enterprise = path_services.register_enterprise(eoi, by=officer)
    path_services.link_contact(contact, enterprise, position="Admin Manager")
    url = reverse("enterprises:enterprise_detail", args=[enterprise.pk])

    client.force_login(officer)
    assert "overridden by an officer" in client.get(url).content.decode()
    client.force_login(contact)
    html = client.get(url).content.decode()
    assert "overridden" not in html and "SECRET" not in html
    # Its pages show its own contact person.
    assert "Ayesha" in html and "Admin Manager" in html
