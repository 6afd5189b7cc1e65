"""Enterprises act for themselves: their contact submits a month of indicator inputs or order book
lines; the consultant (or an officer) accepts it, which saves it as if entered, or returns it with
a comment. Submitted → accepted / returned; the rows and their history are kept."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.access import own_enterprise

from . import rules, services
from .models import Submission, SubmissionKind, SubmissionStatus
from .orderbook import services as order_book


def is_own_contact(user, enterprise) -> bool:
    own = own_enterprise(user) if user.is_authenticated else None
    return own is not None and own.pk == enterprise.pk


def _stored(values: dict) -> dict:
    return {
        code: "NT" if value is rules.NOT_TRACKED else str(value) for code, value in values.items() if value is not None
    }


@transaction.atomic
def submit_month(round_, month: datetime.date, values: dict, *, by) -> Submission:
    """A month of inputs for the consultant to accept; refused if it has errors (as an entry would be)."""
    month = month.replace(day=1)
    errors, _warnings = services.check_values(round_, month, values)
    if errors:
        raise ValidationError(dict(errors))
    return Submission.objects.create(
        enterprise=round_.enterprise,
        kind=SubmissionKind.MONTH_VALUES,
        round=round_,
        month=month,
        payload=_stored(values),
        submitted_by=by,
    )


@transaction.atomic
def submit_orders(enterprise, lines: list[dict], *, by) -> Submission:
    """Order book lines (text cells) for the consultant to accept; each checked now and again at acceptance."""
    for number, cells in enumerate(lines, start=1):
        _values, errors = order_book.check_line(cells)
        if errors:
            raise ValidationError(_("Line %(n)s: %(errors)s") % {"n": number, "errors": " ".join(errors)})
    return Submission.objects.create(
        enterprise=enterprise,
        kind=SubmissionKind.ORDER_LINES,
        payload={"lines": [{k: str(v) for k, v in cells.items()} for cells in lines]},
        submitted_by=by,
    )


def _pending(submission: Submission) -> Submission:
    locked = (
        Submission.objects.select_for_update(of=("self",)).select_related("round", "enterprise").get(pk=submission.pk)
    )
    if locked.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(
            _("This submission was already %(status)s.") % {"status": locked.get_status_display().lower()},
            code="decided",
        )
    return locked


@transaction.atomic
def accept(submission: Submission, *, by) -> Submission:
    submission = _pending(submission)
    if submission.kind == SubmissionKind.MONTH_VALUES:
        values = {code: rules.parse_value(raw) for code, raw in submission.payload.items()}
        services.save_month(submission.round, submission.month, values, by=by, confirmed=True)
    else:
        order_book.save_lines(submission.enterprise, submission.payload["lines"], by=submission.submitted_by)
    submission.status, submission.decided_by, submission.decided_at = SubmissionStatus.ACCEPTED, by, timezone.now()
    submission._history_user = by
    submission.save()
    return submission


@transaction.atomic
def return_to_enterprise(submission: Submission, *, by, comment: str) -> Submission:
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say what to correct: the comment goes back to the enterprise.")})
    submission = _pending(submission)
    submission.status, submission.comment = SubmissionStatus.RETURNED, comment.strip()
    submission.decided_by, submission.decided_at = by, timezone.now()
    submission._history_user = by
    submission.save()
    return submission


def summary(submission: Submission) -> str:
    if submission.kind == SubmissionKind.MONTH_VALUES:
        return _("%(round)s, %(month)s: %(n)s inputs") % {
            "round": submission.round.label,
            "month": submission.month.strftime("%Y-%m"),
            "n": len(submission.payload),
        }
    lines = submission.payload.get("lines", [])
    total = sum(Decimal(line.get("value_pkr") or 0) for line in lines)
    return _("%(n)s order lines, PKR %(total)s") % {"n": len(lines), "total": f"{total:,.0f}"}
