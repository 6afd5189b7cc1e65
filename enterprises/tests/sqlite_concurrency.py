"""Ten people send a complete expression of interest at the same moment, on a file-based SQLite database.

Run as its own process (the embedded default is SQLite, the rest of the suite may be on PostgreSQL):

    DATABASE_URL=sqlite:////tmp/x/db.sqlite3 python -m enterprises.tests.sqlite_concurrency [--threads 10]

It migrates that database, opens one call, then each thread walks the four steps of the real public form
with its own test client and address; all threads post the last step together. Then as many officers
post at once, half entering paper EOIs, half pressing "Register as an enterprise". It prints one JSON
line: the EOIs saved, their references, the paper EOIs and enterprises made, and every error (an
exception or an unexpected status) the threads met.
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
    from enterprises.screening.forms import STEPS
    from enterprises.tests.factories import CallFactory, eoi_data

    call = CallFactory(title="Concurrency call")
    url = reverse("enterprises:public_apply_call", kwargs={"call_id": call.pk})
    review_url = reverse("enterprises:public_apply_review", kwargs={"call_id": call.pk})
    connections.close_all()

    errors: list[str] = []
    lock = threading.Lock()
    last_step_together = threading.Barrier(args.threads, timeout=120)

    def posts(number: int):
        data = eoi_data(
            registration_number=f"7000-{number:03d}",
            legal_name=f"Enterprise {number}",
            contact_email=f"hr{number}@example.org",
        )
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
                response = client.post(url, post)
                if response.status_code >= 500:
                    raise AssertionError(f"{step}: HTTP {response.status_code}")
            # Everyone on the review page, then all press its send button at once.
            if client.get(review_url).status_code != 200:
                raise AssertionError("the review did not open")
            last_step_together.wait()
            response = client.post(review_url)
            if response.status_code != 302 or "/apply/done/" not in response["Location"]:
                raise AssertionError(f"send: HTTP {response.status_code}, not sent")
        except Exception:  # noqa: BLE001 - every failure is reported, none stops the others
            with lock:
                errors.append(f"person {number}: {traceback.format_exc(limit=3)}")
            last_step_together.abort()
        finally:
            connections.close_all()

    def run_together(target, count):
        threads = [threading.Thread(target=target, args=(n,)) for n in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    run_together(person, args.threads)
    public = list(ExpressionOfInterest.objects.filter(call=call).values_list("pk", "reference"))

    # Then officers at once: half enter paper EOIs, half register the EOIs just received as enterprises.
    from django.contrib.auth import get_user_model

    from enterprises.models import Enterprise
    from score_portal.roles import OFFICER, role_group

    officer = get_user_model().objects.create_user("officer-concurrency", password="unused-here")
    officer.groups.add(role_group(OFFICER))
    paper_url = reverse("enterprises:eoi_create", kwargs={"call_id": call.pk})
    connections.close_all()
    officers = args.threads
    together = threading.Barrier(officers, timeout=120)

    def paper_entry(number: int) -> dict:
        data = eoi_data(registration_number=f"7100-{number:03d}", legal_name=f"Paper enterprise {number}")
        post = {"received-received_on": call.opens_on.isoformat()}
        for step, form, _title in STEPS:
            for name in form._meta.fields:
                value = data[name]
                if name == "consent":
                    if value:
                        post[f"{step}-consent"] = "on"
                elif value is not None:
                    post[f"{step}-{name}"] = str(value)
        return post

    def officer_at_work(number: int):
        client = Client()
        try:
            client.force_login(officer)
            if number % 2:
                url, post = paper_url, paper_entry(number)
            else:
                eoi_pk = public[number % len(public)][0]
                url, post = reverse("enterprises:enterprise_from_eoi", kwargs={"eoi_pk": eoi_pk}), {}
            together.wait()
            response = client.post(url, post)
            if response.status_code != 302:
                raise AssertionError(f"{url}: HTTP {response.status_code}")
        except Exception:  # noqa: BLE001
            with lock:
                errors.append(f"officer {number}: {traceback.format_exc(limit=3)}")
            together.abort()
        finally:
            connections.close_all()

    run_together(officer_at_work, officers)

    references = [reference for _pk, reference in public]
    paper = ExpressionOfInterest.objects.filter(call=call, entered_by=officer).count()
    registered = Enterprise.objects.filter(call=call).count()
    all_references = list(ExpressionOfInterest.objects.filter(call=call).values_list("reference", flat=True))
    print(
        json.dumps(
            {
                "rows": len(references),
                "references": references,
                "paper_rows": paper,
                "enterprises": registered,
                "distinct_references_overall": len(set(all_references)) == len(all_references),
                "errors": errors,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
