"""The indicator rules as plain functions: raw inputs, KPI formulas, validation, change and improvement.

No database and no HTTP here. Values are Decimals; a missing input is None and an input the
enterprise does not track is NOT_TRACKED. Neither is ever treated as zero: a formula that needs
one of them gives no value (None). A zero denominator gives no value either.

A round's KPI is computed from the monthly means of its inputs (each input averaged over the
months in which it was tracked), so every KPI reads "per month".
"""

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

# ---------------------------------------------------------------- vocabulary


class _NotTracked:
    """The enterprise does not record this input. Distinct from None (not entered) and from 0."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self):
        return "NOT_TRACKED"

    def __bool__(self):
        return False


NOT_TRACKED = _NotTracked()

HIGHER = "higher"
LOWER = "lower"
NEUTRAL = "neutral"

ALL = "all"
WOMEN = "women"
MEN = "men"
SEXES = (ALL, WOMEN, MEN)
SEX_WORDS = {WOMEN: _("women"), MEN: _("men")}

MIN_GROUP = 3  # aggregates over fewer enterprises are suppressed (confidentiality)
JUMP_FACTOR = 3  # a value more than this many times the previous round's asks for confirmation
PLACES = Decimal("0.01")
HUNDRED = Decimal(100)

MODULES = {
    1: _("Workplace Cooperation"),
    2: _("Quality"),
    3: _("Productivity and Cleaner Production"),
    4: _("Workforce Management"),
    5: _("Safety and Health"),
}


# ---------------------------------------------------------------- raw monthly inputs
@dataclass(frozen=True)
class InputSpec:
    code: str
    label: str
    unit: str
    integer: bool = True
    maximum: Decimal = Decimal(10_000_000)
    by_sex: bool = False  # the input may also be given for women and for men (code_women, code_men)
    # Asked for no more: kept so that the rounds entered with it still read and recompute.
    legacy: bool = False


INPUT_SPECS = [
    InputSpec("units_checked", _("Units checked"), _("units")),
    InputSpec("defective_units", _("Defective units"), _("units")),
    InputSpec("lost_time_accidents", _("Lost-time accidents"), _("accidents"), maximum=Decimal(10_000)),
    InputSpec("hours_worked", _("Hours worked"), _("hours"), integer=False, maximum=Decimal(50_000_000)),
    # Factories record who is on the payroll on the first and on the last day of the month, not an
    # average: the portal averages the two for the KPIs defined per average headcount.
    InputSpec(
        "headcount_start", _("Headcount at the start of the month"), _("persons"), maximum=Decimal(100_000), by_sex=True
    ),
    InputSpec(
        "headcount_end", _("Headcount at the end of the month"), _("persons"), maximum=Decimal(100_000), by_sex=True
    ),
    InputSpec(
        "headcount",
        _("Average headcount (older rounds)"),
        _("persons"),
        maximum=Decimal(100_000),
        by_sex=True,
        legacy=True,
    ),
    InputSpec("leavers", _("Leavers"), _("persons"), maximum=Decimal(100_000), by_sex=True),
    InputSpec("days_absent", _("Days absent"), _("worker-days"), integer=False, by_sex=True),
    InputSpec("scheduled_workdays", _("Scheduled workdays"), _("worker-days"), integer=False, by_sex=True),
    InputSpec("overtime_hours", _("Overtime hours"), _("hours"), integer=False),
    InputSpec("output_units", _("Output"), _("units")),
    InputSpec("energy_kwh", _("Energy used"), _("kWh"), integer=False),
    InputSpec("waste_kg", _("Waste"), _("kg"), integer=False),
    InputSpec("suggestions", _("Suggestions received"), _("suggestions"), maximum=Decimal(100_000)),
    InputSpec("workers", _("Workers"), _("persons"), maximum=Decimal(100_000), by_sex=True),
    InputSpec("supervisors", _("Supervisors"), _("persons"), maximum=Decimal(100_000), by_sex=True),
    InputSpec("managers", _("Managers"), _("persons"), maximum=Decimal(100_000), by_sex=True),
]
BASE_INPUTS = {spec.code: spec for spec in INPUT_SPECS}


def _expand_inputs() -> dict[str, InputSpec]:
    expanded = {}
    for spec in INPUT_SPECS:
        expanded[spec.code] = spec
        if spec.by_sex:
            for sex, label in SEX_WORDS.items():
                code = f"{spec.code}_{sex}"
                expanded[code] = InputSpec(
                    code,
                    format_lazy("{} ({})", spec.label, label),
                    spec.unit,
                    spec.integer,
                    spec.maximum,
                    legacy=spec.legacy,
                )
    return expanded


INPUTS: dict[str, InputSpec] = _expand_inputs()
INPUT_CODES = tuple(INPUTS)
# What the entry form and the import template ask for (the legacy inputs are still read).
ENTRY_CODES = tuple(code for code, spec in INPUTS.items() if not spec.legacy)

# The average headcount of a month: derived from the start and end headcounts, or, in a round
# entered before those were asked for, the average as typed.
AVERAGE_HEADCOUNT = "average_headcount"

# numerator -> denominator: the numerator may not exceed it, and the denominator must be above zero
WITHIN = {
    "defective_units": "units_checked",
    "leavers": AVERAGE_HEADCOUNT,
    "days_absent": "scheduled_workdays",
}
DENOMINATORS = {
    "units_checked",
    "hours_worked",
    "headcount",
    "headcount_start",
    "headcount_end",
    "scheduled_workdays",
    "output_units",
}
MAX_HOURS_PER_PERSON = Decimal(400)  # in a month
MAX_OVERTIME_PER_PERSON = Decimal(150)


def parse_value(raw) -> Decimal | None | _NotTracked:
    """A cell or field as typed: blank -> None, 'NT' / 'not tracked' -> NOT_TRACKED, else a Decimal.

    Raises ValueError with a readable message for anything else."""
    if raw is None or raw is NOT_TRACKED or isinstance(raw, Decimal):
        return raw
    if isinstance(raw, bool):
        raise ValueError(_("Enter a number."))
    if isinstance(raw, int | float):
        return Decimal(str(raw))
    text = str(raw).strip().replace(",", "")
    if not text:
        return None
    if text.lower() in {"nt", "n/t", "not tracked", "not_tracked"}:
        return NOT_TRACKED
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("“%(value)s” is not a number.") % {"value": str(raw).strip()[:40]}) from None
    if not value.is_finite():
        raise ValueError(_("Enter a number."))
    return value


def _sex_code(code: str) -> tuple[str, str]:
    for sex in (WOMEN, MEN):
        if code.endswith("_" + sex):
            return code[: -len(sex) - 1], sex
    return code, ALL


def check_month(values: Mapping[str, object]) -> dict[str, list[str]]:
    """Errors per input code for one month of raw inputs ({} when all is well).

    `values` maps input codes to Decimal, None or NOT_TRACKED."""
    errors: dict[str, list[str]] = {}

    def add(code, message):
        errors.setdefault(code, []).append(str(message))

    def number(code):
        if code.startswith(AVERAGE_HEADCOUNT):
            value = average_headcount(values, _sex_code(code)[1], summed=False)
        else:
            value = values.get(code)
        return value if isinstance(value, Decimal) else None

    def label(code):
        base, sex = _sex_code(code)
        if base != AVERAGE_HEADCOUNT:
            return INPUTS[code].label
        return _("Average headcount") if sex == ALL else format_lazy("{} ({})", _("Average headcount"), SEX_WORDS[sex])

    for code, value in values.items():
        spec = INPUTS.get(code)
        if spec is None:
            add(code, _("Unknown input."))
            continue
        if not isinstance(value, Decimal):
            continue
        if value < 0:
            add(code, _("%(input)s cannot be negative.") % {"input": spec.label})
        elif spec.integer and value != value.to_integral_value():
            add(code, _("%(input)s must be a whole number.") % {"input": spec.label})
        elif value > spec.maximum:
            add(
                code,
                _("%(input)s of %(value)s is not plausible (at most %(max)s).")
                % {"input": spec.label, "value": value, "max": spec.maximum},
            )
        elif _sex_code(code)[0] in DENOMINATORS and value == 0:
            add(code, _("%(input)s must be above zero, or marked as not tracked.") % {"input": spec.label})

    suffixes = ("", "_women", "_men")
    for numerator, denominator in WITHIN.items():
        for suffix in suffixes:
            top, bottom = number(numerator + suffix), number(denominator + suffix)
            if top is not None and bottom is not None and bottom > 0 and top > bottom:
                add(
                    numerator + suffix,
                    _("%(num)s (%(top)s) cannot exceed %(den)s (%(bottom)s).")
                    % {
                        "num": INPUTS[numerator + suffix].label,
                        "top": top,
                        "den": label(denominator + suffix),
                        "bottom": _fmt(bottom),
                    },
                )
    for spec in INPUT_SPECS:
        if not spec.by_sex:
            continue
        total, women, men = number(spec.code), number(spec.code + "_women"), number(spec.code + "_men")
        if total is not None and women is not None and men is not None and women + men != total:
            add(
                spec.code,
                _("%(input)s: women (%(women)s) and men (%(men)s) add up to %(sum)s, not %(total)s.")
                % {"input": spec.label, "women": women, "men": men, "sum": women + men, "total": total},
            )
    headcount, hours, overtime = number(AVERAGE_HEADCOUNT), number("hours_worked"), number("overtime_hours")
    if headcount and hours is not None and hours > headcount * MAX_HOURS_PER_PERSON:
        add(
            "hours_worked",
            _("%(hours)s hours worked is more than %(max)s hours per person for a headcount of %(headcount)s.")
            % {"hours": hours, "max": MAX_HOURS_PER_PERSON, "headcount": _fmt(headcount)},
        )
    if headcount and overtime is not None and overtime > headcount * MAX_OVERTIME_PER_PERSON:
        add(
            "overtime_hours",
            _("%(hours)s overtime hours is more than %(max)s hours per person for a headcount of %(headcount)s.")
            % {"hours": overtime, "max": MAX_OVERTIME_PER_PERSON, "headcount": _fmt(headcount)},
        )
    accidents = number("lost_time_accidents")
    if headcount and accidents is not None and accidents > headcount:
        add("lost_time_accidents", _("More lost-time accidents than people in the headcount is not plausible."))
    return errors


def jumps(values: Mapping[str, object], previous: Mapping[str, Decimal | None]) -> dict[str, str]:
    """Warnings for values more than JUMP_FACTOR times the previous round's (monthly mean) value."""
    warnings = {}
    for code, value in values.items():
        before = previous.get(code)
        if not isinstance(value, Decimal) or not isinstance(before, Decimal) or before <= 0:
            continue
        if value > before * JUMP_FACTOR:
            warnings[code] = str(
                _("%(input)s of %(value)s is more than %(factor)s× the previous round's %(before)s.")
                % {"input": INPUTS[code].label, "value": value, "factor": JUMP_FACTOR, "before": _fmt(before)}
            )
    return warnings


