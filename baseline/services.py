"""Writes of the baseline app, each in one transaction: indicators and versions, rounds, monthly
values (by form or bulk), practice answers, and the results and changes they lead to."""

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import rules
from .models import (
    BASELINE_KINDS,
    Change,
    Indicator,
    IndicatorVersion,
    Kind,
    MonthlyValue,
    Result,
    Round,
    RoundKind,
)

VERSIONED_FIELDS = ("name", "description", "formula", "unit", "denominator", "direction")


class NeedsConfirmation(Exception):
    """Some values are more than 3× the previous round's: the person must confirm them first."""

    def __init__(self, warnings: dict):
        super().__init__("confirmation needed")
        self.warnings = warnings


# ---------------------------------------------------------------- indicators
def check_definition(kind: str, data: Mapping) -> None:
    """A KPI is computed by one of the formulas; a yes/no practice has none."""
    if kind == Kind.KPI and data.get("formula") not in rules.FORMULAS:
        raise ValidationError({"formula": _("Choose the formula that computes this KPI.")})
    if kind == Kind.PRACTICE and data.get("formula"):
        raise ValidationError({"formula": _("A yes/no practice has no formula.")})


@transaction.atomic
def create_indicator(*, code: str, kind: str, module: int, by, **definition) -> Indicator:
    check_definition(kind, definition)
    if Indicator.objects.filter(code=code).exists():
        raise ValidationError({"code": _("An indicator with this code exists already.")})
    position = (Indicator.objects.filter(kind=kind, module=module).aggregate(m=Max("position"))["m"] or 0) + 1
    indicator = Indicator.objects.create(code=code, kind=kind, module=module, position=position)
    version = IndicatorVersion.objects.create(
        indicator=indicator, number=1, created_by=by, **{k: definition.get(k, "") for k in VERSIONED_FIELDS}
    )
    indicator.current_version = version
    indicator.save(update_fields=["current_version"])
    return indicator


@transaction.atomic
def edit_indicator(indicator: Indicator, *, by, reason: str = "", active: bool | None = None, **definition):
    """A new version when the definition changes; results computed earlier keep their version."""
    # Lock the indicator row only (current_version is a nullable join, which FOR UPDATE refuses).
    indicator = Indicator.objects.select_for_update(of=("self",)).select_related("current_version").get(pk=indicator.pk)
    current = indicator.current_version
    check_definition(indicator.kind, {**{f: getattr(current, f) for f in VERSIONED_FIELDS}, **definition})
    if active is not None and active != indicator.active:
        indicator.active = active
        indicator.save(update_fields=["active"])
    merged = {field: definition.get(field, getattr(current, field)) for field in VERSIONED_FIELDS}
    if all(merged[field] == getattr(current, field) for field in VERSIONED_FIELDS):
        return current
    version = IndicatorVersion.objects.create(
        indicator=indicator, number=current.number + 1, created_by=by, reason=reason, **merged
    )
    indicator.current_version = version
    indicator.save(update_fields=["current_version"])
    return version


# ---------------------------------------------------------------- rounds
@transaction.atomic
def create_round(enterprise, *, kind: str, held_on: datetime.date, first_month: datetime.date, months: int, by):
    first_month = first_month.replace(day=1)
    if kind == RoundKind.FOLLOW_UP:
        number = (Round.objects.filter(enterprise=enterprise, kind=kind).aggregate(n=Max("number"))["n"] or 0) + 1
    else:
        number = 1
        if Round.objects.filter(enterprise=enterprise, kind=kind).exists():
            raise ValidationError(
                _("This enterprise already has a %(kind)s round.") % {"kind": RoundKind(kind).label.lower()}
            )
    if not 1 <= months <= 12:
        raise ValidationError({"months": _("A round covers 1 to 12 months.")})
    return Round.objects.create(
        enterprise=enterprise,
        kind=kind,
        number=number,
        held_on=held_on,
        first_month=first_month,
        months=months,
        created_by=by,
    )


def previous_round(round_: Round) -> Round | None:
    return (
        Round.objects.filter(enterprise_id=round_.enterprise_id)
        .filter(Q(held_on__lt=round_.held_on) | Q(held_on=round_.held_on, pk__lt=round_.pk))
        .order_by("-held_on", "-pk")
        .first()
    )


