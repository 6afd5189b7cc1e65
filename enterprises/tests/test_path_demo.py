"""The demo puts enterprises at every stage of the path, and running it again changes nothing."""

import datetime
import random
from types import SimpleNamespace

import pytest

from enterprises.demo import seed_path
from enterprises.models import CeoMeeting, Enterprise, Level1Batch, Stage, StageTransition
from enterprises.tests.factories import CallFactory
from enterprises.tests.test_path_helpers import NEEDS_REVIEW, screened_eoi

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Enterprise.objects.count(),
        StageTransition.objects.count(),
        CeoMeeting.objects.count(),
        Level1Batch.objects.count(),
    )


def test_seed_path_reaches_every_stage_and_is_idempotent(officer):
    call = CallFactory()
    eois = [screened_eoi(call, f"9000-{i}", **(NEEDS_REVIEW if i % 4 == 3 else {})) for i in range(16)]
    # A past call, as the demo's: the classroom days and workshops the gates read have taken place.
    type(call).objects.filter(pk=call.pk).update(
        opens_on=datetime.date(2018, 7, 1), closes_on=datetime.date(2018, 8, 10)
    )
    call.refresh_from_db()
    for eoi in eois:
        eoi.refresh_from_db()  # and with it eoi.call, still holding the call's dates of before
    ctx = SimpleNamespace(rng=random.Random(1), users={"officer": officer}, enterprises=16, made={})

    seed_path(ctx, eois)
    assert set(Enterprise.objects.values_list("stage", flat=True)) == set(Stage.values)
    first = _counts()
    seed_path(ctx, eois)
    assert _counts() == first

    completed = Enterprise.objects.get(stage=Stage.LEVEL2_COMPLETED)
    assert completed.transitions.order_by("pk").last().to_stage == Stage.LEVEL2_COMPLETED
    assert all(t.by == officer for t in completed.transitions.exclude(to_stage=Stage.EOI_RECEIVED))


def test_seed_path_with_no_eois_does_nothing(officer):
    assert (
        seed_path(SimpleNamespace(rng=random.Random(1), users={"officer": officer}, enterprises=0, made={}), []) == []
    )
