"""Fixtures of the reporting tests: in-process Celery unless a test needs the real worker, and a
private MEDIA_ROOT per test so report files never mix."""

import pytest

from score_portal.celery import app as celery_app


@pytest.fixture(autouse=True)
def report_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def in_process_celery(request):
    """Tests run tasks in-process whatever CELERY_BROKER_URL says, except the real-worker tests."""
    if request.node.get_closest_marker("worker"):
        yield
        return
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before