def _fmt(value: Decimal) -> str:
    # format "f": normalize() alone writes 500 as 5E+2
    return f"{value.quantize(PLACES, rounding=ROUND_HALF_UP).normalize():f}" if value is not None else ""


# ---------------------------------------------------------------- formulas
def _q(value: Decimal) -> Decimal:
    return value.quantize(PLACES, rounding=ROUND_HALF_UP)


def _ok(*values) -> bool:
    return all(isinstance(value, Decimal) for value in values)


def ratio(numerator, denominator, scale: Decimal | int = 1) -> Decimal | None:
    """numerator / denominator × scale, rounded half-up to 2 places; None when an input is missing,
    not tracked, or the denominator is zero or negative."""
    if not _ok(numerator, denominator) or denominator <= 0 or numerator < 0:
        return None
    return _q(numerator * Decimal(scale) / denominator)


def defect_rate(defective_units, units_checked):
    return ratio(defective_units, units_checked, HUNDRED)


def accident_frequency(lost_time_accidents, hours_worked):
    return ratio(lost_time_accidents, hours_worked, 200_000)


def labour_turnover(leavers, headcount):
    return ratio(leavers, headcount, HUNDRED)


def absenteeism(days_absent, scheduled_workdays):
    return ratio(days_absent, scheduled_workdays, HUNDRED)


