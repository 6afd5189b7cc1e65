"""seed_demo adds baseline and follow-up data showing realistic improvement and some deterioration."""

import io

import pytest
from django.core.management import call_command

from baseline import selectors
from baseline.demo import FROM_LEVEL1
from baseline.models import Change, MonthlyValue, Result, Round, RoundKind
from enterprises.models import Enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(module_db, tmp_path_factory):
    # Seeded once for the module (25 s a time); each test runs in a savepoint inside it.
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        call_command("seed_demo", "--seed", "3", "--enterprises", "30", stdout=io.StringIO())
        yield


def test_every_enterprise_from_level1_has_a_baseline_and_a_follow_up(seeded):
    enterprises = Enterprise.objects.filter(stage__in=FROM_LEVEL1)
    assert enterprises.count() >= 3
    for enterprise in enterprises:
        kinds = set(Round.objects.filter(enterprise=enterprise).values_list("kind", flat=True))
        assert {RoundKind.BASIC_BASELINE, RoundKind.FOLLOW_UP} <= kinds
    # The basic baseline came before the step "baseline done", which reads it.
    assert not Round.objects.exclude(enterprise__stage__in=["baseline_done", *FROM_LEVEL1]).exists()
    assert not Enterprise.objects.filter(stage="baseline_done", measurement_rounds__isnull=True).exists()


def test_demo_shows_improvement_and_some_deterioration(seeded):
    kpis = Change.objects.filter(indicator__kind="kpi")
    assert kpis.filter(improved=True).count() > kpis.filter(improved=False).count() > 0
    defect = kpis.filter(indicator__code="defect_rate", sex="all")
    assert defect.filter(improved=True).exists() and defect.filter(improved=False).exists()
    (row,) = [a for a in selectors.programme_results("all") if a.indicator.code == "defect_rate"]
    assert not row.suppressed and row.median_change < 0 and 50 < row.improving_pct < 100


def test_demo_records_not_tracked_and_sex_disaggregated_values(seeded):
    assert MonthlyValue.objects.filter(not_tracked=True).exists()
    assert Result.objects.filter(sex="women").exists() and Result.objects.filter(sex="men").exists()


def test_demo_twice_adds_nothing(seeded):
    counts = [model.objects.count() for model in (Round, MonthlyValue, Result, Change)]
    call_command("seed_demo", "--seed", "3", "--enterprises", "30", stdout=io.StringIO())
    assert [model.objects.count() for model in (Round, MonthlyValue, Result, Change)] == counts
