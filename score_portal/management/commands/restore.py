from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from score_portal import backup


class Command(BaseCommand):
    help = (
        "Restore the database and the media files from an archive made by `manage.py backup`, into an "
        "empty database and media storage (MEDIA_ROOT, or the bucket when AWS_STORAGE_BUCKET_NAME is set), "
        "then check row counts and checksums against its manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="A score-YYYYMMDD-HHMMSS.tar archive.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore even if the database or the media storage is not empty: what the archive holds is "
            "replaced; tables and files it does not hold are left alone.",
        )

    def handle(self, *args, **options):
        try:
            restored = backup.restore_backup(options["archive"], force=options["force"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = restored.manifest
        self.stdout.write(
            f"Restored {manifest['archive']} of {manifest['created_at']}: "
            f"{sum(manifest['row_counts'].values())} rows in {len(manifest['row_counts'])} tables and "
            f"{len(manifest['media'])} media files, all as in its manifest."
        )
        if restored.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"This code has {len(restored.pending_migrations)} migrations the archive had not: "
                    "run `python manage.py migrate`."
                )
            )
        self.stdout.write(self.style.SUCCESS("Restore done."))
