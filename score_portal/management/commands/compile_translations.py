from django.core.management.base import BaseCommand

from score_portal.translations import compile_translations


class Command(BaseCommand):
    help = "Compile the .po translations into .mo files with polib (no GNU gettext needed)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Compile even the files that look current.")

    def handle(self, *args, force=False, **options):
        written = compile_translations(force=force)
        for path in written:
            self.stdout.write(f"compiled {path}")
        if not written:
            self.stdout.write("translations are current")
