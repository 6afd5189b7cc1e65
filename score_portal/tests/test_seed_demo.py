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
