"""The order book (criterion 2.2.3): monthly lines per buyer, confirmed or in the pipeline.

Rows come from a form, or from a CSV/XLSX upload or pasted text read by the indicator import's
machinery (`baseline.imports`), previewed with each row's errors; nothing is saved until the
person confirms a preview without errors, and then all rows together or none.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, Sum
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from enterprises.access import is_assigned_consultant, own_enterprise
from enterprises.models import IN_PROGRAMME_STAGES, Enterprise
from score_portal.roles import is_consultant, is_officer

from .. import imports
from ..models import OrderLine, OrderStatus

COLUMNS = ("month", "buyer", "product", "quantity", "value_pkr", "status")
MAX_VALUE = Decimal(10) ** 12
MAX_QUANTITY = 100_000_000
STATUS_WORDS = {"confirmed": OrderStatus.CONFIRMED, "pipeline": OrderStatus.PIPELINE}
WINDOW = 12  # months shown: the next twelve


# ---------------------------------------------------------------- who enters it
def can_enter_orders(user, enterprise) -> bool:
    """Officers, the assigned consultant, and the enterprise's own contact (it is their order book)."""
    if not user.is_authenticated:
        return False
    if is_officer(user) or (is_consultant(user) and is_assigned_consultant(user, enterprise)):
        return True
    own = own_enterprise(user)
    return own is not None and own.pk == enterprise.pk


# ---------------------------------------------------------------- reading and checking rows
@dataclass
class OrderRow:
    line: int
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def check_line(cells: dict) -> tuple[dict, list[str]]:
    """One line's values from text cells, and what is wrong with them."""
    values, errors = {}, []
    try:
        values["month"] = imports.parse_month(cells.get("month"))
    except ValueError as exc:
        errors.append(str(exc))
    for name, label in (("buyer", _("Buyer")), ("product", _("Product"))):
        text = str(cells.get(name) or "").strip()
        if not text:
            errors.append(_("%(field)s is missing.") % {"field": label})
        elif len(text) > 120:
            errors.append(_("%(field)s is longer than 120 characters.") % {"field": label})
        values[name] = text
    raw_quantity = str(cells.get("quantity") or "").strip().replace(",", "")
    try:
        quantity = Decimal(raw_quantity)
        if quantity != quantity.to_integral_value() or not 0 <= quantity <= MAX_QUANTITY:
            raise InvalidOperation
        values["quantity"] = int(quantity)
    except InvalidOperation:
        errors.append(_("Quantity “%(value)s” is not a whole number of units.") % {"value": raw_quantity[:20]})
    raw_value = str(cells.get("value_pkr") or "").strip().replace(",", "")
    try:
        value = Decimal(raw_value)
        if not 0 <= value < MAX_VALUE:
            raise InvalidOperation
        values["value_pkr"] = value.quantize(Decimal(1))
    except InvalidOperation:
        errors.append(_("Value “%(value)s” is not an amount in PKR.") % {"value": raw_value[:20]})
    status = STATUS_WORDS.get(str(cells.get("status") or "").strip().lower())
    if status is None:
        errors.append(_("Status must be “confirmed” or “pipeline”."))
    values["status"] = status
    return values, errors


def parse_rows(rows: list[list]) -> list[OrderRow]:
    """Rows read by baseline.imports (upload or paste), checked; the first row names the columns."""
    if not rows:
        raise ValidationError(_("There is nothing to import."))
    headers = [str(cell).strip().lower() for cell in rows[0]]
    missing = [c for c in COLUMNS if c not in headers]
    if missing:
        raise ValidationError(
            _("The first row must name the columns %(columns)s; missing: %(missing)s.")
            % {"columns": ", ".join(COLUMNS), "missing": ", ".join(missing)}
        )
    if len(rows) - 1 > imports.MAX_ROWS:
        raise ValidationError(_("At most %(n)s rows can be imported at once.") % {"n": imports.MAX_ROWS})
    parsed = []
    for line, row in enumerate(rows[1:], start=2):
        cells = dict(zip(headers, list(row) + [""] * (len(headers) - len(row)), strict=False))
        values, errors = check_line(cells)
        parsed.append(OrderRow(line, values, errors))
    return parsed


def serialise(rows: list[OrderRow]) -> list[dict]:
    return [
        {**row.values, "month": row.values["month"].isoformat(), "value_pkr": str(row.values["value_pkr"])}
        for row in rows
    ]


def deserialise(stored: list[dict]) -> list[dict]:
    """The stored preview as text cells again: save_lines checks them once more."""
    return [dict(item) for item in stored]


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    month = timezone.localdate().replace(day=1)
    writer.writerow([month.strftime("%Y-%m"), "Example Brand GmbH", "Denim trousers", "12000", "9600000", "confirmed"])
    return out.getvalue()


