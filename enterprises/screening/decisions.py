"""The decision each applicant is told: eligible and invited, on the waiting list, or not eligible,
and the regret letter that explains a "not eligible" with the published criteria the EOI did not
meet, each quoting the applicant's own answer ("Workforce 299, below the minimum of 300.").

What the applicant reads comes from the criteria's own reasons (rules.CRITERIA), frozen on the EOI
when the decision is taken; an officer's justification or notes never reach it. The EOI's history
(django-simple-history) keeps every decision with who and when; each letter sent is a DecisionLetter.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from score_portal import notifications, outbox
from score_portal.models import MailKind, NotificationKind

from ..models import (
    CriterionResult,
    Decision,
    DecisionLetter,
    EnterpriseContact,
    ExpressionOfInterest,
    LetterKind,
    ScreeningOutcome,
    Verdict,
)
from ..path import letters
from ..path.rules import eoi_admissible
from . import selectors

# The PDF of a letter: the reports app knows how to make one (WeasyPrint) and registers the function
# here from its AppConfig.ready(), since this app cannot import it. Takes a DecisionLetter (or an
# unsent Letter with its EOI) and returns the PDF's bytes.
_pdf_renderer: Callable | None = None


def register_pdf_renderer(func: Callable) -> None:
    global _pdf_renderer
    _pdf_renderer = func


def letter_pdf(eoi: ExpressionOfInterest, letter) -> bytes | None:
    """The PDF of `letter` (a DecisionLetter, or a preview Letter), or None without a renderer."""
    if _pdf_renderer is None:
        return None
    return _pdf_renderer(eoi, letter)


# ---------------------------------------------------------------- reads
def awaiting_decision(queryset: QuerySet | None = None) -> QuerySet[ExpressionOfInterest]:
    """EOIs whose applicant has not been told an outcome: no decision, and not on the path."""
    queryset = queryset if queryset is not None else ExpressionOfInterest.objects.all()
    return queryset.exclude(selectors.decided())


def ineligible_without_letter(call) -> QuerySet[ExpressionOfInterest]:
    """The EOIs of a call that a bulk sending of regret letters covers: screened ineligible and not
    decided otherwise, not on the path, and not sent a regret letter yet."""
    sent = DecisionLetter.objects.filter(expression_of_interest=OuterRef("pk"), kind=LetterKind.EOI_REGRET)
    return (
        ExpressionOfInterest.objects.filter(call=call, result=ScreeningOutcome.INELIGIBLE)
        .filter(decision__in=["", Decision.NOT_ELIGIBLE])
        .exclude(selectors.on_the_path())
        .exclude(Exists(sent))
        .select_related("call", "current_screening")
        .order_by("sequence")
    )


def criteria_not_met(eoi: ExpressionOfInterest) -> list[dict]:
    """The published criteria the current screening found not met, each with the reason that quotes
    the applicant's answers and the call's threshold."""
    if not eoi.current_screening_id:
        return []
    rows = CriterionResult.objects.filter(screening_id=eoi.current_screening_id, verdict=Verdict.NOT_MET).order_by(
        "position"
    )
    return [{"code": row.code, "label": row.label, "reason": row.reason} for row in rows]


def decision_refusal(eoi: ExpressionOfInterest, decision: str, *, on_path: bool) -> str | None:
    """Why this decision cannot be taken now, or None. Pure, so the page can say it before a click."""
    if decision not in Decision.values:
        return _("Choose invited, waiting list or not eligible.")
    if on_path:
        return _("This EOI is on the programme's path already; the applicant sees its stage there.")
    if decision == Decision.NOT_ELIGIBLE and eoi.result != ScreeningOutcome.INELIGIBLE:
        return _(
            "The screening result is “%(result)s”. To tell the applicant it is not eligible, first override the "
            "result to ineligible with a justification."
        ) % {"result": eoi.get_result_display()}
    if decision != Decision.NOT_ELIGIBLE and not eoi_admissible(eoi.result, eoi.result_overridden):
        return _(
            "The screening result is “%(result)s”. Only an eligible EOI, or one an officer sent on with an "
            "override, can be invited or put on the waiting list."
        ) % {"result": eoi.get_result_display()}
    return None


# ---------------------------------------------------------------- writes
def _contacts_of(eoi):
    """Portal users who are contacts of the enterprise that answered with this EOI (if it has an account)."""
    contacts = EnterpriseContact.objects.filter(enterprise__registration_key=eoi.registration_key)
    return [contact.user for contact in contacts.select_related("user")]


# The mail that tells an applicant it is invited or on the waiting list.
DECISION_NOTICES = {
    Decision.INVITED: "enterprises/email/decision_invited.txt",
    Decision.WAITING_LIST: "enterprises/email/decision_waiting_list.txt",
}


@transaction.atomic
def decide(eoi: ExpressionOfInterest, *, decision: str, by, status_url: str = "", at=None) -> ExpressionOfInterest:
    """Record the decision the applicant is told, with who and when, and tell them.

    An invitation or a place on the waiting list is mailed at once (with the status link); "not
    eligible" is told by the regret letter (`send_regret_letter`), which quotes the criteria."""
    eoi = ExpressionOfInterest.objects.select_for_update().select_related("call").get(pk=eoi.pk)
    refusal = decision_refusal(eoi, decision, on_path=eoi.on_the_path)
    if refusal:
        raise ValidationError(refusal, code="refused")
    if eoi.decision == decision:
        return eoi
    eoi.decision = decision
    eoi.decided_at = at or timezone.now()
    eoi.decided_by = by
    eoi.decision_reasons = criteria_not_met(eoi) if decision == Decision.NOT_ELIGIBLE else []
    eoi._history_user = by
    eoi.save(update_fields=["decision", "decided_at", "decided_by", "decision_reasons"])
    # Told in the language the applicant wrote in, as its acknowledgement and letters, not the officer's.
    with translation.override(eoi.language):
        if decision in DECISION_NOTICES:
            outbox.enqueue(
                to=eoi.contact_email,
                subject=_("SCORE programme: a decision on your expression of interest %(reference)s")
                % {"reference": eoi.reference},
                body=render_to_string(
                    DECISION_NOTICES[decision], {"eoi": eoi, "call": eoi.call, "status_url": status_url}
                ),
                reply_to=eoi.call.contact_email,
                kind=MailKind.NOTIFICATION,
                related=eoi,
            )
        notifications.notify_many(
            _contacts_of(eoi),
            kind=NotificationKind.EOI_DECISION,
            ref=f"eoi-{eoi.pk}:{decision}",
            title=_("Decision on the expression of interest %(reference)s: %(decision)s")
            % {"reference": eoi.reference, "decision": eoi.get_decision_display()},
        )
    return eoi


