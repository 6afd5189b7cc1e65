"""Transactional tests (live server, real worker, row locks) commit their rows, and a flush empties the
database after each. Every one of them must ask for serialized_rollback, which puts back what the data
migrations made (role groups, modules, indicator catalogue, holidays) before it runs.

Why every one: a flush without it lets post_migrate create the content types again under new ids, and
the next test that does ask for serialized_rollback then fails at its setup on a duplicate content type,
an error that names neither test. pytest-django runs all transactional tests last, in file order, so
the failure moves about as files are added.
"""


def _transactional_without_rollback(item) -> bool:
    names = getattr(item, "fixturenames", ())
    transactional = "transactional_db" in names or "live_server" in names
    serialized = "django_db_serialized_rollback" in names
    marker = item.get_closest_marker("django_db")
    if marker:
        transactional = transactional or marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")
        serialized = serialized or marker.kwargs.get("serialized_rollback")
    return bool(transactional and not serialized)


def test_every_transactional_test_puts_back_the_data_migrations_rows(request):
    # The tests collected in this run: the whole suite under `make test` and in CI.
    offenders = [item.nodeid for item in request.session.items if _transactional_without_rollback(item)]
    assert offenders == [], (
        "Add serialized_rollback=True to their @pytest.mark.django_db(transaction=True, ...): " + ", ".join(offenders)
    )
