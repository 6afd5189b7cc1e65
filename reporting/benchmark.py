"""Time the reports over a seeded programme: `python -m reporting.benchmark [--enterprises 300]`.

Seeds a scratch SQLite database (in a temporary folder, never the project's) with
`seed_demo --enterprises N`, then renders, in this process, the enterprise progress report of the
enterprise with the most data and the programme report over all enterprises, and prints the times.
Targets: under 3 s and under 60 s on a 2-core machine.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--keep", action="store_true", help="Keep the scratch database and files.")
    args = parser.parse_args(argv)

    scratch = Path(tempfile.mkdtemp(prefix="score-benchmark-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'benchmark.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(scratch / "media")
    os.environ["CELERY_BROKER_URL"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "score_portal.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db.models import Count

    from enterprises.models import Enterprise, ExpressionOfInterest
    from reporting import reports
    from reporting.models import FileFormat, ReportJob, ReportKind

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    quiet = open(os.devnull, "w")  # noqa: SIM115
    call_command("seed_demo", enterprises=args.enterprises, seed=args.seed, stdout=quiet)
    seeded = time.perf_counter() - started
    officer = get_user_model().objects.get(username="officer")
    richest = (
        Enterprise.objects.annotate(rounds=Count("measurement_rounds", distinct=True), v=Count("visits", distinct=True))
        .order_by("-rounds", "-v", "pk")
        .first()
    )
    print(
        f"seeded {ExpressionOfInterest.objects.count()} EOIs and {Enterprise.objects.count()} enterprises "
        f"in {seeded:.1f} s (scratch folder {scratch}{', kept' if args.keep else ', removed at the end'})"
    )

    def timed(kind, file_format=FileFormat.PDF, **subject):
        job = ReportJob.objects.create(
            kind=kind, requested_by=officer, signature=f"bench-{kind}-{file_format}", file_format=file_format, **subject
        )
        start = time.perf_counter()
        rendered = reports.render(job)
        return time.perf_counter() - start, len(rendered.content)

    results = [
        ("enterprise progress report", timed(ReportKind.ENTERPRISE_PROGRESS, enterprise=richest), 3),
        ("enterprise baseline report", timed(ReportKind.ENTERPRISE_BASELINE, enterprise=richest), 3),
        ("programme report (PDF)", timed(ReportKind.PROGRAMME), 60),
        ("programme tables (Excel)", timed(ReportKind.PROGRAMME, FileFormat.XLSX), 60),
    ]
    for label, (seconds, size), target in results:
        verdict = "ok" if seconds < target else "SLOW"
        print(f"{label:<30} {seconds:6.2f} s  {size / 1024:7.0f} KiB  (target < {target} s: {verdict})")
    if not args.keep:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0 if all(seconds < target for _l, (seconds, _s), target in results) else 1


if __name__ == "__main__":
    sys.exit(main())
