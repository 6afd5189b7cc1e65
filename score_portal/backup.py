"""Backup and restore of the whole portal: one dated archive with the database and the media files.

An archive is a plain tar (the dump, the photos and the PDFs are compressed already), named
``score-YYYYMMDD-HHMMSS.tar`` after the local time it was made:

    database.dump      PostgreSQL: ``pg_dump --format=custom``   (database.sqlite3 for the SQLite default)
    media/...          the media storage: 5S photos, generated reports
    manifest.json      versions, row counts per table, SHA-256 of the dump and of every media file

The row counts are taken in the very snapshot that pg_dump dumps (an exported snapshot), so a
restore can be checked exactly even while the portal kept working during the backup.
A restore goes into an empty database unless forced, and checks itself against the manifest.

The media files are read and written through Django's storage (default_storage), never as a folder:
the same archive comes from MEDIA_ROOT on one machine or from the object store of several (README:
"Several machines"), and restores into either; restoring an archive of the one with the bucket set is
also how a portal moves from the one to the other.
"""

import datetime
import hashlib
import io
import json
import os
import platform
import re
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DUMP_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
ARCHIVE_NAME = re.compile(r"^score-(\d{8}-\d{6})\.tar$")
STAMP = "%Y%m%d-%H%M%S"
CLIENT_TOOLS_HINT = (
    "Install the PostgreSQL client tools of the server's major version or newer "
    "(Debian: apt-get install postgresql-client-15)."
)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class Backup:
    path: Path
    manifest: dict


@dataclass
class Restored:
    manifest: dict
    pending_migrations: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- what is backed up
def engine(using: str = "default") -> str:
    name = connections[using].vendor
    if name not in DUMP_FILES:
        raise BackupError(f"Backups support PostgreSQL and SQLite; this database is {name}.")
    return name


def model_tables(existing: set[str]) -> dict[str, str]:
    """Model label -> table, for every table Django manages (many-to-many and history tables too)
    that exists in the database."""
    by_table: dict[str, str] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.swapped or meta.db_table not in existing:
            continue
        by_table.setdefault(meta.db_table, meta.label)
    return dict(sorted((label, table) for table, label in by_table.items()))


def count_rows(cursor, tables: dict[str, str]) -> dict[str, int]:
    counts = {}
    for label, table in tables.items():
        quoted = '"' + table.replace('"', '""') + '"'
        cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608 - a table name from the models, quoted
        counts[label] = cursor.fetchone()[0]
    return counts


def last_migrations(cursor) -> dict[str, str]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    return dict(cursor.fetchall())


def media_files(root: Path) -> list[str]:
    """Relative POSIX paths of the regular files under a local folder (an unpacked archive);
    symbolic links are not followed."""
    if not root.is_dir():
        return []
    found = []
    for folder, _subfolders, names in os.walk(root):
        for name in names:
            path = Path(folder, name)
            if path.is_file() and not path.is_symlink():
                found.append(path.relative_to(root).as_posix())
    return sorted(found)


def stored_files(storage: Storage, *, skip: str | None = None) -> list[str]:
    """The names of every file in the storage, walked through its listdir; `skip` is a folder left out."""
    found = []
    pending = [""]
    while pending:
        folder = pending.pop()
        try:
            folders, names = storage.listdir(folder)
        except FileNotFoundError:  # the file system's storage, before its first file
            continue
        prefix = f"{folder}/" if folder else ""
        found += (prefix + name for name in names)
        pending += (prefix + sub for sub in folders if prefix + sub != skip)
    return sorted(found)


def folder_in_storage(storage: Storage, folder: Path) -> str | None:
    """The name of a local folder inside the file system's storage (BACKUP_DIR under MEDIA_ROOT), so that
    archives kept there do not swallow each other; None when it is elsewhere or the storage is remote."""
    if not isinstance(storage, FileSystemStorage):
        return None
    try:
        return Path(folder).resolve().relative_to(Path(storage.location).resolve()).as_posix()
    except ValueError:
        return None