def overtime_per_worker(overtime_hours, headcount):
    return ratio(overtime_hours, headcount)


def productivity(output_units, hours_worked):
    return ratio(output_units, hours_worked)


def energy_per_unit(energy_kwh, output_units):
    return ratio(energy_kwh, output_units)


def waste_per_unit(waste_kg, output_units):
    return ratio(waste_kg, output_units)


def suggestions_per_100(suggestions, headcount):
    return ratio(suggestions, headcount, HUNDRED)


def count(persons):
    if not _ok(persons) or persons < 0:
        return None
    return _q(persons)


def women_share(women, men):
    if not _ok(women, men):
        return None
    return ratio(women, women + men, HUNDRED)


PERCENT = "percent"  # a share in % (its change is in percentage points)
COUNT = "count"  # a number of persons (no decimals)
RATE = "rate"  # anything else per something (two decimals)


@dataclass(frozen=True)
class FormulaSpec:
    code: str
    label: str
    function: Callable
    inputs: tuple[str, ...]
    by_sex: bool = False  # also computed for women and for men, from the inputs given per sex
    per_sex_inputs: tuple[str, ...] = field(default=())  # when the inputs are fixed per sex (women_share)
    kind: str = RATE
    # The range the value can take: the best value of a KPI whose direction points to a bound is
    # that bound (no defect is the best defect rate), and an enterprise already there cannot improve.
    lowest: Decimal | None = Decimal(0)
    highest: Decimal | None = None
    # A relative change from a base below this is no news (0.05 → 2.4 suggestions is "+4,700 %"):
    # it is not computed, and the reports say so.
    min_base: Decimal = Decimal(1)

    @property
    def places(self) -> int:
        return {PERCENT: 1, COUNT: 0}.get(self.kind, 2)


