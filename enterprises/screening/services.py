"""Writes for calls and expressions of interest. Every write runs in a transaction."""

import datetime
import functools
import re
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q, Subquery
from django.db.models.functions import ExtractYear
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from score_portal import outbox
from score_portal.models import MailKind

from .. import consent
from ..models import (
    Call,
    CriterionResult,
    ExpressionOfInterest,
    ResultChange,
    Screening,
    ScreeningOutcome,
)
from . import rules, selectors

PAKISTANI_PHONE = re.compile(r"^(?:\+92|0092|0)?3\d{9}$|^(?:\+92|0092|0)\d{2,3}\d{6,8}$")


def registration_key(number: str) -> str:
    """The registration number as compared for duplicates: no spaces, dashes or dots, upper case."""
    return re.sub(r"[\s\-./]", "", number or "").upper()


def normalise_phone(raw: str) -> str | None:
    """Return the digits of a Pakistani phone number in +92 form, or None if it is not one.

    Accepts 0300-8486929, 0300 8486929, +92 300 8486929, 0092-300-8486929 and
    landlines such as 042-35761234.
    """
    compact = re.sub(r"[\s\-()]", "", raw or "")
    if not PAKISTANI_PHONE.match(compact):
        return None
    national = re.sub(r"^(\+92|0092|0)", "", compact)
    return "+92" + national


class CallClosed(ValidationError):
    pass


def closed_message(call: Call, today: datetime.date | None = None) -> str:
    """Why a call does not take expressions of interest today: not open yet, or closed."""
    today = today or timezone.localdate()
    if today < call.opens_on:
        return _("This call opens on %(date)s. The form will be available from that day.") % {
            "date": date_format(call.opens_on, "j F Y")
        }
    return _("This call closed on %(date)s and no longer accepts expressions of interest.") % {
        "date": date_format(call.closes_on, "j F Y")
    }


class DuplicateExpressionOfInterest(ValidationError):
    pass


def duplicate_message(call: Call) -> str:
    return _(
        "An expression of interest from this registration number already exists for this call. "
        "To change it, contact %(name)s at %(email)s."
    ) % {"name": call.contact_name, "email": call.contact_email}


def check_not_duplicate(call: Call, registration_number: str) -> None:
    key = registration_key(registration_number)
    if ExpressionOfInterest.objects.filter(call=call, registration_key=key).exists():
        raise DuplicateExpressionOfInterest(duplicate_message(call), code="duplicate")


def submit_expression_of_interest(
    call: Call,
    data: dict,
    *,
    entered_by=None,
    today: datetime.date | None = None,
    status_url: Callable[[str], str] | None = None,
    locked: bool = False,
) -> ExpressionOfInterest:
    """Save a whole EOI and screen it. The public form may not submit to a closed call;
    an officer may, and the EOI is then marked late if it was received (`today`) after the close.

    With `status_url` (a public submission: the absolute status link for a token), the acknowledgement
    is queued in the same transaction unless its address had its share today (may_acknowledge);
    `eoi.acknowledged` says which. This is the public form's busiest write: what it must know (the
    last reference number, a duplicate, a same-name twin, the acknowledgements of the address) is
    read in one query under the lock, and the first screening is recorded without re-reading the EOI."""
    arguments = {"entered_by": entered_by, "today": today or timezone.localdate(), "status_url": status_url}
    if locked:
        # The caller took lock_numbering's lock in the transaction it runs us in (the public form's send).
        if not transaction.get_connection().in_atomic_block:
            raise transaction.TransactionManagementError(
                "submit_expression_of_interest(locked=True) outside a transaction"
            )
        return _submit(call, data, **arguments)
    with transaction.atomic():
        return _submit(lock_numbering(call.pk), data, **arguments)


