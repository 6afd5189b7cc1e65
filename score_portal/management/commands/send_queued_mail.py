from django.core.management.base import BaseCommand

from score_portal.outbox import services


class Command(BaseCommand):
    help = (
        "Send the outgoing mail that waits: saved while the broker was down, due for another attempt "
        "after the mail server failed, or left by a worker that died. Safe to run often (cron or Celery beat)."
    )

    def handle(self, *args, **options):
        outcomes = services.sweep()
        if not outcomes:
            self.stdout.write("No mail waiting.")
            return
        self.stdout.write("Mail: " + ", ".join(f"{what} {count}" for what, count in sorted(outcomes.items())) + ".")
