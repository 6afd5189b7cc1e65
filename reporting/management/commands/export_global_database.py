"""Write the export for the global SCORE database (reporting/global_database.py) to a file or stdout.

    python manage.py export_global_database --format jsonl --output score-global-v1.jsonl
    python manage.py export_global_database --format csv > score-global-v1.csv
    python manage.py export_global_database --schema      # the record's JSON Schema

Officers get the same file from a Celery job on the raw data page (/reports/data/).
"""

import json

from django.core.management.base import BaseCommand

from reporting import global_database


class Command(BaseCommand):
    help = "Export the consenting enterprises' indicator values for the global SCORE database."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
        parser.add_argument("--output", help="file to write (default: standard output)")
        parser.add_argument("--schema", action="store_true", help="print the record's JSON Schema instead")

    def handle(self, *args, **options):
        if options["schema"]:
            content = json.dumps(global_database.json_schema(), indent=2) + "\n"
        else:
            content = global_database.export_bytes(options["format"]).decode()
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as out:
                out.write(content)
            self.stderr.write(f"written to {options['output']}")
        else:
            self.stdout.write(content, ending="")
