"""A trainer is never booked twice on one day, even by two officers scheduling at the same moment.

The scheduler keeps a trainer's days apart from what it reads; the database holds the rule too
(one_session_per_trainer_day), for the writes that the reads could not see yet. The race runs on
two real connections and needs PostgreSQL: on SQLite it is skipped (CI runs PostgreSQL). The
refusal itself is checked on any database.
"""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import formats

from enterprises.tests.factories import make_enterprise
from training.delivery import services as delivery_services
from training.models import Session, Workshop
from training.tests.delivery_factories import MONDAY, make_group, make_workshop

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrency test skipped: two transactions at once need PostgreSQL; set DATABASE_URL=postgres://…",
)


def _day(day) -> str:
    return formats.date_format(day, "D j M Y")


def _double_bookings() -> list:
    return list(
        Session.objects.filter(trainer__isnull=False)
        .values("trainer", "date")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by()
    )


def _two_groups_sharing_a_trainer(officer, trainer):
    """Two groups of different enterprises with the same trainer, window and order: the scheduler
    proposes the same days to both."""
    first = make_enterprise(officer, number="5300-1", legal_name="Kohinoor Textile Mills")
    second = make_enterprise(officer, number="5300-2", legal_name="Gul Ahmed Weaving")
    return (
        make_group(first, name="Group Lahore", trainer=trainer, module_order=[2, 3, 4, 5]),
        make_group(second, name="Group Karachi", trainer=trainer, module_order=[2, 3, 4, 5]),
    )


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officers_scheduling_groups_that_share_a_trainer_cannot_book_the_trainer_twice(
    django_user_model, monkeypatch
):
    officer = django_user_model.objects.create_user("officer-a", first_name="Sadia", last_name="Hameed")
    other = django_user_model.objects.create_user("officer-b", first_name="Bilal", last_name="Khan")
    trainer = django_user_model.objects.create_user("trainer-1", first_name="Farah", last_name="Iqbal")
    lahore, karachi = _two_groups_sharing_a_trainer(officer, trainer)
    proposal = delivery_services.propose_schedule(lahore)
    assert proposal.placements and [p.days for p in proposal.placements] == [
        p.days for p in delivery_services.propose_schedule(karachi).placements
    ]

    # Both officers have read the trainer's free days before either writes: the moment the
    # scheduler's own check cannot see the other officer's sessions.
    both_proposed = threading.Barrier(2)
    propose = delivery_services.propose_schedule

    def propose_then_wait(group):
        plan = propose(group)
        both_proposed.wait(timeout=10)
        return plan

    monkeypatch.setattr(delivery_services, "propose_schedule", propose_then_wait)
    outcomes = [None, None]

    def run(index, group, by):
        try:
            plan = delivery_services.accept_schedule(group, by=by)
            outcomes[index] = ("ok", len(plan.placements))
        except ValidationError as exc:
            outcomes[index] = ("refused", " ".join(exc.messages))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcomes[index] = ("error", repr(exc))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(0, lahore, officer)),
        threading.Thread(target=run, args=(1, karachi, other)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(kind for kind, _value in outcomes) == ["ok", "refused"], outcomes
    refusal = next(value for kind, value in outcomes if kind == "refused")
    first_day = _day(proposal.placements[0].days[0])
    assert f"{first_day}: the trainer, Farah Iqbal, has another session that day." in refusal
    assert _double_bookings() == []
    winner, loser = (lahore, karachi) if outcomes[0][0] == "ok" else (karachi, lahore)
    assert Session.objects.filter(workshop__group=winner).count() == 2 * len(proposal.placements)
    # nothing of the refused plan is kept, and proposing again finds the trainer's other days
    assert not Workshop.objects.filter(group=loser).exists()
    monkeypatch.setattr(delivery_services, "propose_schedule", propose)
    taken = set(Session.objects.filter(trainer=trainer).values_list("date", flat=True))
    again = delivery_services.propose_schedule(loser)
    assert again.placements and not taken & {day for p in again.placements for day in p.days}


@pytest.mark.django_db
def test_a_double_booking_the_checks_missed_is_refused_on_the_page(client, officer, consultant, monkeypatch):
    """What the other officer's transaction does in the race above, done between this officer's
    proposal and its writes: the page says who and when, nothing is saved, and no server error."""
    lahore, karachi = _two_groups_sharing_a_trainer(officer, consultant)
    propose = delivery_services.propose_schedule
    first_day = propose(lahore).placements[0].days[0]

    def propose_then_another_officer_books(group):
        plan = propose(group)
        if group == lahore and not karachi.workshops.exists():
            make_workshop(karachi, 2, first_day, trainer=consultant)
        return plan

    monkeypatch.setattr(delivery_services, "propose_schedule", propose_then_another_officer_books)
    client.force_login(officer)
    response = client.post(reverse("training:group_schedule", args=[lahore.pk]), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"{_day(first_day)}: the trainer, Imran, has another session that day." in page
    assert not Workshop.objects.filter(group=lahore).exists()
    assert _double_bookings() == []


@pytest.mark.django_db
def test_the_database_refuses_a_trainers_second_session_on_a_day(officer, consultant):
    lahore, karachi = _two_groups_sharing_a_trainer(officer, consultant)
    make_workshop(lahore, 2, MONDAY, consultant)
    other = make_workshop(karachi, 2, MONDAY + datetime.timedelta(days=7), consultant).sessions.get(day=1)
    # whatever writes it, even without the scheduler's checks
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=other.pk).update(date=MONDAY)
    # through the services, the scheduler's refusal
    other.date = MONDAY
    with pytest.raises(ValidationError, match=f"{_day(MONDAY)}: the trainer, Imran, has another session that day"):
        delivery_services._save_session(other)
    # sessions without a trainer yet never clash
    Session.objects.filter(workshop__group__in=[lahore, karachi]).update(trainer=None)
    Session.objects.filter(pk=other.pk).update(date=MONDAY)


@pytest.mark.django_db
def test_a_workshop_moved_by_one_day_does_not_clash_with_itself(officer, consultant):
    lahore, _karachi = _two_groups_sharing_a_trainer(officer, consultant)
    workshop = make_workshop(lahore, 2, MONDAY, consultant)  # Monday and Tuesday
    tuesday = MONDAY + datetime.timedelta(days=1)
    delivery_services.move_session(workshop.sessions.get(day=1), tuesday, accept_soft=True)
    assert [s.date for s in workshop.sessions.order_by("day")] == [tuesday, tuesday + datetime.timedelta(days=1)]
    delivery_services.move_session(workshop.sessions.get(day=2), tuesday, accept_soft=True)  # and back
    assert [s.date for s in workshop.sessions.order_by("day")] == [MONDAY, tuesday]