def _submit(call: Call, data: dict, *, entered_by, today: datetime.date, status_url) -> ExpressionOfInterest:
    if entered_by is None and not call.is_open(today):
        raise CallClosed(closed_message(call, today), code="closed")
    eoi = ExpressionOfInterest(call=call, entered_by=entered_by, is_late=today > call.closes_on, **data)
    # The words the enterprise agreed to, as it read them (a later call may word them differently).
    eoi.consent_version = consent.EOI_CONSENT_VERSION
    eoi.consent_text = consent.eoi_consent_text()
    if today != timezone.localdate():
        # Received earlier (on paper, or in the demo): the record says when it arrived.
        eoi.submitted_at = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
    eoi.registration_key = registration_key(eoi.registration_number)
    if eoi.contact_phone:
        eoi.contact_phone = normalise_phone(eoi.contact_phone) or eoi.contact_phone
    facts = _submission_facts(call, eoi, acknowledging=status_url is not None)
    if facts["duplicates"]:
        raise DuplicateExpressionOfInterest(duplicate_message(call), code="duplicate")
    eoi.possible_duplicate = bool(facts["twins"])
    eoi.sequence = (facts["last_sequence"] or 0) + 1
    eoi.reference = f"{call.reference_prefix}-{eoi.sequence:04d}"
    thresholds = rules.Thresholds.of_call(call)
    verdict = rules.screen(eoi, thresholds)
    eoi.result = verdict.outcome
    eoi.save()
    if eoi.possible_duplicate:
        selectors.same_name_and_city(call.pk, eoi.legal_name, eoi.city).exclude(pk=eoi.pk).update(
            possible_duplicate=True
        )
    screening = _save_screening(eoi, verdict, thresholds)
    # The result is in the EOI's first history row already; pointing at its screening is no change to audit.
    ExpressionOfInterest.objects.filter(pk=eoi.pk).update(current_screening=screening)
    eoi.current_screening = screening
    ResultChange.objects.create(
        expression_of_interest=eoi,
        source=ResultChange.Source.AUTOMATIC,
        from_result=ScreeningOutcome.PENDING,
        to_result=screening.outcome,
        screening=screening,
    )
    eoi.acknowledged = False
    if status_url is not None:
        eoi.acknowledged = facts["recent"] + 1 <= settings.ACKNOWLEDGEMENTS_PER_ADDRESS_PER_DAY
        if eoi.acknowledged:
            send_acknowledgement(eoi, status_url(eoi.status_token))
    return eoi


def lock_numbering(call_id: int) -> Call | None:
    """Lock the calls that share a call's numbering of EOIs (one country and year), in a fixed order,
    and return that call (None if there is none), in one query. Under this lock two submissions at
    once can neither take the same reference nor both pass the duplicate check. Call it in a
    transaction; submit_expression_of_interest(locked=True) then trusts it."""
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("lock_numbering() outside a transaction")
    sql, params = _numbering_sql(connection.vendor)
    calls = Call.objects.raw(sql, [call_id if param is _CALL else param for param in params])
    return next((call for call in calls if call.pk == call_id), None)


def _calls_of_numbering(call_id):
    same = Call.objects.filter(pk=call_id)
    return (
        Call.objects.select_for_update()
        .filter(
            country=Subquery(same.values("country")),
            opens_on__year=Subquery(same.annotate(year=ExtractYear("opens_on")).values("year")),
        )
        .order_by("pk")
    )


_CALL = object()  # where the call's id goes among the compiled query's parameters


@functools.cache
def _numbering_sql(vendor: str) -> tuple[str, tuple]:
    """lock_numbering's query as the ORM writes it for the database, compiled once, with _CALL where
    the call's id goes: every public submission runs it, and compiling it cost four times what
    running it did (1.3 ms of CPU, 0.3)."""
    marker = -918_273
    sql, params = _calls_of_numbering(marker).query.sql_with_params()
    if params.count(marker) != 2:
        raise ValueError(f"lock_numbering's query takes {params}: where does the call's id go?")
    return sql, tuple(_CALL if param == marker else param for param in params)


