from django.core.management.base import BaseCommand

from reporting import services


class Command(BaseCommand):
    help = (
        "Send to the Celery workers the report jobs that wait for the queue: saved while the broker was down, "
        "or sent long ago and never started. Safe to run often (cron or Celery beat)."
    )

    def handle(self, *args, **options):
        sent, waiting = services.dispatch_queued()
        self.stdout.write(f"Report jobs sent: {sent}; still waiting for the broker: {waiting}.")
