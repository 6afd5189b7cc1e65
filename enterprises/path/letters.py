"""Shortlisting, acceptance and regret letters, from a text each call may reword.

A letter's text holds placeholders such as {{ enterprise }} and nothing else: no template
tags, no filters, no other variables. It is rendered by Django's template engine with
autoescaping on and a context of plain strings, and the officer's own words are escaped
too, so a letter shown in the browser can carry no markup from anyone.
"""

import html
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template import Context, Engine
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import linebreaks
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from score_portal import outbox
from score_portal.models import MailKind

from ..models import Enterprise, EnterpriseContact, LetterKind, LetterTemplate, SentLetter, Stage

PLACEHOLDERS: dict[str, str] = {
    "enterprise": gettext_lazy("the enterprise's legal name"),
    "reference": gettext_lazy("the reference of its expression of interest"),
    "city": gettext_lazy("its city"),
    "contact_name": gettext_lazy("its contact person"),
    "contact_position": gettext_lazy("the contact person's position"),
    "call": gettext_lazy("the title of the call"),
    "call_contact": gettext_lazy("the call's contact person at the ILO"),
    "call_contact_email": gettext_lazy("the call's contact email"),
    "batch": gettext_lazy("the Level 1 batch"),
    "batch_starts_on": gettext_lazy("the date the batch starts"),
    "today": gettext_lazy("today's date"),
    "criteria_not_met": gettext_lazy(
        "the published criteria not met, each with the applicant's own answer (regret letters to applicants)"
    ),
}

DEFAULTS: dict[str, tuple[str, str]] = {
    LetterKind.SHORTLISTING: (
        gettext_lazy("SCORE programme: {{ enterprise }} is shortlisted for Level 1"),
        gettext_lazy(
            "{{ today }}\n\nDear {{ contact_name }},\n\n"
            "Thank you for the expression of interest {{ reference }} of {{ enterprise }}, {{ city }}, "
            "in answer to “{{ call }}”.\n\n"
            "We are pleased to tell you that {{ enterprise }} is shortlisted for {{ batch }} of Level 1, "
            "the SCORE short course (Module 1, Workplace Cooperation), starting on {{ batch_starts_on }}.\n\n"
            "As next steps, we will hold an individual meeting with your CEO or main decision-maker and carry out "
            "a basic baseline assessment. The final decision to accept your enterprise will be based on that "
            "assessment and the commitment your enterprise shows.\n\n"
            "Yours sincerely,\n{{ call_contact }}\n{{ call_contact_email }}"
        ),
    ),
    LetterKind.ACCEPTANCE: (
        gettext_lazy("SCORE programme: {{ enterprise }} is accepted into Level 1"),
        gettext_lazy(
            "{{ today }}\n\nDear {{ contact_name }},\n\n"
            "Following our meeting and the basic baseline assessment, we are pleased to accept {{ enterprise }} "
            "into Level 1 of the SCORE programme, {{ batch }}, starting on {{ batch_starts_on }}.\n\n"
            "Level 1 runs for about three to four months, with three full days of classroom training and "
            "follow-up consultancy in your factory.\n\n"
            "Yours sincerely,\n{{ call_contact }}\n{{ call_contact_email }}"
        ),
    ),
    LetterKind.REGRET: (
        gettext_lazy("SCORE programme: your expression of interest {{ reference }}"),
        gettext_lazy(
            "{{ today }}\n\nDear {{ contact_name }},\n\n"
            "Thank you for the interest of {{ enterprise }} in “{{ call }}”. We regret that we cannot offer "
            "{{ enterprise }} a place in the programme this time.\n\n"
            "We encourage you to answer a later call for expression of interest.\n\n"
            "Yours sincerely,\n{{ call_contact }}\n{{ call_contact_email }}"
        ),
    ),
    LetterKind.EOI_REGRET: (
        gettext_lazy("SCORE programme: your expression of interest {{ reference }}"),
        gettext_lazy(
            "{{ today }}\n\nDear {{ contact_name }},\n\n"
            "Thank you for the expression of interest {{ reference }} of {{ enterprise }}, {{ city }}, "
            "in answer to “{{ call }}”.\n\n"
            "We have reviewed it against the participation criteria published with the call. We regret that "
            "{{ enterprise }} does not meet them this time:\n\n{{ criteria_not_met }}\n\n"
            "If your situation changes, we encourage you to answer a later call for expression of interest. "
            "For any question, please write to us and give your reference.\n\n"
            "Yours sincerely,\n{{ call_contact }}\n{{ call_contact_email }}"
        ),
    ),
}