def storage_place(storage: Storage) -> str:
    """Where the media files are, in words for a message."""
    bucket = getattr(storage, "bucket_name", None)
    if bucket:
        folder = getattr(storage, "location", "")
        return f"the bucket {bucket}" + (f" (folder {folder})" if folder else "")
    return str(getattr(storage, "location", "the media storage"))


def sha256_of(path: Path) -> str:
    with open(path, "rb") as handle:
        return _sha256_of_handle(handle)


def _sha256_of_handle(handle) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: handle.read(1 << 20), b""):
        digest.update(block)
    return digest.hexdigest()


# ---------------------------------------------------------------- PostgreSQL client tools
def pg_environment(db: dict) -> dict[str, str]:
    """The environment for pg_dump / pg_restore: connection settings, password included, travel
    as PG* variables and never on the command line (where `ps` would show them)."""
    env = dict(os.environ)
    values = {
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGDATABASE": db.get("NAME"),
    }
    options = db.get("OPTIONS") or {}
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("passfile", "PGPASSFILE"),
        ("service", "PGSERVICE"),
    ):
        values[variable] = options.get(option)
    env.update({key: str(value) for key, value in values.items() if value not in (None, "")})
    return env


def pg_dump_command(dump: Path, snapshot: str) -> list[str]:
    return ["pg_dump", "--no-password", "--format=custom", f"--snapshot={snapshot}", f"--file={dump}"]


def pg_restore_command(dump: Path, dbname: str, *, clean: bool) -> list[str]:
    command = [
        "pg_restore",
        "--no-password",
        f"--dbname={dbname}",
        # The new machine's role owns what it restores; roles of the old machine may not exist here.
        "--no-owner",
        "--no-privileges",
        # All or nothing: a failed restore leaves the database as it was.
        "--exit-on-error",
        "--single-transaction",
    ]
    if clean:
        command += ["--clean", "--if-exists"]
    return [*command, str(dump)]


def _run(command: list[str], env: dict[str, str]) -> str:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} was not found. {CLIENT_TOOLS_HINT}") from exc
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}")
    return done.stdout


# ---------------------------------------------------------------- backup
def _dump_postgresql(using: str, dump: Path) -> dict:
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("Run the backup outside a transaction: it needs a snapshot of its own.")
    env = pg_environment(connection.settings_dict)
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        _run(pg_dump_command(dump, snapshot), env)
        # Still in the exported snapshot: these are the counts of what pg_dump wrote.
        tables = model_tables(set(connection.introspection.table_names(cursor)))
        counts = count_rows(cursor, tables)
        migrations = last_migrations(cursor)
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    tool = _run(["pg_dump", "--version"], env).strip()
    return {
        "tables": tables,
        "row_counts": counts,
        "migrations": migrations,
        "versions": {"postgresql": server, "pg_dump": tool},
    }


def _dump_sqlite(using: str, dump: Path) -> dict:
    connection = connections[using]
    connection.ensure_connection()
    copy = sqlite3.connect(dump)
    try:
        # The online backup API: a consistent copy while the portal keeps running.
        connection.connection.backup(copy)
        cursor = copy.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = model_tables({row[0] for row in cursor.fetchall()})
        counts = count_rows(cursor, tables)
        migrations = last_migrations(cursor)
    finally:
        copy.close()
    return {
        "tables": tables,
        "row_counts": counts,
        "migrations": migrations,
        "versions": {"sqlite": sqlite3.sqlite_version},
    }


class _Hashing:
    """Hashes exactly the bytes that tarfile copies into the archive."""

    def __init__(self, raw):
        self.raw = raw
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self.raw.read(size)
        self.digest.update(data)
        return data


def _add_file(tar: tarfile.TarFile, path: Path, name: str) -> dict:
    with open(path, "rb") as raw:
        info = tar.gettarinfo(arcname=name, fileobj=raw)
        reader = _Hashing(raw)
        tar.addfile(info, reader)
    return {"sha256": reader.digest.hexdigest(), "size": info.size}


