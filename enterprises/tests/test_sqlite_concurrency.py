"""The embedded default (SQLite, `make run`) takes ten expressions of interest sent at the same moment.

The rest of the suite may run on PostgreSQL (CI does); this test always uses a file-based SQLite
database of its own, in a separate process, because the in-memory test database cannot show locking."""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def test_ten_people_sending_at_once_on_sqlite_all_get_a_distinct_reference_and_officers_too(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "CACHE_URL"}
    }
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", DJANGO_DEBUG="1", MEDIA_ROOT=str(tmp_path))
    completed = subprocess.run(  # noqa: S603 - fixed command line
        [sys.executable, "-m", "enterprises.tests.sqlite_concurrency", "--threads", "10"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    outcome = json.loads(completed.stdout.strip().splitlines()[-1])
    assert outcome["errors"] == []
    assert outcome["rows"] == 10
    assert len(set(outcome["references"])) == 10
    # Officers at the same moment: five paper EOIs entered, five enterprises registered.
    assert outcome["paper_rows"] == 5 and outcome["enterprises"] == 5
    assert outcome["distinct_references_overall"] is True