# The letters about an enterprise on the path; the regret letter to an applicant not eligible is
# about an expression of interest only (enterprises/screening/decisions.py).
ENTERPRISE_KINDS = (LetterKind.SHORTLISTING, LetterKind.ACCEPTANCE, LetterKind.REGRET)

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
TEMPLATE_SYNTAX = re.compile(r"\{[{%#]|[}%#]\}")

# No loaders (so no {% include %}), nothing but the built-ins, autoescape on.
_ENGINE = Engine(dirs=[], app_dirs=False, loaders=[], autoescape=True, string_if_invalid="")


def spelled(name: str) -> str:
    return "{{ " + name + " }}"


def validate_template_text(text: str) -> None:
    """Refuse anything but the known {{ placeholders }}, naming what is wrong."""
    unknown = sorted({name for name in PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})
    if unknown:
        raise ValidationError(
            _("Unknown placeholder(s): %(names)s. Use only: %(known)s.")
            % {
                "names": ", ".join(spelled(n) for n in unknown),
                "known": ", ".join(spelled(n) for n in PLACEHOLDERS),
            },
            code="unknown_placeholder",
        )
    leftover = TEMPLATE_SYNTAX.search(PLACEHOLDER.sub("", text))
    if leftover:
        raise ValidationError(
            _("Only placeholders like {{ enterprise }} may be used; “%(syntax)s” is not allowed.")
            % {"syntax": leftover.group(0)},
            code="template_syntax",
        )


def _compile(text: str):
    """Escape the officer's words and keep the placeholders, then compile."""
    validate_template_text(text)
    pieces, last = [], 0
    for match in PLACEHOLDER.finditer(text):
        pieces.append(html.escape(text[last : match.start()], quote=False))
        pieces.append(spelled(match.group(1)))
        last = match.end()
    pieces.append(html.escape(text[last:], quote=False))
    return _ENGINE.from_string("".join(pieces))


def _date(value) -> str:
    return date_format(value, "j F Y") if value else _("(date to be confirmed)")


def letter_context(enterprise: Enterprise) -> dict[str, str]:
    """The whitelisted values, all plain strings."""
    eoi = enterprise.expression_of_interest
    call = enterprise.call
    batch = enterprise.batch
    return {
        "enterprise": enterprise.legal_name,
        "reference": eoi.reference,
        "city": enterprise.city,
        "contact_name": eoi.contact_name,
        "contact_position": eoi.contact_position,
        "call": call.title,
        "call_contact": call.contact_name,
        "call_contact_email": call.contact_email,
        "batch": batch.name if batch else _("a Level 1 batch"),
        "batch_starts_on": _date(batch.starts_on if batch else None),
        "today": _date(timezone.localdate()),
        "criteria_not_met": "",
    }


def criteria_lines(reasons: list[dict]) -> str:
    """The criteria not met as the letter lists them: the published criterion, then the applicant's answer."""
    if not reasons:
        return _("- the participation criteria of the call")
    return "\n".join(f"- {item['label']}: {item['reason']}" for item in reasons)


def eoi_letter_context(eoi) -> dict[str, str]:
    """The same whitelisted values for an expression of interest that has no enterprise record."""
    call = eoi.call
    return {
        "enterprise": eoi.legal_name,
        "reference": eoi.reference,
        "city": eoi.city,
        "contact_name": eoi.contact_name,
        "contact_position": eoi.contact_position,
        "call": call.title,
        "call_contact": call.contact_name,
        "call_contact_email": call.contact_email,
        "batch": _("a Level 1 batch"),
        "batch_starts_on": _date(None),
        "today": _date(timezone.localdate()),
        "criteria_not_met": criteria_lines(eoi.decision_reasons),
    }