_PCT = {"kind": PERCENT, "highest": HUNDRED, "min_base": Decimal("0.5")}

FORMULA_SPECS = [
    FormulaSpec(
        "defect_rate",
        _("Defective units / units checked × 100"),
        defect_rate,
        ("defective_units", "units_checked"),
        **_PCT,
    ),
    FormulaSpec(
        "accident_frequency",
        _("Lost-time accidents × 200,000 / hours worked"),
        accident_frequency,
        ("lost_time_accidents", "hours_worked"),
    ),
    FormulaSpec(
        "labour_turnover",
        _("Leavers / average headcount × 100"),
        labour_turnover,
        ("leavers", "headcount"),
        True,
        **_PCT,
    ),
    FormulaSpec(
        "absenteeism",
        _("Days absent / scheduled workdays × 100"),
        absenteeism,
        ("days_absent", "scheduled_workdays"),
        True,
        **_PCT,
    ),
    FormulaSpec(
        "overtime_per_worker",
        _("Overtime hours / average headcount"),
        overtime_per_worker,
        ("overtime_hours", "headcount"),
    ),
    FormulaSpec(
        "productivity",
        _("Output / hours worked"),
        productivity,
        ("output_units", "hours_worked"),
        min_base=Decimal("0.01"),
    ),
    FormulaSpec(
        "energy_per_unit",
        _("Energy used / output"),
        energy_per_unit,
        ("energy_kwh", "output_units"),
        min_base=Decimal("0.01"),
    ),
    FormulaSpec(
        "waste_per_unit", _("Waste / output"), waste_per_unit, ("waste_kg", "output_units"), min_base=Decimal("0.01")
    ),
    FormulaSpec(
        "suggestions_per_100",
        _("Suggestions / average headcount × 100"),
        suggestions_per_100,
        ("suggestions", "headcount"),
    ),
    FormulaSpec("workers", _("Number of workers"), count, ("workers",), True, kind=COUNT),
    FormulaSpec("supervisors", _("Number of supervisors"), count, ("supervisors",), True, kind=COUNT),
    FormulaSpec("managers", _("Number of managers"), count, ("managers",), True, kind=COUNT),
    FormulaSpec(
        "women_supervisors_share",
        _("Women supervisors / all supervisors × 100"),
        women_share,
        ("supervisors_women", "supervisors_men"),
        **_PCT,
    ),
    # Version 2 of the KPIs defined per average headcount: the headcount is entered as factories
    # record it, at the start and at the end of the month, and averaged here. Rounds entered with
    # the average typed in give the same value.
    FormulaSpec(
        "labour_turnover_start_end",
        _("Leavers / ((headcount at the start + at the end of the month) / 2) × 100"),
        labour_turnover,
        ("leavers", AVERAGE_HEADCOUNT),
        True,
        **_PCT,
    ),
    FormulaSpec(
        "overtime_per_worker_start_end",
        _("Overtime hours / ((headcount at the start + at the end of the month) / 2)"),
        overtime_per_worker,
        ("overtime_hours", AVERAGE_HEADCOUNT),
    ),
    FormulaSpec(
        "suggestions_per_100_start_end",
        _("Suggestions / ((headcount at the start + at the end of the month) / 2) × 100"),
        suggestions_per_100,
        ("suggestions", AVERAGE_HEADCOUNT),
    ),
]
FORMULAS: dict[str, FormulaSpec] = {spec.code: spec for spec in FORMULA_SPECS}
FORMULA_CHOICES = [(spec.code, spec.label) for spec in FORMULA_SPECS]
# The formulas that replaced a version 1 (a data migration made the new indicator versions).
SUCCESSORS = {
    "labour_turnover": "labour_turnover_start_end",
    "overtime_per_worker": "overtime_per_worker_start_end",
    "suggestions_per_100": "suggestions_per_100_start_end",
}


