import importlib
import importlib.util
import os
import random
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


@dataclass
class DemoContext:
    """What every app's demo.seed(ctx) receives: shared randomness and what earlier apps made."""

    rng: random.Random
    enterprises: int
    password: str
    stdout: object
    users: dict = field(default_factory=dict)
    made: dict = field(default_factory=dict)


class Command(BaseCommand):
    help = (
        "Create or refresh demo data: one user per role and, from each app's demo module, "
        "data that shows every stage of the programme. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2018, help="Random seed (same seed, same data).")
        parser.add_argument("--enterprises", type=int, default=40, help="How many expressions of interest to create.")

    def handle(self, *args, **options):
        if not settings.DEVELOPMENT_MODE and "DEMO_PASSWORD" not in os.environ:
            raise CommandError(
                "Refusing to create demo users with the default password when DJANGO_DEBUG=0; set DEMO_PASSWORD."
            )
        if options["enterprises"] < 0:
            raise CommandError("--enterprises must be zero or more.")
        ctx = DemoContext(
            rng=random.Random(options["seed"]),
            enterprises=options["enterprises"],
            password=settings.DEMO_PASSWORD,
            stdout=self.stdout,
        )
        # Apps seed in INSTALLED_APPS order, which follows the import arrows (enterprises
        # before baseline before training), so later apps can build on earlier ones.
        with transaction.atomic():
            for app_config in apps.get_app_configs():
                module_name = f"{app_config.name}.demo"
                if importlib.util.find_spec(module_name) is None:
                    continue
                importlib.import_module(module_name).seed(ctx)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Log in at /accounts/login/ as:"))
        for username in ctx.users:
            self.stdout.write(f"  {username} / {ctx.password}")