def template_for(call, kind: str) -> tuple[str, str, bool]:
    """(subject, body, is_the_call's_own) for the call and kind, or the default text."""
    if kind not in LetterKind.values:
        raise ValidationError(_("Unknown kind of letter."), code="unknown_kind")
    own = LetterTemplate.objects.filter(call=call, kind=kind).first()
    if own:
        return own.subject, own.body, True
    subject, body = DEFAULTS[kind]
    return str(subject), str(body), False


@dataclass(frozen=True)
class Letter:
    kind: str
    recipient: str
    subject: str
    text: str  # plain text, for the email's text part
    html: str  # escaped, for the browser and the email's HTML part

    @property
    def html_paragraphs(self) -> str:
        return linebreaks(self.html, autoescape=False)


def _render(call, kind: str, values: dict, recipient: str, subject: str | None, body: str | None) -> Letter:
    default_subject, default_body, _own = template_for(call, kind)
    context = Context(values, autoescape=True)
    subject_html = _compile(subject if subject is not None else default_subject).render(context)
    body_html = _compile(body if body is not None else default_body).render(context)
    return Letter(
        kind=kind,
        recipient=recipient,
        subject=" ".join(html.unescape(subject_html).split()),
        text=html.unescape(body_html),
        html=body_html,
    )


def language_of(enterprise: Enterprise) -> str:
    """The language the enterprise wrote its expression of interest in: its letters are written in it."""
    return enterprise.expression_of_interest.language


def by_language(users) -> dict[str, list]:
    """Portal users grouped by the language to write to them in: an enterprise's contacts in the language
    of its letters (language_of), as its notices are letters too; anyone else in the language active now."""
    users = list(users)
    languages = dict(
        EnterpriseContact.objects.filter(user__in=[user.pk for user in users]).values_list(
            "user_id", "enterprise__expression_of_interest__language"
        )
    )
    groups: dict[str, list] = {}
    for user in users:
        groups.setdefault(languages.get(user.pk) or translation.get_language(), []).append(user)
    return groups


def render_letter(enterprise: Enterprise, kind: str, *, subject: str | None = None, body: str | None = None) -> Letter:
    """The letter for this enterprise, from the call's text (or the given one, for a preview), in the
    enterprise's language: the default wording and the dates (a call's own text is kept as written)."""
    eoi = enterprise.expression_of_interest
    with translation.override(eoi.language):
        return _render(enterprise.call, kind, letter_context(enterprise), eoi.contact_email, subject, body)


def render_eoi_letter(eoi, kind: str, *, subject: str | None = None, body: str | None = None) -> Letter:
    """The letter for an expression of interest (a regret letter), from the call's text, in the
    language the applicant wrote in."""
    with translation.override(eoi.language):
        return _render(eoi.call, kind, eoi_letter_context(eoi), eoi.contact_email, subject, body)


@transaction.atomic
def save_template(call, kind: str, *, subject: str, body: str, by) -> LetterTemplate:
    validate_template_text(subject)
    validate_template_text(body)
    template, _created = LetterTemplate.objects.update_or_create(
        call=call, kind=kind, defaults={"subject": subject, "body": body, "updated_by": by}
    )
    return template


@transaction.atomic
def send_letter(enterprise: Enterprise, kind: str, *, by) -> SentLetter:
    """Keep a copy of the letter and queue it for the enterprise's contact, together: the outbox
    sends it once this commits, and keeps trying while the mail server is down."""
    letter = render_letter(enterprise, kind)
    sent = SentLetter.objects.create(
        enterprise=enterprise,
        kind=kind,
        recipient=letter.recipient,
        subject=letter.subject,
        body=letter.text,
        sent_by=by,
    )
    outbox.enqueue(
        to=letter.recipient,
        subject=letter.subject,
        body=letter.text,
        html=letter.html_paragraphs,
        reply_to=enterprise.call.contact_email,
        kind=MailKind.LETTER,
        related=sent,
    )
    return sent


def suggested_kind(stage: str) -> str | None:
    """The letter that usually follows the enterprise's current stage."""
    return {
        Stage.SHORTLISTED: LetterKind.SHORTLISTING,
        Stage.LEVEL1_ACCEPTED: LetterKind.ACCEPTANCE,
        Stage.NOT_SELECTED: LetterKind.REGRET,
    }.get(stage)
