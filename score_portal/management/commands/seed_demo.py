import importlib
import importlib.util
import os
import random
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction


@dataclass
class DemoContext:
    """What every app's demo.seed(ctx) receives: shared randomness and what earlier apps made."""

    rng: random.Random
    enterprises: int
    password: str
    stdout: object
    users: dict = field(default_factory=dict)
    made: dict = field(default_factory=dict)
    # The national-scale target (--enterprises above DETAILED): enterprises in all, the rest made in bulk.
    scale: int = 0
    seed: int = 0


# Up to this many EOIs go through the services one by one (every stage shown, every rule applied);
# a larger --enterprises adds enterprises in bulk (each app's demo_scale module) until there are that many.
DETAILED = 60


class Command(BaseCommand):
    help = (
        "Create or refresh demo data: one user per role and, from each app's demo module, "
        "data that shows every stage of the programme. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2018, help="Random seed (same seed, same data).")
        parser.add_argument(
            "--enterprises",
            type=int,
            default=40,
            help=(
                f"Up to {DETAILED}: how many expressions of interest to make through the services. "
                f"Above {DETAILED}: the first {DETAILED} as before, then enterprises added in bulk until "
                "there are this many enterprises (e.g. 5000 for a national-scale benchmark)."
            ),
        )

    def handle(self, *args, **options):
        if not settings.DEVELOPMENT_MODE and "DEMO_PASSWORD" not in os.environ:
            raise CommandError(
                "Refusing to create demo users with the default password when DJANGO_DEBUG=0; set DEMO_PASSWORD."
            )
        if options["enterprises"] < 0:
            raise CommandError("--enterprises must be zero or more.")
        ctx = DemoContext(
            rng=random.Random(options["seed"]),
            enterprises=min(options["enterprises"], DETAILED),
            password=settings.DEMO_PASSWORD,
            stdout=self.stdout,
            scale=options["enterprises"] if options["enterprises"] > DETAILED else 0,
            seed=options["seed"],
        )
        # Apps seed in INSTALLED_APPS order, which follows the import arrows (enterprises
        # before baseline before training), so later apps can build on earlier ones.
        with transaction.atomic():
            self._run("demo", ctx)
            if ctx.scale:
                # Bulk inserts: each app's demo_scale.seed(ctx) adds what a national programme would have.
                self._run("demo_scale", ctx)
        if ctx.scale and connection.vendor == "postgresql":
            # Fresh statistics after a bulk load, or the planner takes thousands of rows for a few; and the
            # visibility map that autovacuum would set later, without which an index-only scan reads the
            # table too (a count of enterprises with a change: 18 ms instead of 5). VACUUM cannot run in a
            # transaction (a test's), where the statistics are enough.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        self.stdout.write(self.style.SUCCESS("Demo data ready. Log in at /accounts/login/ as:"))
        for username in ctx.users:
            self.stdout.write(f"  {username} / {ctx.password}")

    @staticmethod
    def _run(module: str, ctx) -> None:
        for app_config in apps.get_app_configs():
            module_name = f"{app_config.name}.{module}"
            if importlib.util.find_spec(module_name) is None:
                continue
            importlib.import_module(module_name).seed(ctx)
