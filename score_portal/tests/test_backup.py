"""Backup and restore, end to end: data across the apps with photos and a report file, a backup, then a
restore into an empty scratch database and media folder (as on a new machine), and the same rows and
files there. Runs on the configured database: PostgreSQL in CI (pg_dump / pg_restore), SQLite otherwise."""

import datetime
import hashlib
import io
import os
import sqlite3
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from score_portal import backup
from score_portal.celery import app as celery_app

# The dump must see what a test wrote, so its data is committed; the flush afterwards would also
# empty what the data migrations made (role groups, indicator catalogue), which serialized_rollback puts back.
committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)
BASE_DIR = Path(settings.BASE_DIR)
COMPARED_APPS = ("auth", "score_portal", "enterprises", "baseline", "training", "reporting")


def compared_tables() -> dict[str, str]:
    """Label -> table of every model of the project apps and auth, many-to-many tables included."""
    tables = {}
    for label in COMPARED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                tables[model._meta.label] = model._meta.db_table
    return tables


def checksums(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@dataclass
class Target:
    """An empty database and MEDIA_ROOT to restore into, and a way to count rows there."""

    database_url: str
    media_root: Path
    cursor: object  # a function: () -> context manager of a DB-API cursor on the target

    def manage(self, *args, extra_env=None) -> subprocess.CompletedProcess:
        env = {**os.environ, "DATABASE_URL": self.database_url, "MEDIA_ROOT": str(self.media_root), **(extra_env or {})}
        return subprocess.run(  # noqa: S603 - fixed command line
            [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=600
        )

    def row_counts(self, tables: dict[str, str]) -> dict[str, int]:
        with self.cursor() as cursor:
            counts = {}
            for label, table in tables.items():
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - model table names
                counts[label] = cursor.fetchone()[0]
            return counts

    def table_count(self) -> int:
        with self.cursor() as cursor:
            if self.database_url.startswith("sqlite"):
                cursor.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'")
            else:
                cursor.execute("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'")
            return cursor.fetchone()[0]


class _Closing:
    def __init__(self, conn):
        self.conn = conn

    def __enter__(self):
        return self.conn.cursor()

    def __exit__(self, *exc):
        self.conn.close()


@pytest.fixture
def scratch_target(tmp_path):
    """`<test database>_restore` on PostgreSQL (made and dropped here, beside pytest's test database,
    which stays untouched), a fresh file on SQLite; an empty media folder either way."""
    media_root = tmp_path / "restored-media"
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"
        yield Target(f"sqlite:///{path}", media_root, lambda: _Closing(sqlite3.connect(path)))
        return

    import psycopg
    from psycopg import sql

    name = f"{db['NAME']}_restore"
    params = {
        key: value
        for key, value in {
            "host": db["HOST"],
            "port": db["PORT"],
            "user": db["USER"],
            "password": db["PASSWORD"],
        }.items()
        if value
    }

    def administer(statement):
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(statement)

    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    administer(drop)
    administer(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    credentials = quote(db["USER"] or "", safe="") + (":" + quote(db["PASSWORD"], safe="") if db["PASSWORD"] else "")
    url = f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    try:
        yield Target(url, media_root, lambda: _Closing(psycopg.connect(dbname=name, **params)))
    finally:
        administer(drop)


@pytest.fixture
def portal_data(settings, tmp_path, officer_client, enterprise):
    """Data in every app: the demo (calls, EOIs, screening, enterprises on the path, indicator rounds,
    training, visits, 5S photos) plus the root personas' enterprise and a rendered PDF report."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", "--seed", "3", "--enterprises", "4", stdout=io.StringIO())
    # The report is rendered here, during the request, whatever broker CI configures.
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        response = officer_client.post(
            reverse("reporting:enterprise", args=[enterprise.pk]), {"kind": "enterprise_baseline"}
        )
    finally:
        celery_app.conf.task_always_eager = eager
    assert response.status_code == 302
    return settings.MEDIA_ROOT


@committed
def test_a_backup_restores_into_an_empty_database_with_the_same_rows_and_files(
    settings, tmp_path, portal_data, scratch_target
):
    settings.BACKUP_DIR = tmp_path / "backups"
    tables = compared_tables()
    expected_rows = {label: apps.get_model(label)._default_manager.count() for label in tables}
    expected_files = checksums(portal_data)
    for label in ("auth.User", "enterprises.Enterprise", "baseline.MonthlyValue", "training.PhotoPair"):
        assert expected_rows[label] > 0, label
    assert expected_rows["reporting.ReportJob"] == 1
    assert any(name.startswith("reports/") and name.endswith(".pdf") for name in expected_files)
    assert any(name.startswith("training/photos/") for name in expected_files)

    call_command("backup", stdout=io.StringIO())

    [archive] = settings.BACKUP_DIR.iterdir()
    assert backup.ARCHIVE_NAME.match(archive.name)
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    dump = "database.dump" if connection.vendor == "postgresql" else "database.sqlite3"
    assert {"manifest.json", dump} | {f"media/{name}" for name in expected_files} == names

    # A damaged archive is refused before anything is written.
    report = next(name for name in expected_files if name.startswith("reports/"))
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as copy:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == f"media/{report}":
                data += b"%% changed"
                member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    refused = scratch_target.manage("restore", str(damaged))
    assert refused.returncode != 0
    assert "does not match its manifest" in refused.stderr and report in refused.stderr
    assert scratch_target.table_count() == 0
    assert not scratch_target.media_root.exists() or not any(scratch_target.media_root.iterdir())

    restored = scratch_target.manage("restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert scratch_target.row_counts(tables) == expected_rows
    assert checksums(scratch_target.media_root) == expected_files

    # Now it is not empty: a second restore needs --force, and then gives the same again.
    again = scratch_target.manage("restore", str(archive))
    assert again.returncode != 0 and "--force" in again.stderr
    forced = scratch_target.manage("restore", str(archive), "--force")
    assert forced.returncode == 0, forced.stderr
    assert scratch_target.row_counts(tables) == expected_rows
    assert checksums(scratch_target.media_root) == expected_files


def bucket_checksums(store, bucket: str) -> dict[str, str]:
    return {key: hashlib.sha256(store.read(bucket, key)).hexdigest() for key in store.keys(bucket)}


@pytest.fixture
def media_in_a_bucket(settings, object_store):
    """The portal's media in a bucket of a real S3-compatible server, as on several machines."""
    settings.STORAGES = object_store.storages(settings, object_store.make_bucket("score-media"))
    return object_store


@committed
def test_with_an_object_store_the_backup_holds_the_bucket_and_restores_into_an_empty_one(
    settings, tmp_path, media_in_a_bucket, portal_data, scratch_target
):
    store = media_in_a_bucket
    settings.BACKUP_DIR = tmp_path / "backups"
    tables = compared_tables()
    expected_rows = {label: apps.get_model(label)._default_manager.count() for label in tables}
    expected_files = bucket_checksums(store, "score-media")
    assert any(name.startswith("reports/") for name in expected_files)
    assert any(name.startswith("training/photos/") for name in expected_files)
    # Nothing went to the local folder: the demo's photos and the report are in the bucket only.
    assert not Path(portal_data).exists() or not any(Path(portal_data).rglob("*"))

    out = io.StringIO()
    call_command("backup", stdout=out)
    [archive] = settings.BACKUP_DIR.iterdir()
    with tarfile.open(archive) as tar:
        archived = {
            member.name.removeprefix("media/"): hashlib.sha256(tar.extractfile(member).read()).hexdigest()
            for member in tar.getmembers()
            if member.name.startswith("media/")
        }
    assert archived == expected_files
    assert f"{len(expected_files)} media files" in out.getvalue()

    # A new portal: an empty database and an empty bucket, given as production gives them (the environment).
    in_new_bucket = store.env(store.make_bucket("score-media-restored"))
    restored = scratch_target.manage("restore", str(archive), extra_env=in_new_bucket)
    assert restored.returncode == 0, restored.stderr
    assert scratch_target.row_counts(tables) == expected_rows
    assert bucket_checksums(store, "score-media-restored") == expected_files
    assert not scratch_target.media_root.exists()

    # The bucket is not empty now: restoring again needs --force, which gives the same files again.
    again = scratch_target.manage("restore", str(archive), extra_env=in_new_bucket)
    assert again.returncode != 0 and "the bucket score-media-restored holds" in again.stderr
    forced = scratch_target.manage("restore", str(archive), "--force", extra_env=in_new_bucket)
    assert forced.returncode == 0, forced.stderr
    assert store.keys("score-media-restored") == sorted(expected_files)


@committed
def test_restore_refuses_the_database_the_portal_is_running_on(settings, tmp_path, officer):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BACKUP_DIR = tmp_path / "backups"
    call_command("backup", stdout=io.StringIO())
    [archive] = settings.BACKUP_DIR.iterdir()
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert connection.introspection.table_names()
    officer.refresh_from_db()


def test_database_tools_get_the_password_from_the_environment_never_the_command_line(tmp_path):
    db = {"NAME": "score", "USER": "score", "PASSWORD": "s3cret-pw", "HOST": "db.internal", "PORT": 5433}
    env = backup.pg_environment({**db, "OPTIONS": {"sslmode": "require"}})
    assert env["PGPASSWORD"] == "s3cret-pw" and env["PGHOST"] == "db.internal" and env["PGPORT"] == "5433"
    assert env["PGSSLMODE"] == "require"
    commands = backup.pg_dump_command(tmp_path / "d", "snap") + backup.pg_restore_command(
        tmp_path / "d", "score", clean=True
    )
    assert not any("s3cret-pw" in part for part in commands)


def test_old_archives_are_pruned_but_the_newest_is_always_kept(tmp_path):
    now = timezone.make_aware(datetime.datetime(2026, 3, 31, 2, 30))
    for name in ("score-20260301-023000.tar", "score-20260320-023000.tar", "score-20260330-023000.tar", "notes.txt"):
        (tmp_path / name).write_text("x")
    removed = backup.prune(tmp_path, keep_days=14, now=now)
    assert [p.name for p in removed] == ["score-20260301-023000.tar"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "notes.txt",
        "score-20260320-023000.tar",
        "score-20260330-023000.tar",
    ]
    # All of them old (backups stopped a while ago): the newest stays.
    later = now + datetime.timedelta(days=100)
    assert [p.name for p in backup.prune(tmp_path, keep_days=14, now=later)] == ["score-20260320-023000.tar"]
    assert backup.prune(tmp_path, keep_days=0, now=later) == []
    assert (tmp_path / "score-20260330-023000.tar").exists()
