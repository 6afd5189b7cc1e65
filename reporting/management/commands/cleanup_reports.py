from django.core.management.base import BaseCommand, CommandError

from reporting import services


class Command(BaseCommand):
    help = "Delete report files older than the retention period (REPORTS_RETENTION_DAYS, 30 days by default)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Keep files this many days (default: setting).")

    def handle(self, *args, **options):
        days = options["days"]
        if days is not None and days < 0:
            raise CommandError("--days must be zero or more.")
        removed = services.cleanup(days)
        self.stdout.write(f"Report files removed: {removed}.")
