"""Letters: rendered from the call's text with the enterprise's details, escaped, and sent."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from enterprises.models import LetterKind, SentLetter
from enterprises.path import letters
from enterprises.tests.test_path_helpers import shortlisted
from score_portal.models import MessageStatus, OutgoingMessage

pytestmark = pytest.mark.django_db


def test_default_shortlisting_letter_has_the_enterprises_details(officer):
    enterprise = shortlisted(officer, number="6000-1", legal_name="Chenab Garments (Pvt) Ltd")
    letter = letters.render_letter(enterprise, LetterKind.SHORTLISTING)
    assert letter.subject == "SCORE programme: Chenab Garments (Pvt) Ltd is shortlisted for Level 1"
    assert "Dear Ayesha Malik" in letter.text
    assert enterprise.expression_of_interest.reference in letter.text
    assert "Batch 1" in letter.text and "2 March 2026" in letter.text
    assert enterprise.call.title in letter.text
    assert letter.recipient == "ayesha@indusknit.example.pk"


def test_html_in_names_is_escaped(officer):
    enterprise = shortlisted(officer, number="6000-2", legal_name='<script>alert("x")</script> & Sons')
    letter = letters.render_letter(enterprise, LetterKind.ACCEPTANCE)
    assert "<script>" not in letter.html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Sons" in letter.html
    # The plain-text part reads naturally.
    assert '<script>alert("x")</script> & Sons' in letter.text


def test_the_officers_own_words_carry_no_markup_either(officer):
    enterprise = shortlisted(officer, number="6000-3")
    letters.save_template(
        enterprise.call,
        LetterKind.REGRET,
        subject="About {{ reference }}",
        body="<b>Dear</b> {{ contact_name }}, <img src=x onerror=alert(1)> {{enterprise}}",
        by=officer,
    )
    letter = letters.render_letter(enterprise, LetterKind.REGRET)
    assert letter.subject == f"About {enterprise.expression_of_interest.reference}"
    assert "&lt;b&gt;Dear&lt;/b&gt; Ayesha Malik, &lt;img src=x onerror=alert(1)&gt; Enterprise 6000-3" in letter.html


def test_templates_accept_only_known_placeholders(officer):
    with pytest.raises(ValidationError, match=r"Unknown placeholder\(s\): \{\{ secret_key \}\}"):
        letters.validate_template_text("Hello {{ secret_key }}")
    for bad in ("{% debug %}", "{{ enterprise|upper }}", "{% include 'x.html' %}", "{# note #}"):
        with pytest.raises(ValidationError, match="Only placeholders"):
            letters.validate_template_text(bad)
    letters.validate_template_text("Dear {{ contact_name }}, {{enterprise}} of {{ city }}")


def test_each_call_has_its_own_text(officer):
    enterprise = shortlisted(officer, number="6000-4")
    subject, body, own = letters.template_for(enterprise.call, LetterKind.SHORTLISTING)
    assert not own and "{{ batch }}" in body
    letters.save_template(enterprise.call, LetterKind.SHORTLISTING, subject="S", body="B {{ batch }}", by=officer)
    letters.save_template(enterprise.call, LetterKind.SHORTLISTING, subject="S2", body="B2 {{ batch }}", by=officer)
    assert letters.template_for(enterprise.call, LetterKind.SHORTLISTING) == ("S2", "B2 {{ batch }}", True)
    assert letters.render_letter(enterprise, LetterKind.SHORTLISTING).text == "B2 Batch 1"


def test_sending_emails_the_letter_and_keeps_a_copy(officer, django_capture_on_commit_callbacks):
    enterprise = shortlisted(officer, number="6000-5", legal_name="Noor & Co")
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends once the letter is saved
        sent = letters.send_letter(enterprise, LetterKind.SHORTLISTING, by=officer)
    [message] = mail.outbox
    assert message.to == ["ayesha@indusknit.example.pk"]
    assert message.subject == "SCORE programme: Noor & Co is shortlisted for Level 1"
    assert "Noor & Co" in message.body
    html_part, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Noor &amp; Co" in html_part
    assert SentLetter.objects.get() == sent and sent.body == message.body and sent.sent_by == officer
    assert message.reply_to == [enterprise.call.contact_email]
    queued = OutgoingMessage.objects.get()
    assert queued.related == sent and queued.kind == "letter" and queued.status == MessageStatus.SENT


def test_a_letter_is_kept_and_waits_when_the_mail_server_is_down(
    officer, mail_server, django_capture_on_commit_callbacks
):
    enterprise = shortlisted(officer, number="6000-6")
    with django_capture_on_commit_callbacks(execute=True):
        sent = letters.send_letter(enterprise, LetterKind.REGRET, by=officer)
    queued = OutgoingMessage.objects.get()
    assert SentLetter.objects.get() == sent and queued.related == sent
    assert queued.status == MessageStatus.WAITING and queued.attempts == 1 and "refused" in queued.last_error.lower()
