"""Helpers that build rounds with values through the services, as the pages do."""

import datetime
from decimal import Decimal

from baseline import services
from baseline.models import Indicator, RoundKind


def make_round(enterprise, kind=RoundKind.BASIC_BASELINE, held_on=datetime.date(2019, 1, 15), months=1, by=None):
    first = datetime.date(held_on.year, held_on.month, 1)
    return services.create_round(enterprise, kind=kind, held_on=held_on, first_month=first, months=months, by=by)


def with_values(round_, by=None, **values):
    """One month of values (the round's first month); numbers become Decimals."""
    month = round_.month_list()[0]
    clean = {
        code: Decimal(str(value)) if isinstance(value, int | float | str) else value for code, value in values.items()
    }
    services.save_month(round_, month, clean, by=by, confirmed=True)
    return round_


def measured(enterprise, baseline: dict, follow_up: dict, by=None):
    """A basic baseline and a follow-up with the given inputs."""
    first = with_values(make_round(enterprise, by=by), by=by, **baseline)
    second = with_values(
        make_round(enterprise, RoundKind.FOLLOW_UP, held_on=datetime.date(2019, 10, 15), by=by), by=by, **follow_up
    )
    return first, second


def indicator(code) -> Indicator:
    return Indicator.objects.select_related("current_version").get(code=code)