def _submission_facts(call: Call, eoi: ExpressionOfInterest, *, acknowledging: bool) -> dict:
    """In one query: the last sequence number of the call's numbering, EOIs of the call with the same
    registration (duplicates) or the same name and city (twins), and the public EOIs of the last
    24 hours to the same contact address (for may_acknowledge's cap).

    Each is a subquery that an index answers (each call's last number from the (call, sequence) one,
    the registration's, the address's), so that the cost does not grow with every EOI ever received:
    one filter over all of them read every row. Written as SQL because the public form sends this
    under the numbering's lock, where compiling the ORM's four subqueries cost more than running them.
    The comparisons are the ORM's: `iexact` is UPPER() = UPPER() on PostgreSQL, as here; on SQLite the
    ORM's LIKE ignores the case of ASCII letters only, as UPPER() does. The recent public EOIs are
    _recent_public_eois's."""
    ops = connection.ops
    eois, calls = ExpressionOfInterest._meta.db_table, Call._meta.db_table
    since = timezone.now() - datetime.timedelta(days=1)
    year = call.opens_on.year
    sql = f"""
        SELECT
          (SELECT MAX((SELECT MAX(e.sequence) FROM {eois} e WHERE e.call_id = c.id))
             FROM {calls} c WHERE c.country = %s AND c.opens_on BETWEEN %s AND %s),
          (SELECT COUNT(*) FROM {eois} WHERE call_id = %s AND registration_key = %s),
          (SELECT COUNT(*) FROM {eois}
             WHERE call_id = %s AND UPPER(legal_name) = UPPER(%s) AND UPPER(city) = UPPER(%s)),
          (SELECT COUNT(*) FROM {eois}
             WHERE UPPER(contact_email) = UPPER(%s) AND entered_by_id IS NULL AND submitted_at > %s)
    """  # noqa: S608 - table names from the models; every value is a parameter
    params = [
        call.country,
        ops.adapt_datefield_value(datetime.date(year, 1, 1)),
        ops.adapt_datefield_value(datetime.date(year, 12, 31)),
        call.pk,
        eoi.registration_key,
        call.pk,
        eoi.legal_name.strip(),
        eoi.city.strip(),
        (eoi.contact_email or "").strip() if acknowledging else "",
        ops.adapt_datetimefield_value(since),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        last_sequence, duplicates, twins, recent = cursor.fetchone()
    return {
        "last_sequence": last_sequence,
        "duplicates": duplicates,
        "twins": twins,
        "recent": recent if acknowledging else 0,
    }


def _save_screening(eoi: ExpressionOfInterest, verdict, thresholds, *, requested_by=None, reason: str = ""):
    screening = Screening.objects.create(
        expression_of_interest=eoi,
        outcome=verdict.outcome,
        thresholds=thresholds.as_json(),
        requested_by=requested_by,
        reason=reason,
        **verdict.tally(),
    )
    CriterionResult.objects.bulk_create(
        CriterionResult(screening=screening, position=i, code=c.code, label=c.label, verdict=c.verdict, reason=c.reason)
        for i, c in enumerate(verdict.criteria)
    )
    return screening


def _record_screening(eoi: ExpressionOfInterest, *, requested_by=None, reason: str = "") -> Screening:
    thresholds = rules.Thresholds.of_call(eoi.call)
    verdict = rules.screen(eoi, thresholds)
    return _save_screening(eoi, verdict, thresholds, requested_by=requested_by, reason=reason)


@transaction.atomic
def screen_expression_of_interest(
    eoi: ExpressionOfInterest, *, source=ResultChange.Source.RESCREENING, requested_by=None, reason: str = ""
) -> Screening:
    """Screen with the call's current thresholds and make that the EOI's result.

    Re-screening is an explicit officer action; it replaces an earlier override,
    and the history keeps both."""
    eoi = ExpressionOfInterest.objects.select_for_update().select_related("call").get(pk=eoi.pk)
    screening = _record_screening(eoi, requested_by=requested_by, reason=reason)
    previous = eoi.result
    eoi.result = screening.outcome
    eoi.result_overridden = False
    eoi.current_screening = screening
    eoi.save(update_fields=["result", "result_overridden", "current_screening"])
    ResultChange.objects.create(
        expression_of_interest=eoi,
        source=source,
        from_result=previous,
        to_result=screening.outcome,
        screening=screening,
        changed_by=requested_by,
        justification=reason,
    )
    return screening


@transaction.atomic
def override_result(eoi: ExpressionOfInterest, *, officer, outcome: str, justification: str) -> ResultChange:
    justification = (justification or "").strip()
    if not justification:
        raise ValidationError(
            {"justification": _("Write why you override the screening result.")}, code="justification_required"
        )
    if outcome not in {ScreeningOutcome.ELIGIBLE, ScreeningOutcome.NEEDS_REVIEW, ScreeningOutcome.INELIGIBLE}:
        raise ValidationError({"outcome": _("Choose eligible, needs review or ineligible.")}, code="bad_outcome")
    eoi = ExpressionOfInterest.objects.select_for_update().get(pk=eoi.pk)
    if outcome == eoi.result:
        raise ValidationError(
            {"outcome": _("The result is already “%(result)s”.") % {"result": eoi.get_result_display()}},
            code="unchanged",
        )
    change = ResultChange.objects.create(
        expression_of_interest=eoi,
        source=ResultChange.Source.OVERRIDE,
        from_result=eoi.result,
        to_result=outcome,
        screening=eoi.current_screening,
        changed_by=officer,
        justification=justification,
    )
    eoi.result = outcome
    eoi.result_overridden = True
    eoi.save(update_fields=["result", "result_overridden"])
    return change


# _submission_facts asks the same in SQL: public (no officer entered it), to this address in any case,
# in the last 24 hours.
def _recent_public_eois(email: str, now: datetime.datetime) -> Q:
    since = now - datetime.timedelta(days=1)
    return Q(entered_by__isnull=True, contact_email__iexact=(email or "").strip(), submitted_at__gt=since)


def may_acknowledge(email: str, *, now: datetime.datetime | None = None) -> bool:
    """Whether the acknowledgement of a public EOI just saved may be mailed to `email`.

    The public form mails whatever address is typed in, with the names typed in: without a cap,
    anyone could send the ILO's mail to anyone, again and again. At most
    settings.ACKNOWLEDGEMENTS_PER_ADDRESS_PER_DAY public EOIs of the last 24 hours (this one included)
    are acknowledged to one address; the EOIs themselves are all kept. (submit_expression_of_interest
    applies the same cap, counted before its EOI is saved.)"""
    recent = ExpressionOfInterest.objects.filter(_recent_public_eois(email, now or timezone.now()))
    return recent.count() <= settings.ACKNOWLEDGEMENTS_PER_ADDRESS_PER_DAY


def language_of_request(request) -> str:
    """The portal language the visitor is reading (one of settings.LANGUAGES), to record with an EOI."""
    codes = [code for code, _name in settings.LANGUAGES]
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language()
    return language if language in codes else settings.LANGUAGE_CODE


def send_acknowledgement(eoi: ExpressionOfInterest, status_url: str):
    """Queue the acknowledgement with the private status link, in the language the form was filled in;
    call it in the transaction that saves the EOI, so that the two are kept or lost together and a mail
    server that is down loses neither."""
    context = {"eoi": eoi, "call": eoi.call, "status_url": status_url}
    with translation.override(eoi.language):
        subject = _("SCORE programme: we received your expression of interest %(reference)s") % {
            "reference": eoi.reference
        }
        body = render_to_string("enterprises/email/acknowledgement.txt", context)
    return outbox.enqueue(
        to=eoi.contact_email, subject=subject, body=body, kind=MailKind.EOI_ACKNOWLEDGEMENT, related=eoi
    )
