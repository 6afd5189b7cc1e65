"""The programme's activity log, read from the records the apps already keep.

Nothing is copied: each kind of entry is a query over its own record (the screening's ResultChange,
the path's StageTransition, simple_history's tables of assignments, contacts and visits, the letters
sent, the outbox, the indicator values, the account events), shaped into the same columns and put
together with one UNION ALL, sorted and paged by the database. A page then names its people and
enterprises with one query each, so the log costs the same number of queries whatever its size.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    DateTimeField,
    F,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _

from accounts.models import AccountEvent, AccountEventKind
from baseline.models import MonthlyValue
from enterprises.models import (
    ConsultantAssignment,
    Enterprise,
    EnterpriseContact,
    LetterKind,
    ResultChange,
    ScreeningOutcome,
    SentLetter,
    Stage,
    StageTransition,
)
from score_portal.models import MailKind, MessageStatus, OutgoingMessage
from training.models import Visit

# The columns every kind is shaped into, in this order (a UNION pairs them by position).
COLUMNS = ("ev_at", "ev_kind", "ev_action", "ev_by", "ev_about", "ev_enterprise", "ev_ref", "ev_a", "ev_b", "ev_why")

KINDS = {
    "screening": _("Screening results and overrides"),
    "path": _("Steps on the path"),
    "assignment": _("Consultant assignments"),
    "contact": _("Enterprise contacts"),
    "letter": _("Letters"),
    "mail": _("Mail"),
    "visit": _("Visits submitted and amended"),
    "indicator": _("Indicator values"),
    "account": _("Account changes"),
}


def _text(value=None):
    # NULL is cast too: a bare NULL in the first branch of a UNION would fix the column's type as text.
    return Cast(Value(value) if value is None or isinstance(value, str) else value, TextField())


def _id(expression=None):
    return Cast(expression if expression is not None else Value(None), BigIntegerField())


def _shape(qs, kind, *, at, action, by, about=None, enterprise=None, ref=None, a=None, b=None, why=None):
    columns = {
        "ev_at": Cast(F(at), DateTimeField()),
        "ev_kind": Value(kind, output_field=CharField()),
        "ev_action": _text(action),
        "ev_by": _id(by),
        "ev_about": _id(about),
        "ev_enterprise": _id(enterprise),
        "ev_ref": _text(ref),
        "ev_a": _text(a),
        "ev_b": _text(b),
        "ev_why": _text(why),
    }
    return qs.order_by().annotate(**columns).values(*COLUMNS)


def _enterprise_of_eoi():
    return Subquery(
        Enterprise.objects.filter(registration_key=OuterRef("expression_of_interest__registration_key")).values("pk")[
            :1
        ]
    )


def _screening():
    return _shape(
        ResultChange.objects.all(),
        "screening",
        at="changed_at",
        action=F("source"),
        by=F("changed_by_id"),
        enterprise=_enterprise_of_eoi(),
        ref=F("expression_of_interest__reference"),
        a=F("from_result"),
        b=F("to_result"),
        why=F("justification"),
    )


def _path():
    why = Case(
        When(
            ~Q(override_justification=""),
            then=Concat("reason", Value(" — "), "override_justification", output_field=TextField()),
        ),
        default=F("reason"),
        output_field=TextField(),
    )
    return _shape(
        StageTransition.objects.all(),
        "path",
        at="at",
        action=Value("move"),
        by=F("by_id"),
        enterprise=F("enterprise_id"),
        ref=F("call__title"),
        a=F("from_stage"),
        b=F("to_stage"),
        why=why,
    )


def _assignment():
    return _shape(
        ConsultantAssignment.history.all(),
        "assignment",
        at="history_date",
        action=F("history_type"),
        by=F("history_user_id"),
        about=F("consultant_id"),
        enterprise=F("enterprise_id"),
        why=F("history_change_reason"),
    )


def _contact():
    return _shape(
        EnterpriseContact.history.all(),
        "contact",
        at="history_date",
        action=F("history_type"),
        by=F("history_user_id"),
        about=F("user_id"),
        enterprise=F("enterprise_id"),
        ref=F("position"),
        why=F("history_change_reason"),
    )


def _letter():
    return _shape(
        SentLetter.objects.all(),
        "letter",
        at="sent_at",
        action=F("kind"),
        by=F("sent_by_id"),
        enterprise=F("enterprise_id"),
        ref=F("subject"),
        a=F("recipient"),
    )


def _mail():
    return _shape(
        OutgoingMessage.objects.all(),
        "mail",
        at="created_at",
        action=F("status"),
        by=F("resent_by_id"),
        ref=F("subject"),
        a=F("to"),
        b=F("kind"),
        why=F("last_error"),
    )


def _visit():
    # The visit's history rows that carry a reason: its submission, and every amendment with its why.
    return _shape(
        Visit.history.filter(history_change_reason__isnull=False).exclude(history_change_reason=""),
        "visit",
        at="history_date",
        action=F("history_type"),
        by=F("history_user_id"),
        about=F("consultant_id"),
        enterprise=F("enterprise_id"),
        ref=F("date"),
        a=F("version"),
        why=F("history_change_reason"),
    )


def _indicator():
    return _shape(
        MonthlyValue.objects.all(),
        "indicator",
        at="entered_at",
        action=F("round__kind"),
        by=F("entered_by_id"),
        enterprise=F("round__enterprise_id"),
        ref=F("code"),
        a=F("month"),
        b=Case(
            When(not_tracked=True, then=Value("not tracked")),
            default=Cast("value", TextField()),
            output_field=TextField(),
        ),
    )


def _account():
    return _shape(
        AccountEvent.objects.all(),
        "account",
        at="at",
        action=F("kind"),
        by=F("by_id"),
        about=F("user_id"),
        enterprise=F("enterprise_id"),
        ref=F("email"),
        why=F("detail"),
    )


SOURCES = {
    "screening": _screening,
    "path": _path,
    "assignment": _assignment,
    "contact": _contact,
    "letter": _letter,
    "mail": _mail,
    "visit": _visit,
    "indicator": _indicator,
    "account": _account,
}


def activity(
    *,
    kind: str = "",
    person=None,
    enterprise=None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    q: str = "",
):
    """Every entry that passes the filters, newest first, as rows of COLUMNS (a lazy queryset).

    `person` matches who acted and whom it was about; `q` a word of the reason, the reference or
    subject, or the name of the enterprise or the person."""
    kinds = [kind] if kind in SOURCES else list(SOURCES)
    conditions = Q()
    if person is not None:
        conditions &= Q(ev_by=person.pk) | Q(ev_about=person.pk)
    if enterprise is not None:
        conditions &= Q(ev_enterprise=enterprise.pk)
    if date_from:
        conditions &= Q(ev_at__date__gte=date_from)
    if date_to:
        conditions &= Q(ev_at__date__lte=date_to)
    if q:
        people = get_user_model().objects.filter(
            Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q)
        )
        conditions &= (
            Q(ev_why__icontains=q)
            | Q(ev_ref__icontains=q)
            | Q(ev_enterprise__in=Enterprise.objects.filter(legal_name__icontains=q).values("pk"))
            | Q(ev_by__in=people.values("pk"))
            | Q(ev_about__in=people.values("pk"))
        )
    parts = [SOURCES[name]().filter(conditions) for name in kinds]
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return combined.order_by("-ev_at", "ev_kind")


# ---------------------------------------------------------------- entries people read
@dataclass
class Entry:
    at: datetime.datetime
    kind: str
    kind_label: str
    by: object  # a user, or None for the portal itself
    about: object
    enterprise: object
    what: str
    why: str


HISTORY_ACTIONS = {"+": _("added"), "~": _("changed"), "-": _("removed")}


def _label(choices, value) -> str:
    return str(dict(choices).get(value, value or "—"))


def _what(row, about) -> str:
    kind, action, ref, a, b = row["ev_kind"], row["ev_action"], row["ev_ref"], row["ev_a"], row["ev_b"]
    about_name = (about.get_full_name() or about.get_username()) if about else ""
    if kind == "screening":
        return _("%(ref)s: %(from)s → %(to)s (%(source)s)") % {
            "ref": ref,
            "from": _label(ScreeningOutcome.choices, a),
            "to": _label(ScreeningOutcome.choices, b),
            "source": _label(ResultChange.Source.choices, action),
        }
    if kind == "path":
        return _("%(from)s → %(to)s") % {"from": _label(Stage.choices, a) if a else "—", "to": _label(Stage.choices, b)}
    if kind == "assignment":
        return _("Consultant %(name)s %(action)s") % {"name": about_name, "action": HISTORY_ACTIONS.get(action, action)}
    if kind == "contact":
        return _("Contact %(name)s %(action)s") % {"name": about_name, "action": HISTORY_ACTIONS.get(action, action)}
    if kind == "letter":
        return _("%(kind)s sent to %(to)s") % {"kind": _label(LetterKind.choices, action), "to": a}
    if kind == "mail":
        return _("“%(subject)s” to %(to)s: %(status)s (%(kind)s)") % {
            "subject": ref,
            "to": (a or "").strip("[]").replace('"', ""),
            "status": _label(MessageStatus.choices, action),
            "kind": _label(MailKind.choices, b),
        }
    if kind == "visit":
        return _("Visit of %(date)s by %(name)s, version %(version)s") % {"date": ref, "name": about_name, "version": a}
    if kind == "indicator":
        return _("%(code)s for %(month)s: %(value)s") % {"code": ref, "month": (a or "")[:7], "value": b}
    if kind == "account":
        return _("%(event)s: %(who)s") % {"event": _label(AccountEventKind.choices, action), "who": about_name or ref}
    return ""


def entries(rows) -> list[Entry]:
    """Rows of `activity` as entries, naming their people and enterprises with one query each."""
    rows = list(rows)
    user_ids = {row[key] for row in rows for key in ("ev_by", "ev_about") if row[key]}
    enterprise_ids = {row["ev_enterprise"] for row in rows if row["ev_enterprise"]}
    users = get_user_model().objects.in_bulk(user_ids) if user_ids else {}
    enterprises = Enterprise.objects.only("pk", "legal_name").in_bulk(enterprise_ids) if enterprise_ids else {}
    result = []
    for row in rows:
        about = users.get(row["ev_about"])
        result.append(
            Entry(
                at=row["ev_at"],
                kind=row["ev_kind"],
                kind_label=str(KINDS[row["ev_kind"]]),
                by=users.get(row["ev_by"]),
                about=about,
                enterprise=enterprises.get(row["ev_enterprise"]),
                what=str(_what(row, about)),
                why=row["ev_why"] or "",
            )
        )
    return result
