"""Numbers written for people: the one place that decides how a count, a percentage, a sum of money
or an indicator's value and change read, on the pages, in the PDFs and in the sentences the
reports generate.

Counts have no decimals and percentages one; money is in PKR; thousands are separated by commas;
a change carries its sign and its unit (percentage points for a KPI in %); a relative change from
a base too small to divide by says so instead of printing +4,820 %.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from . import catalogue_texts, rules

MINUS = "\u2212"  # the minus sign, not a hyphen
DASH = "—"
CURRENCY = "PKR"


def _decimal(value) -> Decimal | None:
    if value is None or value is rules.NOT_TRACKED:
        return None
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return None


def _ltr(text: str) -> str:
    """A number with its sign and "%" kept left to right inside right-to-left text (Urdu): isolated
    (U+2066 … U+2069), the minus sign stays before the digits instead of going to their other side."""
    return f"\u2066{text}\u2069" if get_language_bidi() else text


def number(value, places: int = 2, *, signed: bool = False) -> str:
    """1818 → "1,818" (places=0); -4.5 → "−4.50"; signed adds "+" to a positive number."""
    text = _digits(value, places, signed=signed)
    return text if text == DASH else _ltr(text)


def _digits(value, places: int = 2, *, signed: bool = False) -> str:
    value = _decimal(value)
    if value is None:
        return DASH
    quantum = Decimal(1).scaleb(-places)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "−0.0"
    text = f"{abs(rounded):,.{places}f}"
    if rounded < 0:
        return MINUS + text
    return f"+{text}" if signed and rounded > 0 else text


def count(value) -> str:
    return number(value, 0)


def percent(value, places: int = 1, *, signed: bool = False) -> str:
    value = _decimal(value)
    return DASH if value is None else _ltr(f"{_digits(value, places, signed=signed)}%")


def money(value, currency: str = CURRENCY) -> str:
    value = _decimal(value)
    return DASH if value is None else _ltr(f"{currency} {_digits(value, 0)}")


# ---------------------------------------------------------------- indicators
def _spec(version) -> rules.FormulaSpec | None:
    return rules.FORMULAS.get(getattr(version, "formula", "") or "")


def is_practice(version) -> bool:
    return not getattr(version, "formula", "")


def places(version) -> int:
    spec = _spec(version)
    return spec.places if spec else 0


def is_percent(version) -> bool:
    """A KPI in %: its value reads "3.5%", its change "−4.5 pp"."""
    spec = _spec(version)
    return bool(spec and spec.kind == rules.PERCENT) or str(getattr(version, "unit", "")).startswith("%")


def _unit(version) -> str:
    """The unit in the reader's language (catalogue_texts): "% per month", "persons"."""
    return catalogue_texts.unit(version.unit)


def _unit_after_percent(version) -> str:
    """What follows "%" in a unit such as "% per month" (" per month")."""
    if not str(version.unit).startswith("%"):
        return ""
    shown = _unit(version)
    return shown[1:] if shown.startswith("%") else f" {shown}"


def unit_of_value(version) -> str:
    if is_practice(version):
        return ""
    return f"%{_unit_after_percent(version)}" if is_percent(version) else _unit(version)


def unit_of_change(version) -> str:
    """The unit a change is in: percentage points for a KPI in %, the KPI's own unit otherwise."""
    if is_practice(version):
        return ""
    if is_percent(version):
        return _("pp") + _unit_after_percent(version)
    return _unit(version)


def value(value, version) -> str:
    """An indicator's value with its unit: "3.5%", "1,818 persons", "0.47 units per worker-hour", "yes"."""
    value = _decimal(value)
    if value is None:
        return DASH
    if is_practice(version):
        return _("yes") if value == 1 else _("no")
    if is_percent(version):
        return f"{_ltr(_digits(value, places(version)) + '%')}{_unit_after_percent(version)}"
    unit = _unit(version)
    return f"{number(value, places(version))} {unit}".strip()


def change(value, version) -> str:
    """An absolute change with its sign and unit: "−4.5 pp", "+0.07 units per worker-hour"."""
    value = _decimal(value)
    if value is None:
        return DASH
    if is_practice(version):
        return _("adopted") if value > 0 else (_("dropped") if value < 0 else _("no change"))
    return f"{number(value, places(version), signed=True)} {unit_of_change(version)}".strip()


def relative(change_pct, baseline, version) -> str:
    """A change relative to the baseline: "−56.3%", or "n/a (base below 0.5%)" when the base is too
    small for a percentage to mean anything."""
    change_pct, baseline = _decimal(change_pct), _decimal(baseline)
    floor = rules.min_base(getattr(version, "formula", ""))
    if change_pct is not None:
        return percent(change_pct, signed=True)
    if floor is None or baseline is None:
        return DASH
    return _("n/a (base below %(floor)s)") % {"floor": value_of_floor(floor, version)}


def value_of_floor(floor: Decimal, version) -> str:
    """The floor in the indicator's terms, short: "0.5%", "1" (the unit is beside it already)."""
    places_needed = max(0, -floor.normalize().as_tuple().exponent)
    return _ltr(f"{_digits(floor, places_needed)}%") if is_percent(version) else number(floor, places_needed)


def change_figure(value, version) -> str:
    """A change without its unit words, for a table whose row gives the unit: "−3.6 pp", "+0.09"."""
    value = _decimal(value)
    if value is None:
        return DASH
    if is_practice(version):
        return change(value, version)
    text = number(value, places(version), signed=True)
    return f"{text} {_('pp')}" if is_percent(version) else text


def median_relative(change_pct) -> str:
    return percent(change_pct, signed=True)


def figure(value, version) -> str:
    """A value without its unit words, for a chart whose caption gives the unit: "3.5%", "0.47", "1,818"."""
    value = _decimal(value)
    if value is None:
        return DASH
    if is_practice(version):
        return _("yes") if value == 1 else _("no")
    return _ltr(f"{_digits(value, places(version))}%") if is_percent(version) else number(value, places(version))