# ---------------------------------------------------------------- writes
@transaction.atomic
def save_lines(enterprise: Enterprise, lines: list[dict], *, by) -> int:
    """Add order book lines (text cells, checked again here): all of them, or none if any is wrong."""
    checked = []
    for number, cells in enumerate(lines, start=1):
        values, errors = check_line(cells)
        if errors:
            raise ValidationError(
                _("Line %(n)s: %(errors)s Nothing was saved.") % {"n": number, "errors": " ".join(errors)}
            )
        checked.append(values)
    now = timezone.now()
    OrderLine.objects.bulk_create(
        [OrderLine(enterprise=enterprise, entered_by=by, entered_at=now, **values) for values in checked]
    )
    return len(checked)


@transaction.atomic
def delete_line(line: OrderLine, *, by) -> None:
    line._history_user = by
    line.delete()


# ---------------------------------------------------------------- reads
def add_months(month: datetime.date, n: int) -> datetime.date:
    total = month.year * 12 + month.month - 1 + n
    return datetime.date(total // 12, total % 12 + 1, 1)


def last_month(enterprise) -> datetime.date | None:
    """The month of the book's last line; None for an enterprise that keeps no order book."""
    return enterprise.order_lines.aggregate(last=Max("month"))["last"]


_UNREAD = object()


def window_start(enterprise, today: datetime.date | None = None, *, last=_UNREAD) -> datetime.date:
    """The first of the twelve months shown: this month when the book covers the months ahead,
    else the twelve months up to its last line (an older book still reads). `last` is
    last_month(enterprise) when the caller has read it already."""
    this_month = (today or timezone.localdate()).replace(day=1)
    if last is _UNREAD:
        last = last_month(enterprise)
    if last is None or last >= this_month:
        return this_month
    return add_months(last, -(WINDOW - 1))


def monthly_totals(enterprise, start: datetime.date) -> list[dict]:
    """Each of the twelve months with its confirmed and pipeline value; one query."""
    months = [add_months(start, i) for i in range(WINDOW)]
    rows = (
        enterprise.order_lines.filter(month__gte=months[0], month__lte=months[-1])
        .values("month")
        .annotate(
            confirmed=Sum("value_pkr", filter=Q(status=OrderStatus.CONFIRMED)),
            pipeline=Sum("value_pkr", filter=Q(status=OrderStatus.PIPELINE)),
        )
        .order_by()
    )
    by_month = {row["month"]: row for row in rows}
    return [
        {
            "month": month,
            "confirmed": (by_month.get(month) or {}).get("confirmed") or Decimal(0),
            "pipeline": (by_month.get(month) or {}).get("pipeline") or Decimal(0),
        }
        for month in months
    ]


def chart(totals: list[dict], *, width: int = 640, height: int = 220, pad: int = 28) -> dict:
    """Stacked columns per month, confirmed below pipeline, scaled to the largest month (SVG geometry)."""
    top = max((t["confirmed"] + t["pipeline"] for t in totals), default=Decimal(0)) or Decimal(1)
    area = height - 2 * pad
    step = (width - pad) / max(len(totals), 1)
    columns = []
    for index, total in enumerate(totals):
        confirmed_h = float(total["confirmed"] / top) * area
        pipeline_h = float(total["pipeline"] / top) * area
        x = pad + index * step + step * 0.15
        base = height - pad
        columns.append(
            {
                "label": dateformat.format(total["month"], "M y"),  # the month's name in the reader's language
                "x": round(x, 1),
                "w": round(step * 0.7, 1),
                "confirmed_y": round(base - confirmed_h, 1),
                "confirmed_h": round(confirmed_h, 1),
                "pipeline_y": round(base - confirmed_h - pipeline_h, 1),
                "pipeline_h": round(pipeline_h, 1),
                "text_x": round(x + step * 0.35, 1),
                "confirmed": total["confirmed"],
                "pipeline": total["pipeline"],
            }
        )
    return {"columns": columns, "width": width, "height": height, "base": height - pad, "top": top, "pad": pad}


def order_books_not_updated(*, today: datetime.date | None = None, months: int = 2):
    """Enterprises in the programme whose order book has had no new line for `months` months (or has
    none): for the officer's worklist. One query; each enterprise carries `last_order_entry`."""
    today = today or timezone.localdate()
    since = timezone.make_aware(datetime.datetime.combine(add_months(today.replace(day=1), -months), datetime.time()))
    since = since.replace(day=min(today.day, 28))
    return (
        Enterprise.objects.filter(stage__in=IN_PROGRAMME_STAGES)
        .annotate(last_order_entry=Max("order_lines__entered_at"))
        .filter(Q(last_order_entry__isnull=True) | Q(last_order_entry__lt=since))
        .order_by("legal_name", "pk")
    )