def average_headcount(inputs: Mapping[str, object], sex: str = ALL, *, summed: bool = True):
    """The month's average headcount: (start + end) / 2, or the average as typed in older rounds.

    `summed`: for all, a total missing may be the sum of women and men (as for any input by sex)."""
    read = input_value if summed else (lambda values, code, s: values.get(code if s == ALL else f"{code}_{s}"))
    start, end = read(inputs, "headcount_start", sex), read(inputs, "headcount_end", sex)
    if _ok(start, end):
        return (start + end) / 2
    typed = read(inputs, "headcount", sex)
    if typed is not None:
        return typed
    if start is NOT_TRACKED or end is NOT_TRACKED:
        return NOT_TRACKED
    return None


def input_value(inputs: Mapping[str, object], code: str, sex: str = ALL):
    """An input for a sex: code_women / code_men for women and men; for all, the total or else the
    sum of women and men when both are known. A missing or not-tracked part gives that part back."""
    if code == AVERAGE_HEADCOUNT:
        return average_headcount(inputs, sex)
    if sex != ALL:
        return inputs.get(f"{code}_{sex}")
    total = inputs.get(code)
    if total is not None:
        return total
    spec = BASE_INPUTS.get(code)
    if spec and spec.by_sex:
        women, men = inputs.get(f"{code}_{WOMEN}"), inputs.get(f"{code}_{MEN}")
        if _ok(women, men):
            return women + men
        if women is NOT_TRACKED or men is NOT_TRACKED:
            return NOT_TRACKED
    return None


def compute(formula: str, inputs: Mapping[str, object], sex: str = ALL) -> Decimal | None:
    """The value of a formula for one round (or month) of inputs, for all or for one sex."""
    spec = FORMULAS[formula]
    if sex != ALL and not spec.by_sex:
        return None
    arguments = [input_value(inputs, code, sex) for code in spec.inputs]
    return spec.function(*arguments)


def sexes_for(formula: str) -> tuple[str, ...]:
    return SEXES if formula in FORMULAS and FORMULAS[formula].by_sex else (ALL,)


# ---------------------------------------------------------------- change and improvement
def change(baseline, latest) -> Decimal | None:
    if not _ok(baseline, latest):
        return None
    return _q(latest - baseline)


def min_base(formula: str) -> Decimal | None:
    """The smallest base a relative change is computed from; None when it never is (a yes/no practice)."""
    spec = FORMULAS.get(formula)
    return spec.min_base if spec else None


def change_pct(baseline, latest, floor: Decimal | None = Decimal(0)) -> Decimal | None:
    """Relative change in %; None when the baseline is zero or below `floor` in size (no
    meaningful percentage), or when there is no floor at all (a yes/no practice)."""
    if not _ok(baseline, latest) or baseline == 0 or floor is None or abs(baseline) < floor:
        return None
    return _q((latest - baseline) * HUNDRED / abs(baseline))


def improved(direction: str, baseline, latest) -> bool | None:
    """Whether latest is better than baseline given the direction; None when neutral or unknown.

    No change is not an improvement."""
    if direction == NEUTRAL or not _ok(baseline, latest):
        return None
    if direction == HIGHER:
        return latest > baseline
    if direction == LOWER:
        return latest < baseline
    raise ValueError(f"unknown direction {direction!r}")


PRACTICE_BOUNDS = (Decimal(0), Decimal(1))  # a practice is in place (1) or not (0)


def best_value(formula: str, direction: str) -> Decimal | None:
    """The best value an indicator can take in its direction, if it has one (a bound of its range)."""
    if formula:
        spec = FORMULAS.get(formula)
        lowest, highest = (spec.lowest, spec.highest) if spec else (None, None)
    else:
        lowest, highest = PRACTICE_BOUNDS
    return {HIGHER: highest, LOWER: lowest}.get(direction)


