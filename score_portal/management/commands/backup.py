from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from score_portal import backup


class Command(BaseCommand):
    help = (
        "Write one dated archive (score-YYYYMMDD-HHMMSS.tar) with a dump of the database, the media files "
        "and a manifest of row counts and checksums into BACKUP_DIR. README: 'Backup and restore'."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, help="Folder for the archive (default: the BACKUP_DIR setting).")
        parser.add_argument(
            "--keep-days",
            type=int,
            default=None,
            help="Afterwards delete archives older than this many days, keeping the newest "
            "(default: the BACKUP_KEEP_DAYS setting; 0 keeps all).",
        )

    def handle(self, *args, **options):
        backup_dir = options["dir"] or Path(settings.BACKUP_DIR)
        keep_days = settings.BACKUP_KEEP_DAYS if options["keep_days"] is None else options["keep_days"]
        try:
            made = backup.create_backup(backup_dir=backup_dir)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = made.manifest
        rows = sum(manifest["row_counts"].values())
        media_bytes = sum(f["size"] for f in manifest["media"].values())
        self.stdout.write(
            f"{len(manifest['row_counts'])} tables ({rows} rows), "
            f"{len(manifest['media'])} media files ({media_bytes / 1e6:.1f} MB)."
        )
        for path in backup.prune(backup_dir, keep_days):
            self.stdout.write(f"Removed {path.name} (older than {keep_days} days).")
        self.stdout.write(self.style.SUCCESS(f"Backup written: {made.path}"))