def round_means(round_: Round | None) -> dict[str, object]:
    """Each input's monthly mean over the round (one query); NOT_TRACKED when only ever 'not tracked'."""
    if round_ is None:
        return {}
    rows = MonthlyValue.objects.filter(round=round_).values("code").annotate(mean=Avg("value"), n=Count("value"))
    means = {}
    for row in rows:
        means[row["code"]] = Decimal(str(row["mean"])) if row["n"] else rules.NOT_TRACKED
    return means


# ---------------------------------------------------------------- monthly values
def check_values(round_: Round, month: datetime.date, values: Mapping[str, object], previous=None) -> tuple[dict, dict]:
    """(errors, warnings) for one month of values of a round, before anything is saved.

    `previous` is the previous round's monthly means, looked up when not given."""
    errors = rules.check_month(values)
    months = round_.month_list()
    if month.replace(day=1) not in months:
        errors.setdefault("month", []).append(
            _("%(month)s is outside this round's months (%(first)s to %(last)s).")
            % {
                "month": month.strftime("%Y-%m"),
                "first": months[0].strftime("%Y-%m"),
                "last": months[-1].strftime("%Y-%m"),
            }
        )
    if previous is None:
        previous = round_means(previous_round(round_))
    warnings = rules.jumps(values, previous)
    return errors, warnings


def check_rows(round_: Round, rows) -> None:
    """Add each bulk row's validation errors and jump warnings to it (imports.PreviewRow)."""
    previous = round_means(previous_round(round_))
    for row in rows:
        if row.month is None:
            continue
        errors, warnings = check_values(round_, row.month, row.values, previous)
        row.errors.extend(message for messages in errors.values() for message in messages)
        row.warnings.extend(warnings.values())


def _write_month(round_, month, values, by, now):
    month = month.replace(day=1)
    for code, value in values.items():
        if value is None:
            MonthlyValue.objects.filter(round=round_, month=month, code=code).delete()
            continue
        tracked = isinstance(value, Decimal)
        MonthlyValue.objects.update_or_create(
            round=round_,
            month=month,
            code=code,
            defaults={
                "value": value if tracked else None,
                "not_tracked": not tracked,
                "entered_by": by,
                "entered_at": now,
            },
        )


@transaction.atomic
def save_month(round_: Round, month: datetime.date, values: Mapping[str, object], *, by, confirmed=False):
    """Save one month of raw inputs. Blank (None) removes a value; NOT_TRACKED records it as such."""
    errors, warnings = check_values(round_, month, values)
    if errors:
        raise ValidationError(dict(errors))
    if warnings and not confirmed:
        raise NeedsConfirmation(warnings)
    _write_month(round_, month, values, by, timezone.now())
    recompute_round(round_)
    refresh_changes(round_.enterprise)


@transaction.atomic
def save_rows(round_: Round, rows: Iterable[tuple[datetime.date, Mapping[str, object]]], *, by, confirmed=False):
    """Bulk entry: every row is checked again and all are saved together, or none."""
    rows = list(rows)
    all_warnings = {}
    previous = round_means(previous_round(round_))
    months = [month for month, _values in rows]
    if len(set(months)) != len(months):
        raise ValidationError(_("A month appears in more than one row; nothing was saved."))
    for month, values in rows:
        errors, warnings = check_values(round_, month, values, previous)
        if errors:
            raise ValidationError(_("The rows have errors; nothing was saved."))
        all_warnings.update({f"{month:%Y-%m} {code}": text for code, text in warnings.items()})
    if all_warnings and not confirmed:
        raise NeedsConfirmation(all_warnings)
    now = timezone.now()
    for month, values in rows:
        _write_month(round_, month, {k: v for k, v in values.items() if v is not None}, by, now)
    recompute_round(round_)
    refresh_changes(round_.enterprise)
    return len(rows)