def _add_stored(tar: tarfile.TarFile, storage: Storage, name: str, arcname: str, made_at) -> dict:
    with storage.open(name, "rb") as handle:
        info = tarfile.TarInfo(arcname)
        info.size, info.mode = handle.size, 0o600
        try:
            info.mtime = int(storage.get_modified_time(name).timestamp())
        except NotImplementedError:
            info.mtime = int(made_at.timestamp())
        reader = _Hashing(handle)
        tar.addfile(info, reader)
    return {"sha256": reader.digest.hexdigest(), "size": info.size}


def create_backup(*, backup_dir: Path | None = None, using: str = "default", now=None) -> Backup:
    """Write one archive of the database and the media storage into backup_dir (BACKUP_DIR by default)."""
    kind = engine(using)
    backup_dir = Path(backup_dir or settings.BACKUP_DIR)
    backup_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    made_at = timezone.localtime(now)
    target = backup_dir / f"score-{made_at.strftime(STAMP)}.tar"
    if target.exists():
        raise BackupError(f"{target} exists already; wait a second and try again.")
    storage = default_storage
    db = connections[using].settings_dict

    with tempfile.TemporaryDirectory(dir=backup_dir, prefix=".work-") as work:
        dump = Path(work) / DUMP_FILES[kind]
        found = _dump_postgresql(using, dump) if kind == "postgresql" else _dump_sqlite(using, dump)
        manifest = {
            "format": FORMAT,
            "archive": target.name,
            "created_at": made_at.isoformat(),
            "versions": {"python": platform.python_version(), "django": django.get_version(), **found["versions"]},
            "database": {"engine": kind, "name": Path(str(db["NAME"])).name, "file": dump.name},
            "migrations": found["migrations"],
            "tables": found["tables"],
            "row_counts": found["row_counts"],
            "media_storage": storage_place(storage),
            "media": {},
        }
        # Written under a hidden name and renamed when complete: a copy job never takes half an archive.
        partial = backup_dir / f".{target.name}.partial"
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with (
                os.fdopen(descriptor, "wb") as out,
                tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar,
            ):
                manifest["database"].update(_add_file(tar, dump, dump.name))
                for name in stored_files(storage, skip=folder_in_storage(storage, backup_dir)):
                    manifest["media"][name] = _add_stored(tar, storage, name, f"{MEDIA}/{name}", made_at)
                data = json.dumps(manifest, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(made_at.timestamp()), 0o600
                tar.addfile(info, io.BytesIO(data))
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    return Backup(target, manifest)


def archives(backup_dir: Path) -> list[tuple[datetime.datetime, Path]]:
    """The archives in backup_dir, oldest first, with the time in their name."""
    found = []
    if backup_dir.is_dir():
        for path in backup_dir.iterdir():
            match = ARCHIVE_NAME.match(path.name)
            if match and path.is_file():
                stamp = timezone.make_aware(datetime.datetime.strptime(match[1], STAMP))
                found.append((stamp, path))
    return sorted(found)


def prune(backup_dir: Path, keep_days: int, now=None) -> list[Path]:
    """Delete archives older than keep_days (0: keep all). The newest archive is always kept."""
    if keep_days <= 0:
        return []
    cutoff = (now or timezone.now()) - datetime.timedelta(days=keep_days)
    removed = []
    for stamp, path in archives(Path(backup_dir))[:-1]:
        if stamp < cutoff:
            path.unlink()
            removed.append(path)
    return removed


# ---------------------------------------------------------------- restore
def read_archive(archive: Path, into: Path) -> dict:
    """Unpack the archive into a scratch folder and check every file against the manifest.
    Returns the manifest; raises BackupError on anything missing, extra or changed."""
    if not archive.is_file():
        raise BackupError(f"No archive at {archive}.")
    try:
        with tarfile.open(archive, mode="r:") as tar:
            # The "data" filter refuses absolute paths, "..", device files and links leaving the folder.
            tar.extractall(into, filter="data")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{archive} is not a readable backup archive: {exc}") from exc
    try:
        manifest = json.loads((into / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{archive} has no readable {MANIFEST}: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} is in backup format {manifest.get('format')}; this portal reads {FORMAT}.")

    problems = []
    database = manifest["database"]
    dump = into / database["file"]
    if not dump.is_file() or sha256_of(dump) != database["sha256"]:
        problems.append(f"{database['file']} (missing or changed)")
    expected = manifest["media"]
    present = set(media_files(into / MEDIA))
    for name in sorted(set(expected) - present):
        problems.append(f"{MEDIA}/{name} (missing)")
    for name in sorted(present - set(expected)):
        problems.append(f"{MEDIA}/{name} (not in the manifest)")
    for name in sorted(present & set(expected)):
        if sha256_of(into / MEDIA / name) != expected[name]["sha256"]:
            problems.append(f"{MEDIA}/{name} (checksum differs)")
    if problems:
        raise BackupError(f"{archive} does not match its manifest: " + "; ".join(problems[:10]))
    return manifest


def _refuse_unless_empty(using: str, storage: Storage) -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    files = stored_files(storage)
    occupied = []
    if tables:
        occupied.append(f"the database {connection.settings_dict['NAME']} has {len(tables)} tables")
    if files:
        occupied.append(f"{storage_place(storage)} holds {len(files)} files")
    if occupied:
        raise BackupError(
            "Not restoring: "
            + " and ".join(occupied)
            + ". Restore into an empty database (e.g. dropdb and createdb) and an empty MEDIA_ROOT or bucket, "
            "or pass --force to replace what the archive holds."
        )


def _restore_media(unpacked: Path, names, storage: Storage) -> None:
    for name in names:
        if storage.exists(name):  # --force: the archive's file replaces it, under the same name
            storage.delete(name)
        with open(unpacked / name, "rb") as handle:
            saved = storage.save(name, File(handle))
        if saved != name:
            raise BackupError(f"{MEDIA}/{name} was stored as {saved}; restore into an empty storage.")


def _restore_postgresql(using: str, dump: Path, *, force: bool) -> None:
    connection = connections[using]
    db = connection.settings_dict
    connection.close()
    _run(pg_restore_command(dump, db["NAME"], clean=force), pg_environment(db))
    with connection.cursor() as cursor:
        # pg_restore brings no planner statistics; without them the first queries plan badly.
        cursor.execute("ANALYZE")


def _restore_sqlite(using: str, dump: Path) -> None:
    connection = connections[using]
    connection.close()
    source, target = sqlite3.connect(dump), sqlite3.connect(connection.settings_dict["NAME"])
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def _check_restored(using: str, manifest: dict, storage: Storage) -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        counts = count_rows(cursor, manifest["tables"])
    problems = [
        f"{label}: {counts[label]} rows, the archive had {rows}"
        for label, rows in manifest["row_counts"].items()
        if counts[label] != rows
    ]
    for name, expected in manifest["media"].items():
        try:
            with storage.open(name, "rb") as handle:
                same = _sha256_of_handle(handle) == expected["sha256"]
        except FileNotFoundError:
            same = False
        if not same:
            problems.append(f"{MEDIA}/{name} differs")
    if problems:
        raise BackupError("Restored, but not as archived: " + "; ".join(problems[:10]))


def pending_migrations(using: str = "default") -> list[str]:
    executor = MigrationExecutor(connections[using])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def restore_backup(archive: Path, *, using: str = "default", force: bool = False) -> Restored:
    """Restore the database and the media storage from an archive, then check both against its manifest."""
    kind = engine(using)
    storage = default_storage
    if not force:
        _refuse_unless_empty(using, storage)
    with tempfile.TemporaryDirectory(prefix="score-restore-") as scratch:
        scratch = Path(scratch)
        manifest = read_archive(Path(archive), scratch)
        archived = manifest["database"]["engine"]
        if archived != kind:
            raise BackupError(f"The archive holds a {archived} database; this portal is configured for {kind}.")
        dump = scratch / manifest["database"]["file"]
        if kind == "postgresql":
            _restore_postgresql(using, dump, force=force)
        else:
            _restore_sqlite(using, dump)
        _restore_media(scratch / MEDIA, sorted(manifest["media"]), storage)
    _check_restored(using, manifest, storage)
    return Restored(manifest, pending_migrations(using))