@transaction.atomic
def send_regret_letter(eoi: ExpressionOfInterest, *, by, status_url: str = "") -> DecisionLetter:
    """Decide "not eligible" (if not already) and send the regret letter from the call's text: a copy
    is kept (DecisionLetter) and the email is queued with it. Sending again sends a new copy."""
    eoi = decide(eoi, decision=Decision.NOT_ELIGIBLE, by=by, status_url=status_url)
    letter = letters.render_eoi_letter(eoi, LetterKind.EOI_REGRET)
    sent = DecisionLetter.objects.create(
        expression_of_interest=eoi,
        kind=LetterKind.EOI_REGRET,
        recipient=letter.recipient,
        subject=letter.subject,
        body=letter.text,
        sent_by=by,
    )
    text = letter.text
    if status_url:
        text += "\n\n" + _("The status of your expression of interest, and this letter as a PDF: %(url)s") % {
            "url": status_url
        }
    outbox.enqueue(
        to=letter.recipient,
        subject=letter.subject,
        body=text,
        html=letter.html_paragraphs,
        reply_to=eoi.call.contact_email,
        kind=MailKind.LETTER,
        related=sent,
    )
    return sent


def send_regret_letters_for_call(call, *, by, status_url_for: Callable[[ExpressionOfInterest], str]) -> int:
    """The regret letter to every EOI of the call screened ineligible that was neither decided
    otherwise nor sent one yet; each in its own transaction, so one failure stops none of the others
    already sent. Returns how many were sent."""
    sent = 0
    for eoi in list(ineligible_without_letter(call)):
        send_regret_letter(eoi, by=by, status_url=status_url_for(eoi))
        sent += 1
    return sent
