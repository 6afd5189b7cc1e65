"""Two officers move the same enterprise at the same moment, on two database connections.

Row locks need a real database server: on SQLite the test is skipped (CI runs PostgreSQL).
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from enterprises.models import Enterprise, Level1Batch, Stage, StageTransition
from enterprises.path import services as path_services
from enterprises.tests.factories import CallFactory
from enterprises.tests.test_path_helpers import screened_eoi, shortlisted
from score_portal.roles import display_name

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrency test skipped: row locks (select_for_update) need PostgreSQL; set DATABASE_URL=postgres://…",
)


def _two_officers(django_user_model):
    return (
        django_user_model.objects.create_user("officer-a", first_name="Sadia", last_name="Hameed"),
        django_user_model.objects.create_user("officer-b", first_name="Bilal", last_name="Khan"),
    )


def _race(*actions):
    """Run the actions at the same time, each in its own thread (so its own connection)."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = ("ok", action())
        except ValidationError as exc:
            outcomes[index] = ("refused", " ".join(exc.messages))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcomes[index] = ("error", repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officers_moving_one_enterprise_leave_one_consistent_state(django_user_model):
    # Plain users: a transactional test flushes the role groups that the persona fixtures need.
    officer, other = _two_officers(django_user_model)
    enterprise = shortlisted(officer, number="5000-1")
    seen_by_first = Enterprise.objects.get(pk=enterprise.pk)
    seen_by_second = Enterprise.objects.get(pk=enterprise.pk)

    outcomes = _race(
        lambda: path_services.transition(seen_by_first, Stage.WITHDRAWN, by=officer, reason="Owner said no"),
        lambda: path_services.transition(seen_by_second, Stage.NOT_SELECTED, by=other, reason="Ranked too low"),
    )
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["ok", "refused"], outcomes
    refusal = next(value for kind, value in outcomes if kind == "refused")
    assert "This enterprise was just moved to" in refusal and "reload" in refusal

    enterprise.refresh_from_db()
    assert enterprise.stage in (Stage.WITHDRAWN, Stage.NOT_SELECTED)
    last = enterprise.transitions.order_by("-at", "-pk").first()
    assert last.to_stage == enterprise.stage
    assert last.from_stage == Stage.SHORTLISTED
    assert StageTransition.objects.filter(enterprise=enterprise, from_stage=Stage.SHORTLISTED).count() == 1
    assert display_name(last.by) in refusal


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officers_filling_one_batch_cannot_exceed_its_capacity(django_user_model):
    officer, other = _two_officers(django_user_model)
    call = CallFactory()
    batch = Level1Batch.objects.create(call=call, name="Batch 1", capacity=2)
    first_pick = [screened_eoi(call, "5100-1"), screened_eoi(call, "5100-2")]
    second_pick = [screened_eoi(call, "5100-3"), screened_eoi(call, "5100-4")]

    outcomes = _race(
        lambda: path_services.shortlist_for_batch(batch, first_pick, by=officer, reason="Top two"),
        lambda: path_services.shortlist_for_batch(batch, second_pick, by=other, reason="My top two"),
    )
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
    assert "free places" in next(value for kind, value in outcomes if kind == "refused")
    assert Enterprise.objects.filter(batch=batch).count() == 2
