"""Ten people send a complete expression of interest at the same moment, on a file-based SQLite database.

Run as its own process (the embedded default is SQLite, the rest of the suite may be on PostgreSQL):

    DATABASE_URL=sqlite:////tmp/x/db.sqlite3 python -m enterprises.tests.sqlite_concurrency [--threads 10]

It migrates that database, opens one call, then each thread walks the four steps of the real public form
with its own test client and address; all threads post the last step together. It prints one JSON line:
the EOIs saved, their references and every error (an exception or a 5xx) the threads met.
test_sqlite_concurrency.py runs it and reads that line.
"""

import argparse
import json
import os
import sys
import threading
import traceback


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=10)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "score_portal.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3" or connection.is_in_memory_db():
        print("this check needs DATABASE_URL=sqlite:///<folder>/db.sqlite3", file=sys.stderr)
        return 2
    # Mail goes to memory, 'testserver' is an allowed host: the same switches as under pytest.
    setup_test_environment()
    call_command("migrate", verbosity=0)

    from enterprises.models import ExpressionOfInterest
    from enterprises.public_forms import STEPS
    from enterprises.tests.factories import CallFactory, eoi_data

    call = CallFactory(title="Concurrency call")
    url = reverse("enterprises:public_apply_call", kwargs={"call_id": call.pk})
    connections.close_all()

    errors: list[str] = []
    lock = threading.Lock()
    last_step_together = threading.Barrier(args.threads, timeout=120)

    def posts(number: int):
        data = eoi_data(registration_number=f"7000-{number:03d}", legal_name=f"Enterprise {number}")
        for step, form, _title in STEPS:
            post = {f"eoi_{call.pk}-current_step": step}
            for name in form._meta.fields:
                value = data[name]
                if name == "consent":
                    if value:
                        post[f"{step}-consent"] = "on"
                elif value is not None:
                    post[f"{step}-{name}"] = str(value)
            yield step, post

    def person(number: int):
        client = Client(REMOTE_ADDR=f"198.51.100.{number + 1}")
        try:
            for step, post in posts(number):
                if step == STEPS[-1][0]:
                    last_step_together.wait()
                response = client.post(url, post)
                if response.status_code >= 500:
                    raise AssertionError(f"{step}: HTTP {response.status_code}")
                if step == STEPS[-1][0] and response.status_code != 302:
                    raise AssertionError(f"{step}: HTTP {response.status_code}, not sent")
        except Exception:  # noqa: BLE001 - every failure is reported, none stops the others
            with lock:
                errors.append(f"person {number}: {traceback.format_exc(limit=3)}")
            last_step_together.abort()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=person, args=(n,)) for n in range(args.threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    references = list(ExpressionOfInterest.objects.filter(call=call).values_list("reference", flat=True))
    print(json.dumps({"rows": len(references), "references": references, "errors": errors}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
