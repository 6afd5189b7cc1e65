import pytest

from score_portal.tasks import ping


@pytest.mark.worker
def test_a_real_worker_on_the_broker_runs_a_task(celery_worker_process):
    assert ping.delay("salaam").get(timeout=30) == "salaam"


def test_without_a_broker_tasks_run_in_process(settings):
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.skip("in-process test skipped: CELERY_BROKER_URL is set, so a worker runs tasks instead.")
    assert ping.delay("salaam").get(timeout=1) == "salaam"
