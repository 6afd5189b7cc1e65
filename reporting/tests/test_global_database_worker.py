"""A real Celery worker on the broker makes the global SCORE database export (the same job machinery
as the reports)."""

import datetime
import json

import pytest

from baseline.tests.factories import measured
from enterprises import consent
from reporting import services
from reporting.models import FileFormat, JobStatus, ReportKind
from reporting.tests.helpers import wait_for_job

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.worker
def test_a_real_worker_makes_the_export(celery_worker_process, officer, enterprise, other_enterprise):
    for e in (enterprise, other_enterprise):
        measured(
            e,
            {"defective_units": 60, "units_checked": 1000},
            {"defective_units": 30, "units_checked": 1000},
            by=officer,
        )
    given = {"given_by": "CEO", "given_on": datetime.date(2019, 1, 1), "buyer_view": False}
    shared = consent.record_consent(enterprise, by=officer, global_database=True, **given)
    job = services.request_report(officer, ReportKind.GLOBAL_DATABASE, file_format=FileFormat.JSONL).job
    job = wait_for_job(job.pk)
    assert job.status == JobStatus.DONE, job.error or job.phase
    with job.file.open("rb") as handle:
        rows = [json.loads(line) for line in handle.read().decode().splitlines()]
    assert rows and {row["enterprise_id"] for row in rows} == {shared.pseudonym}
