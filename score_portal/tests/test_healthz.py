import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz_answers_200_with_the_state_of_each_service(client, settings):
    response = client.get("/healthz/")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    if settings.CELERY_TASK_ALWAYS_EAGER:
        assert body["broker"] == "eager" and body["worker"] is None
    else:
        assert body["broker"] == "ok"


def test_healthz_answers_503_when_the_database_is_unreachable():
    # A separate process whose database cannot be opened: the real failure, not a stand-in.
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz/');"
        "print(json.dumps({'status': r.status_code, **r.json()}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "score_portal.settings",
        "DATABASE_URL": "sqlite:////nonexistent-directory/score.sqlite3",
        "ALLOWED_HOSTS": "testserver",
    }
    result = subprocess.run(  # noqa: S603 - fixed command line
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout.strip().splitlines()[-1])
    assert body["status"] == 503
    assert body["database"].startswith("error")


def test_a_broker_that_does_not_answer_is_reported(settings, monkeypatch):
    from celery import Celery

    from score_portal.health import broker_state

    settings.CELERY_TASK_ALWAYS_EAGER = False
    # Port 1 on loopback: nothing listens there, so the connection is refused at once.
    # Celery lets the CELERY_BROKER_URL environment variable win over its configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    unreachable = Celery("unreachable", broker="redis://127.0.0.1:1/0")
    broker, worker = broker_state(unreachable, timeout=0.5)
    assert broker.startswith("error")
    assert worker is False
