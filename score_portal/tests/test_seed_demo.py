import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

PROJECT_APPS = ("score_portal", "enterprises", "baseline", "training", "reporting")


def row_counts():
    counts = {"auth.User": get_user_model().objects.count()}
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            counts[model._meta.label] = model.objects.count()
    return counts


@pytest.mark.django_db
def test_seed_demo_twice_gives_the_same_counts(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # demo photos go to a scratch folder
    out = io.StringIO()
    call_command("seed_demo", "--seed", "7", "--enterprises", "12", stdout=out)
    first = row_counts()
    call_command("seed_demo", "--seed", "7", "--enterprises", "12", stdout=out)
    assert row_counts() == first
    assert first["auth.User"] >= 3
    assert "officer / score-demo" in out.getvalue()


@pytest.mark.django_db
def test_seed_demo_refuses_the_default_password_in_production(settings, monkeypatch):
    settings.DEVELOPMENT_MODE = False
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="DEMO_PASSWORD"):
        call_command("seed_demo", stdout=io.StringIO())


@pytest.mark.django_db
def test_seed_demo_reaches_a_national_scale_in_bulk_consistently_and_once(settings, tmp_path, monkeypatch):
    from baseline import services as baseline_services
    from baseline.models import Change, MonthlyValue
    from enterprises.models import Enterprise, ExpressionOfInterest
    from score_portal.management.commands import seed_demo
    from training.models import Visit

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(seed_demo, "DETAILED", 10)  # few made one by one (slow), the rest in bulk
    call_command("seed_demo", "--seed", "5", "--enterprises", "130", stdout=io.StringIO())
    first = row_counts()
    # Exactly the enterprises asked for, none lost as a duplicate name in a city.
    assert Enterprise.objects.count() == 130
    bulk = ExpressionOfInterest.objects.filter(registration_number__startswith="S")
    assert bulk.count() > 120 and not bulk.filter(possible_duplicate=True).exists()
    assert len(set(bulk.values_list("legal_name", "city"))) == bulk.count()
    assert Visit.objects.count() > 800
    # The bulk changes are the ones the services compute from the same values.
    enterprise = Enterprise.objects.filter(registration_key__startswith="S", stage="level2_completed").first()
    before = sorted(Change.objects.filter(enterprise=enterprise).values_list("indicator_id", "sex", "change"))
    for round_ in enterprise.measurement_rounds.all():
        baseline_services.recompute_round(round_)
    baseline_services.refresh_changes(enterprise)
    assert before and before == sorted(
        Change.objects.filter(enterprise=enterprise).values_list("indicator_id", "sex", "change")
    )
    call_command("seed_demo", "--seed", "5", "--enterprises", "130", stdout=io.StringIO())
    assert row_counts() == first
    assert MonthlyValue.objects.count() > 10000


@pytest.mark.django_db
def test_a_larger_demo_grows_a_smaller_one_whose_batch_is_full(settings, tmp_path):
    from enterprises.models import Enterprise, Level1Batch
    from enterprises.screening import decisions

    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", "--seed", "7", "--enterprises", "12", stdout=io.StringIO())
    batch = Level1Batch.objects.get(name="Batch 1")
    Level1Batch.objects.filter(pk=batch.pk).update(capacity=batch.enterprises.count())  # no seat left
    before = Enterprise.objects.count()
    call_command("seed_demo", "--seed", "7", "--enterprises", "24", stdout=io.StringIO())
    assert Enterprise.objects.count() > before
    assert Level1Batch.objects.get(pk=batch.pk).enterprises.count() > 0
    # The EOIs that became enterprises await no decision; the others do.
    awaiting = set(decisions.awaiting_decision().values_list("registration_key", flat=True))
    assert not awaiting & set(Enterprise.objects.values_list("registration_key", flat=True))
