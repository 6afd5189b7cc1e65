"""Expressions of interest sent at the same moment, on separate database connections, on PostgreSQL.

The numbering's lock (services.lock_numbering) is what keeps two of them from taking the same
reference or both passing the duplicate check; the SQLite default is tested in test_sqlite_concurrency.
"""

import pytest

from enterprises.models import ExpressionOfInterest
from enterprises.screening import services
from enterprises.tests.factories import CallFactory, eoi_data
from enterprises.tests.test_path_concurrency import _race, needs_postgresql


def _send(call, number: str):
    return lambda: (
        services.submit_expression_of_interest(
            call, eoi_data(registration_number=number, legal_name=f"Mill {number}")
        ).reference
    )


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_expressions_of_interest_sent_at_once_each_get_their_own_number_in_the_calls_numbering():
    # Two calls of one country and year share one numbering.
    call, other = CallFactory(), CallFactory()
    outcomes = _race(*(_send(call, f"77{n}") for n in range(4)), _send(other, "780"), _send(other, "781"))

    assert [kind for kind, _ in outcomes] == ["ok"] * 6, outcomes
    sequences = sorted(ExpressionOfInterest.objects.values_list("sequence", flat=True))
    assert sequences == [1, 2, 3, 4, 5, 6]
    assert len({reference for _kind, reference in outcomes}) == 6


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_registration_sent_twice_at_once_is_kept_once():
    call = CallFactory()
    outcomes = _race(_send(call, "790"), _send(call, "790"))

    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
    assert ExpressionOfInterest.objects.filter(call=call).count() == 1