@transaction.atomic
def save_practices(round_: Round, answers: Mapping[int, bool | None], *, by=None):
    """Yes/no answers per practice indicator id; None means not known (no result)."""
    indicators = Indicator.objects.filter(kind=Kind.PRACTICE, pk__in=list(answers)).select_related("current_version")
    existing = {r.indicator_id: r for r in Result.objects.filter(round=round_, indicator__in=indicators)}
    now = timezone.now()
    unknown = []
    for indicator in indicators:
        answer, result = answers[indicator.pk], existing.get(indicator.pk)
        if answer is None:
            unknown.append(indicator.pk)
            continue
        value = Decimal(1 if answer else 0)
        if result is None:
            Result.objects.create(
                round=round_, indicator=indicator, version=indicator.current_version, value=value, computed_at=now
            )
        elif result.value != value:  # the same answer keeps the version it was given under
            result.value, result.version, result.computed_at = value, indicator.current_version, now
            result.save(update_fields=["value", "version", "computed_at"])
    Result.objects.filter(round=round_, indicator__in=unknown).delete()
    refresh_changes(round_.enterprise)


# ---------------------------------------------------------------- results and changes
def recompute_round(round_: Round) -> None:
    """The round's KPI results from its inputs, with each indicator's current definition.

    A result whose value did not change keeps the version it was computed with."""
    means = round_means(round_)
    existing = {
        (r.indicator_id, r.sex): r
        for r in Result.objects.filter(round=round_, indicator__kind=Kind.KPI).select_related("version")
    }
    keep = set()
    now = timezone.now()
    kpis = Indicator.objects.filter(kind=Kind.KPI, active=True).select_related("current_version")
    for indicator in kpis:
        version = indicator.current_version
        for sex in rules.sexes_for(version.formula):
            value = rules.compute(version.formula, means, sex)
            if value is None:
                continue
            key = (indicator.pk, sex)
            keep.add(key)
            result = existing.get(key)
            if result is None:
                Result.objects.create(
                    round=round_, indicator=indicator, version=version, sex=sex, value=value, computed_at=now
                )
            elif result.value != value or result.version.formula != version.formula:
                result.value, result.version, result.computed_at = value, version, now
                result.save(update_fields=["value", "version", "computed_at"])
    stale = [r.pk for key, r in existing.items() if key not in keep]
    Result.objects.filter(pk__in=stale).delete()


def refresh_changes(enterprise) -> None:
    """Baseline → latest per indicator and sex, from the enterprise's results (few queries)."""
    results = (
        Result.objects.filter(round__enterprise=enterprise)
        .select_related("round", "version")
        .order_by("round__held_on", "round__pk")
    )
    changes = changes_from_results(enterprise, results)
    Change.objects.filter(enterprise=enterprise).delete()
    Change.objects.bulk_create(changes)


def changes_from_results(enterprise, results: Iterable[Result]) -> list[Change]:
    """The enterprise's Change rows (unsaved) from its results, given in round order (held on, pk)
    with their round and version at hand; the demo's bulk seed uses it for thousands at once."""
    series: dict[tuple[int, str], list[Result]] = {}
    for result in results:
        series.setdefault((result.indicator_id, result.sex), []).append(result)
    changes = []
    for (indicator_id, sex), items in series.items():
        baseline = next((r for r in items if r.round.kind in BASELINE_KINDS), None)
        if baseline is None:
            continue
        later = [r for r in items if (r.round.held_on, r.round.pk) > (baseline.round.held_on, baseline.round.pk)]
        if not later:
            continue
        latest = later[-1]
        # the definition the latest result was computed with
        direction, formula = latest.version.direction, latest.version.formula
        changes.append(
            Change(
                enterprise=enterprise,
                indicator_id=indicator_id,
                version=latest.version,
                sex=sex,
                baseline_round=baseline.round,
                latest_round=latest.round,
                baseline_value=baseline.value,
                latest_value=latest.value,
                change=rules.change(baseline.value, latest.value),
                change_pct=rules.change_pct(baseline.value, latest.value, rules.min_base(formula)),
                improved=rules.improved(direction, baseline.value, latest.value),
                at_best=rules.at_best(formula, direction, baseline.value, latest.value),
            )
        )
    return changes


@transaction.atomic
def delete_round(round_: Round) -> None:
    enterprise = round_.enterprise
    round_.delete()
    refresh_changes(enterprise)