def at_best(formula: str, direction: str, baseline, latest) -> bool:
    """The enterprise was at the best value at the baseline and still is: it could not improve,
    which the programme's figures tell apart from not improving."""
    best = best_value(formula, direction)
    return best is not None and _ok(baseline, latest) and baseline == best and latest == best


def suppressed(enterprises: int) -> bool:
    """Confidentiality: an aggregate over fewer than MIN_GROUP enterprises is not shown."""
    return enterprises < MIN_GROUP


def _complete(sizes: Sequence[int], cells: Sequence[int], hidden: set[int], ties: Sequence) -> None:
    """Hide the smallest shown cells of `cells` until their hidden ones are none, or at least two
    covering at least MIN_GROUP enterprises together."""
    shown = sorted((i for i in cells if i not in hidden), key=lambda i: (sizes[i], ties[i]))
    mine = [i for i in cells if i in hidden]
    while mine and shown and (len(mine) < 2 or sum(sizes[i] for i in mine) < MIN_GROUP):
        cell = shown.pop(0)
        hidden.add(cell)
        mine.append(cell)


def _tie_order(keys: Sequence[Hashable] | None, count: int) -> list:
    """How equal cells are told apart: by their group's key when given, so that a breakdown and
    the coarser one decided inside it (the calls, within the batches) hide the same call whatever
    order each lists its groups in; by position otherwise."""
    if keys is None:
        return list(range(count))
    return [(key is None, repr(key)) for key in keys]


def hidden_cells(
    sizes: Sequence[int], coarser: Sequence[Hashable] | None = None, keys: Sequence[Hashable] | None = None
) -> frozenset[int]:
    """Which cells of a breakdown to hide (their positions in `sizes`, each cell's enterprise count).

    The cells of a breakdown add up to its total, and the total is published too ("All
    enterprises"), so hiding only the cells under MIN_GROUP is not enough: with a single cell
    hidden, the total minus the shown cells gives back its enterprises and how many improved. So
    when a breakdown hides a cell it hides at least two, the next smallest, and enough that the
    hidden ones together cover at least MIN_GROUP enterprises (two hidden cells of one enterprise
    each would otherwise be a small group again, as their sum).

    `coarser`, when the breakdown refines a coarser one that is published as well (each batch
    belongs to one call), gives each cell's coarser group. The coarser breakdown is decided first;
    every cell of a hidden coarser group is hidden, so the batches cannot rebuild the call, and the
    cells of a shown one follow the rule among themselves, since that group's total is published.

    `keys`, each cell's group (a call's id, a batch's), breaks ties between cells of equal size.
    Pass them wherever the same groups are published in another breakdown: the coarser groups are
    told apart by their own keys, which is what the call breakdown must pass to hide the same calls.
    """
    if coarser is None:
        hidden = {i for i, size in enumerate(sizes) if suppressed(size)}
        _complete(sizes, range(len(sizes)), hidden, _tie_order(keys, len(sizes)))
        return frozenset(hidden)
    groups: dict[Hashable, list[int]] = {}
    for i, group in enumerate(coarser):
        groups.setdefault(group, []).append(i)
    members = list(groups.values())
    hidden_groups = hidden_cells([sum(sizes[i] for i in cells) for cells in members], keys=list(groups))
    hidden: set[int] = set()
    for n, cells in enumerate(members):
        if n in hidden_groups:
            hidden.update(cells)
        else:
            inner_keys = None if keys is None else [keys[i] for i in cells]
            hidden.update(cells[k] for k in hidden_cells([sizes[i] for i in cells], keys=inner_keys))
    return frozenset(hidden)


def share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return Decimal(part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def median(values) -> Decimal | None:
    """The median of a list of numbers (reference for the database median)."""
    ordered = sorted(v for v in values if v is not None)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Decimal(ordered[middle])
    return _q((Decimal(ordered[middle - 1]) + Decimal(ordered[middle])) / 2)


def mean(values) -> Decimal | None:
    numbers = [v for v in values if isinstance(v, Decimal)]
    if not numbers:
        return NOT_TRACKED if any(v is NOT_TRACKED for v in values) else None
    return sum(numbers) / len(numbers)
