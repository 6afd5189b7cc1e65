"""The national-scale benchmark (`make bench`): what each main page costs, beside its SQL.

    python -m reporting.scale_benchmark [--enterprises 5000] [--runs 15] [--clients 10] [--submissions 200]

1. Seeds, or reuses, a PostgreSQL database of N enterprises (BENCH_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/score_bench) and a small one of 62 enterprises, the size the
   targets were set at (BENCH_SMALL_DATABASE_URL, default the same name with `_small`), creating them if
   missing.
2. For each main page of each role, in a fresh process per database: queries, p50 and p95 of
   the server time (Django's test client, in process) and, in the same run, the time of the raw SQL
   that computes what the page shows. The growth (p50 at N − p50 at the small size) is set beside
   that raw SQL's p50: the target is a growth at most 3× the raw SQL, and no page over 300 ms (p95).
   Beside it, the time of the page's own queries (p50 at N) and how much of the growth they are. The
   two sizes are measured in turns, three each, so that a shared machine slowing down for a while
   slows both alike. Growth is taken between medians: a p95 of a dozen runs is the slowest run or two,
   and on a shared machine one slow run on either side moved a page's "growth" by 100 ms and more.
3. The public form under load: gunicorn (2 workers) on 127.0.0.1 over the big database, a bounded
   number of complete submissions (four steps, the review, its send button) from concurrent clients,
   counting the confirmations against the rows written and the acknowledgements sent (none may be lost),
   the submissions per second and the CPU per submission of the server, the database, the clients and,
   with `--broker`, the Celery worker that sends the acknowledgements; in rounds (`--load-rounds`, a
   fresh gunicorn each), with the median round and the range. `--load-only` runs this part alone, on
   BENCH_DATABASE_URL vacuumed first (any database with an open call, e.g. `seed_demo`'s).
4. The report timings: the enterprise progress PDF and the programme report, with their queries.

It prints figures; it asserts nothing. Run it on an idle machine.
"""

import argparse
import functools
import gc
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/score_bench"
SMALL_ENTERPRISES = 62
# The pages are measured in this many turns of the small database, then the big one.
ROUNDS = 3

# The officer's home shows some twenty figures and six short lists: each is a subquery here (counting
# rows where the page counts them, the first five where it lists them). The step limits are the demo
# calls' (60 days to the shortlist, 30 to the CEO meeting and to the baseline, 21 to acceptance...).
TRAINING = "('level1_accepted', 'level1_completed', 'level2_interest', 'level2_shortlisted', 'level2_in_progress')"
# In the programme, from acceptance to the end of Level 2: visits are expected, and the enterprise counts as reached.
IN_PROGRAMME = TRAINING.replace(")", ", 'level2_completed')")
# Stuck at a step longer than the call allows.
OVER_LIMIT = """(e.stage IN ('eoi_received', 'screened', 'level1_completed', 'level2_interest')
            AND e.stage_changed_at < now() - interval '60 days')
        OR (e.stage IN ('shortlisted', 'ceo_meeting_held') AND e.stage_changed_at < now() - interval '30 days')
        OR (e.stage = 'baseline_done' AND e.stage_changed_at < now() - interval '21 days')
        OR (e.stage = 'level2_shortlisted' AND e.stage_changed_at < now() - interval '60 days')"""
# Enterprise e without a submitted visit in the last 30 days.
NOT_VISITED = """NOT EXISTS (SELECT 1 FROM training_visit v WHERE v.enterprise_id = e.id AND v.status = 'submitted'
       AND v.date BETWEEN CURRENT_DATE - 30 AND CURRENT_DATE)"""
# Visit v's next visit is due and no later visit came.
VISIT_DUE = """v.status = 'submitted' AND v.next_visit_on <= CURRENT_DATE
       AND NOT EXISTS (SELECT 1 FROM training_visit l WHERE l.enterprise_id = v.enterprise_id AND l.date > v.date)"""
OFFICER_HOME = f"""
SELECT
  (SELECT json_agg(s) FROM (SELECT stage, count(*) FROM enterprises_enterprise GROUP BY stage) s),
  (SELECT count(*) FROM enterprises_expressionofinterest),
  (SELECT count(*) FROM enterprises_expressionofinterest WHERE result = 'eligible'),
  (SELECT count(*) FROM enterprises_expressionofinterest
     WHERE result = 'needs_review' AND decision = '' AND NOT on_the_path),
  (SELECT json_agg(a) FROM (SELECT q.id, q.reference, q.legal_name, c.title FROM enterprises_expressionofinterest q
     JOIN enterprises_call c ON c.id = q.call_id WHERE q.decision = '' AND NOT q.on_the_path
     ORDER BY q.submitted_at, q.id LIMIT 5) a),
  (SELECT count(*) FROM enterprises_expressionofinterest WHERE decision = '' AND NOT on_the_path),
  (SELECT count(*) FROM enterprises_enterprise WHERE stage IN {TRAINING}),
  (SELECT count(DISTINCT enterprise_id) FROM baseline_round
     WHERE kind IN ('basic_baseline', 'comprehensive_baseline')),
  (SELECT count(*) FROM enterprises_enterprise e
     WHERE EXISTS (SELECT 1 FROM baseline_change c WHERE c.enterprise_id = e.id)),
  (SELECT json_agg(o) FROM (SELECT e.id, e.legal_name, e.stage, e.stage_changed_at FROM enterprises_enterprise e
     WHERE {OVER_LIMIT}
     ORDER BY e.stage_changed_at, e.id LIMIT 5) o),
  (SELECT count(*) FROM enterprises_enterprise e
     WHERE {OVER_LIMIT}),
  (SELECT json_agg(l) FROM (SELECT e.id, e.legal_name FROM enterprises_enterprise e
     WHERE e.stage = 'level1_accepted' AND e.stage_changed_at < now() - interval '4 months'
     ORDER BY e.stage_changed_at, e.id LIMIT 5) l),
  (SELECT count(*) FROM enterprises_enterprise
     WHERE stage = 'level1_accepted' AND stage_changed_at < now() - interval '4 months'),
  (SELECT count(*) FROM enterprises_hiringcondition h JOIN enterprises_enterprise e ON e.id = h.enterprise_id
     WHERE h.hired_on IS NULL AND h.due_on <= CURRENT_DATE + 14 AND e.stage NOT IN ('withdrawn', 'not_selected')),
  (SELECT json_agg(a) FROM (SELECT a.id, a.what, a.due_on, e.legal_name FROM training_visitaction a
     JOIN training_visit v ON v.id = a.visit_id JOIN enterprises_enterprise e ON e.id = v.enterprise_id
     WHERE v.status = 'submitted' AND a.due_on < CURRENT_DATE AND a.status IN ('open', 'in_progress')
     ORDER BY a.due_on, a.id LIMIT 5) a),
  (SELECT count(*) FROM training_visitaction a JOIN training_visit v ON v.id = a.visit_id
     WHERE v.status = 'submitted' AND a.due_on < CURRENT_DATE AND a.status IN ('open', 'in_progress')),
  (SELECT json_agg(n) FROM (SELECT e.id, e.legal_name,
       (SELECT max(v.date) FROM training_visit v
         WHERE v.enterprise_id = e.id AND v.status = 'submitted' AND v.date <= CURRENT_DATE) AS last_visit
     FROM enterprises_enterprise e WHERE e.stage IN {IN_PROGRAMME} AND {NOT_VISITED}
     ORDER BY last_visit NULLS FIRST, e.id LIMIT 5) n),
  (SELECT count(*) FROM enterprises_enterprise e WHERE e.stage IN {IN_PROGRAMME} AND {NOT_VISITED}),
  (SELECT count(*) FROM reporting_reportjob j WHERE j.status = 'failed' AND NOT EXISTS
     (SELECT 1 FROM reporting_reportjob d WHERE d.signature = j.signature AND d.status = 'done'
      AND d.created_at > j.created_at)),
  (SELECT json_agg(r) FROM (SELECT id, kind, status FROM reporting_reportjob ORDER BY created_at DESC LIMIT 5) r),
  (SELECT count(*) FROM score_portal_outgoingmessage WHERE status = 'failed'),
  (SELECT count(*) FROM training_session WHERE date BETWEEN CURRENT_DATE AND CURRENT_DATE + 6),
  (SELECT count(*) FROM training_visit WHERE date BETWEEN CURRENT_DATE AND CURRENT_DATE + 6),
  (SELECT json_agg(t) FROM (SELECT id, metric, value FROM reporting_target ORDER BY deadline, id) t),
  (SELECT json_agg(r) FROM (SELECT e.call_id, count(*) AS enterprises, sum(q.workforce_total) AS workers,
       sum(q.workforce_women) AS women, sum(q.workforce_men) AS men FROM enterprises_enterprise e
     JOIN enterprises_expressionofinterest q ON q.id = e.expression_of_interest_id
     WHERE e.stage IN {IN_PROGRAMME} GROUP BY e.call_id) r),
  (SELECT json_agg(p) FROM (SELECT e.call_id, count(*) AS n, count(*) FILTER (WHERE p.sex = 'female') AS women
     FROM training_participant p JOIN enterprises_enterprise e ON e.id = p.enterprise_id GROUP BY e.call_id) p),
  (SELECT json_agg(k) FROM (SELECT c.indicator_id, e.call_id, count(*) AS n,
       count(*) FILTER (WHERE c.improved) AS improving
     FROM baseline_change c JOIN enterprises_enterprise e ON e.id = c.enterprise_id
     WHERE c.sex = 'all' AND c.indicator_id IN (SELECT indicator_id FROM reporting_target)
     GROUP BY c.indicator_id, e.call_id) k)
"""  # noqa: S608 - constants only

# The consultant's home: the same for the enterprises assigned to them (the consultant's id is put in later),
# with the visits due (a visit's next date passed and no later visit).
MINE = "(SELECT enterprise_id FROM enterprises_consultantassignment WHERE consultant_id = {consultant})"
CONSULTANT_HOME = f"""
SELECT
  (SELECT count(*) FROM enterprises_enterprise WHERE id IN {MINE}),
  (SELECT count(*) FROM training_visit WHERE consultant_id = {{consultant}} AND enterprise_id IN {MINE}
     AND date BETWEEN CURRENT_DATE AND CURRENT_DATE + 6),
  (SELECT count(*) FROM training_visitaction a JOIN training_visit v ON v.id = a.visit_id
     WHERE v.consultant_id = {{consultant}} AND v.enterprise_id IN {MINE} AND v.status = 'submitted'
       AND a.due_on < CURRENT_DATE AND a.status IN ('open', 'in_progress')),
  (SELECT json_agg(d) FROM (SELECT v.id, v.next_visit_on, e.legal_name FROM training_visit v
     JOIN enterprises_enterprise e ON e.id = v.enterprise_id
     WHERE v.consultant_id = {{consultant}} AND v.enterprise_id IN {MINE} AND {VISIT_DUE}
     ORDER BY v.next_visit_on, v.id LIMIT 5) d),
  (SELECT count(*) FROM training_visit v
     WHERE v.consultant_id = {{consultant}} AND v.enterprise_id IN {MINE} AND {VISIT_DUE}),
  (SELECT json_agg(a) FROM (SELECT a.id, a.what, a.due_on, e.legal_name FROM training_visitaction a
     JOIN training_visit v ON v.id = a.visit_id JOIN enterprises_enterprise e ON e.id = v.enterprise_id
     WHERE v.enterprise_id IN {MINE} AND v.status = 'submitted' AND a.due_on < CURRENT_DATE
       AND a.status IN ('open', 'in_progress') ORDER BY a.due_on, a.id LIMIT 5) a),
  (SELECT json_agg(n) FROM (SELECT e.id, e.legal_name,
       (SELECT max(v.date) FROM training_visit v
         WHERE v.enterprise_id = e.id AND v.status = 'submitted' AND v.date <= CURRENT_DATE) AS last_visit
     FROM enterprises_enterprise e WHERE e.id IN {MINE} AND e.stage IN {IN_PROGRAMME} AND {NOT_VISITED}
     ORDER BY last_visit NULLS FIRST, e.id LIMIT 5) n),
  (SELECT count(*) FROM enterprises_enterprise e WHERE e.id IN {MINE}
     AND e.stage IN {IN_PROGRAMME} AND {NOT_VISITED}),
  (SELECT json_agg(w) FROM (SELECT s.id, s.date FROM training_session s
     WHERE s.trainer_id = {{consultant}} AND s.date BETWEEN CURRENT_DATE AND CURRENT_DATE + 6
     ORDER BY s.date, s.start_time, s.id LIMIT 10) w)
"""  # noqa: S608 - constants only; the consultant's id is put in by measure()

# (role, label, url template, raw SQL). The raw SQL computes what the page shows, in one go.
PAGES = [
    ("officer", "home", "/", OFFICER_HOME),
    (
        "officer",
        "/batches/<pk>/ shortlisting",
        "/batches/{batch}/",
        """SELECT q.id, q.legal_name, q.result, q.workforce_total,
                  s.criteria_met, s.criteria_conditional, s.criteria_not_met
           FROM enterprises_expressionofinterest q
           JOIN enterprises_screening s ON s.id = q.current_screening_id
           LEFT JOIN enterprises_enterprise e ON e.registration_key = q.registration_key
           WHERE q.call_id = {call} AND q.result <> 'pending'
             AND (e.id IS NULL
                  OR e.stage IN ('eoi_received', 'screened', 'withdrawn', 'not_selected', 'level2_completed'))
           ORDER BY q.result, s.criteria_not_met, s.criteria_met DESC, q.workforce_total DESC LIMIT 50""",
    ),
    (
        "officer",
        "/baseline/enterprises/",
        "/baseline/enterprises/",
        """SELECT e.id, e.legal_name, count(r.id), max(r.held_on) FROM enterprises_enterprise e
           LEFT JOIN baseline_round r ON r.enterprise_id = e.id GROUP BY e.id ORDER BY e.legal_name, e.id LIMIT 50""",
    ),
    (
        "officer",
        "/baseline/",
        "/baseline/",
        """SELECT indicator_id, sex, count(*), count(*) FILTER (WHERE improved),
                  percentile_cont(0.5) WITHIN GROUP (ORDER BY change),
                  percentile_cont(0.5) WITHIN GROUP (ORDER BY change_pct)
           FROM baseline_change GROUP BY indicator_id, sex""",
    ),
    (
        "officer",
        "/baseline/?by=sub_sector",
        "/baseline/?by=sub_sector",
        """SELECT c.indicator_id, c.sex, e.sub_sector, count(*), count(*) FILTER (WHERE c.improved),
                  percentile_cont(0.5) WITHIN GROUP (ORDER BY c.change),
                  percentile_cont(0.5) WITHIN GROUP (ORDER BY c.change_pct)
           FROM baseline_change c JOIN enterprises_enterprise e ON e.id = c.enterprise_id
           GROUP BY c.indicator_id, c.sex, e.sub_sector""",
    ),
    (
        "officer",
        "/baseline/?by=batch",
        "/baseline/?by=batch",
        # The page shows 10 batches: the counts of every batch (the confidentiality rule reads them
        # all), the medians of the page's batches.
        """SELECT c.indicator_id, c.sex, e.batch_id, count(*), count(*) FILTER (WHERE c.improved),
                  percentile_cont(0.5) WITHIN GROUP (ORDER BY c.change) FILTER (WHERE p.id IS NOT NULL),
                  percentile_cont(0.5) WITHIN GROUP (ORDER BY c.change_pct) FILTER (WHERE p.id IS NOT NULL)
           FROM baseline_change c JOIN enterprises_enterprise e ON e.id = c.enterprise_id
           LEFT JOIN (SELECT id FROM enterprises_level1batch ORDER BY name LIMIT 10) p ON p.id = e.batch_id
           GROUP BY c.indicator_id, c.sex, e.batch_id""",
    ),
    (
        "officer",
        "/training/delivery/",
        "/training/delivery/",
        """SELECT b.id, b.name, count(e.id) FROM enterprises_level1batch b
           LEFT JOIN enterprises_enterprise e ON e.batch_id = b.id GROUP BY b.id""",
    ),
    (
        "officer",
        "/reports/",
        "/reports/",
        "SELECT id, kind, status, created_at FROM reporting_reportjob ORDER BY created_at DESC LIMIT 25",
    ),
    (
        "officer",
        "/reports/enterprise/?q=",
        "/reports/enterprise/?q=Indus",
        """SELECT id, legal_name, city FROM enterprises_enterprise
           WHERE legal_name ILIKE '%Indus%' OR city ILIKE '%Indus%' ORDER BY legal_name, id LIMIT 21""",
    ),
    (
        "officer",
        "/screening/ (lists)",
        "/screening/",
        """SELECT id, reference, legal_name, result FROM enterprises_expressionofinterest
           ORDER BY submitted_at DESC LIMIT 50""",
    ),
    (
        "officer",
        "/enterprises/ (lists)",
        "/enterprises/",
        "SELECT id, legal_name, stage FROM enterprises_enterprise ORDER BY legal_name LIMIT 50",
    ),
    (
        "officer",
        "/training/visits/ (lists)",
        "/training/visits/",
        """SELECT v.id, v.date, count(a.id) FROM training_visit v LEFT JOIN training_visitaction a ON a.visit_id = v.id
           GROUP BY v.id ORDER BY v.date DESC LIMIT 50""",
    ),
    (
        "consultant",
        "home",
        "/",
        CONSULTANT_HOME,
    ),
    (
        "consultant",
        "/baseline/enterprises/",
        "/baseline/enterprises/",
        """SELECT e.id, count(r.id), max(r.held_on) FROM enterprises_enterprise e
           JOIN enterprises_consultantassignment a ON a.enterprise_id = e.id
           LEFT JOIN baseline_round r ON r.enterprise_id = e.id WHERE a.consultant_id = {consultant}
           GROUP BY e.id ORDER BY e.legal_name LIMIT 50""",
    ),
    (
        "consultant",
        "/training/visits/ (lists)",
        "/training/visits/",
        """SELECT v.id, v.date, count(a.id) FROM training_visit v LEFT JOIN training_visitaction a ON a.visit_id = v.id
           WHERE v.consultant_id = {consultant} GROUP BY v.id ORDER BY v.date DESC LIMIT 50""",
    ),
    (
        "enterprise",
        "home",
        "/",
        "SELECT id, stage FROM enterprises_enterprise WHERE id = {own}",
    ),
    (
        "enterprise",
        "/baseline/enterprises/<own>/",
        "/baseline/enterprises/{own}/",
        """SELECT r.id, res.indicator_id, res.sex, res.value FROM baseline_round r
           JOIN baseline_result res ON res.round_id = r.id WHERE r.enterprise_id = {own}""",
    ),
]


def p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def _env(url: str, media: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        MEDIA_ROOT=media,
        CELERY_BROKER_URL="",
        DJANGO_SETTINGS_MODULE="score_portal.settings",
        DJANGO_DEBUG="1",
    )
    env.pop("CACHE_URL", None)
    return env


def _production(env: dict, *, allowed_hosts: str, trusted_origin: str = "") -> dict:
    """The environment in production mode, as deployed: DJANGO_DEBUG=0, static files collected with
    hashed names (collected here once per run), sessions and rate limits in Redis; behind a TLS proxy
    (requests say X-Forwarded-Proto: https)."""
    static_root = Path(tempfile.gettempdir()) / "score-bench-static"
    env.update(
        DJANGO_DEBUG="0",
        SECRET_KEY="scale-benchmark-only-" + "q8Wm3Zr7" * 6,
        ALLOWED_HOSTS=allowed_hosts,
        CSRF_TRUSTED_ORIGINS=trusted_origin,
        STATIC_ROOT=str(static_root),
        EOI_SUBMISSION_RATE="1000000/h",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    if not _collected:
        subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        _collected.append(static_root)
    # BENCH_CACHE_URL=none keeps the database sessions.
    cache_url = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/14")
    if cache_url != "none":
        env["CACHE_URL"] = cache_url
    return env


_collected: list = []


def _child(mode: str, url: str, *args: str, production: bool = False) -> str:
    media = os.environ.get("BENCH_MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "score-bench-media"))
    env = _env(url, media)
    if production:
        _production(env, allowed_hosts="testserver")
    result = subprocess.run(  # noqa: S603 - our own module, with our arguments
        [sys.executable, "-m", "reporting.scale_benchmark", f"--{mode}", url, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.stderr.write(result.stderr[-4000:])
        raise SystemExit(f"{mode} on {url} failed")
    return result.stdout


# ---------------------------------------------------------------- in a child process (Django set up)
def _setup():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare(url: str, enterprises: int) -> None:
    """Create the database if missing, migrate, and seed it to `enterprises` unless it is there."""
    import psycopg

    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    _setup()
    from django.core.management import call_command

    from enterprises.models import Enterprise

    call_command("migrate", verbosity=0)
    have = Enterprise.objects.count()
    if have and (enterprises <= 60 or have >= enterprises):  # up to 60 is EOIs, not enterprises
        _as_after_autovacuum(url)
        print(json.dumps({"seeded": False, "enterprises": have}))
        return
    started = time.perf_counter()
    call_command("seed_demo", enterprises=enterprises, stdout=open(os.devnull, "w"))  # noqa: SIM115 - it vacuums
    print(
        json.dumps(
            {"seeded": True, "seconds": time.perf_counter() - started, "enterprises": Enterprise.objects.count()}
        )
    )


def _as_after_autovacuum(url: str) -> None:
    """A reused database as a running one is once autovacuum has passed after the last run's writes (its
    submissions, its report jobs): statistics for the planner, and the pages marked all-visible, which
    index-only reads need. seed_demo does the same after seeding."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")


def _passed_second_factor(client, user) -> None:
    """An officer's session as production has it after the code from the authenticator app: a confirmed
    device (made once in the benchmark's database), and the session verified with it."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts import two_factor

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="benchmark", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[two_factor.SESSION_KEY] = two_factor.VERIFY
    session.save()


def measure(url: str, runs: int) -> None:
    _setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from baseline.models import MonthlyValue
    from enterprises.models import Enterprise, ExpressionOfInterest, Level1Batch
    from training.models import Visit

    # Not setup_test_environment(): it instruments every template render for the test client's
    # `response.templates`, which production does not do: a quarter of a list page's time (201 -> 147 ms).
    settings.ALLOWED_HOSTS = ["*"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # As behind the TLS proxy in production (_production), and as gunicorn's workers do (score_portal/wsgi.py).
    https = functools.partial(Client, HTTP_X_FORWARDED_PROTO="https")
    gc.freeze()
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=["officer", "consultant", "enterprise"])
    }
    enterprise_user = users["enterprise"]
    own = enterprise_user.enterprise_contact.enterprise_id
    batch = Level1Batch.objects.order_by("pk").first()
    ids = {"batch": batch.pk, "call": batch.call_id, "consultant": users["consultant"].pk, "own": own}
    out = {
        "sizes": {
            "enterprises": Enterprise.objects.count(),
            "eois": ExpressionOfInterest.objects.count(),
            "visits": Visit.objects.count(),
            "values": MonthlyValue.objects.count(),
        },
        "pages": [],
    }
    clients = {}
    for role in ("officer", "consultant", "enterprise"):
        clients[role] = https()
        clients[role].force_login(users[role])
    _passed_second_factor(clients["officer"], users["officer"])
    for role, label, template, sql in PAGES:
        url_ = template.format(**ids)
        client = clients[role]
        response = client.get(url_)  # warm up
        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(url_)
        times, sql_times = [], []

        def timed(execute, sql, params, many, context, spent=sql_times):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent[-1] += (time.perf_counter() - started) * 1000

        for _i in range(runs):
            sql_times.append(0.0)
            started = time.perf_counter()
            with connection.execute_wrapper(timed):
                client.get(url_)
            times.append((time.perf_counter() - started) * 1000)
        raw = []
        statement = sql.format(**ids)
        with connection.cursor() as cursor:
            cursor.execute(statement)
            cursor.fetchall()
            for _i in range(runs):
                started = time.perf_counter()
                cursor.execute(statement)
                cursor.fetchall()
                raw.append((time.perf_counter() - started) * 1000)
        out["pages"].append(
            {
                "role": role,
                "page": label,
                "status": response.status_code,
                "queries": len(queries),
                "kb": len(response.content) // 1024,
                "times": times,
                "sql": sql_times,
                "raw": raw,
            }
        )
    settings.EOI_SUBMISSION_RATE = "1000000/h"
    out["form_steps"] = form_step_queries(https, connection)
    print(json.dumps(out))


def reports(url: str) -> None:
    _setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from enterprises.models import Enterprise
    from reporting import reports as report_makers
    from reporting.models import FileFormat, ReportJob, ReportKind

    officer = get_user_model().objects.get(username="officer")
    richest = (
        Enterprise.objects.annotate(rounds=Count("measurement_rounds", distinct=True)).order_by("-rounds", "pk").first()
    )
    rows = []
    for label, kind, subject in [
        ("enterprise progress PDF", ReportKind.ENTERPRISE_PROGRESS, {"enterprise": richest}),
        ("programme report PDF", ReportKind.PROGRAMME, {}),
    ]:
        job = ReportJob.objects.create(
            kind=kind,
            file_format=FileFormat.PDF,
            requested_by=officer,
            signature=f"bench-{kind}-{time.time()}",
            **subject,
        )
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            report_makers.render(job)
            seconds = time.perf_counter() - started
        rows.append({"report": label, "seconds": seconds, "queries": len(queries)})
    print(json.dumps(rows))


# ---------------------------------------------------------------- the public form under load
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def submission_steps(url: str) -> None:
    """The open call's id and each step's POST data, for the load clients (printed as JSON)."""
    _setup()
    print(json.dumps(_steps_data()))


def _steps_data() -> dict:
    from django.utils import timezone

    from enterprises.demo import eoi_data
    from enterprises.models import Call
    from enterprises.screening.forms import STEPS

    today = timezone.localdate()
    call = Call.objects.filter(opens_on__lte=today, closes_on__gte=today).order_by("pk").first()
    data = eoi_data()
    steps = []
    for name, form_class, _title in STEPS:
        fields = {}
        for field in form_class._meta.fields:
            value = data[field]
            if isinstance(value, bool):
                value = "True" if value else "False"
            fields[f"{name}-{field}"] = str(value)
        steps.append([name, fields])
    return {"call": call.pk, "steps": steps}


def form_step_queries(client_class, connection) -> dict:
    """The queries of each request of one complete public submission, with Django's test client, in
    process: as the page's script makes it (the form, every step at once answered by the review, the
    send, the confirmation), and as a browser without script (each step's POST, the review, the send)."""
    info = _steps_data()
    url = f"/apply/{info['call']}/"
    n = int(time.time() * 1000) % 900000
    answers = {}
    for _name, fields in info["steps"]:
        answers.update(fields)
    answers["enterprise-registration_number"] = f"BENCH-Q{n:06d}"
    # A name of its own: the demo's name and city, sent by every run, would become a twin of the last run's
    # (one query more, to flag both).
    answers["enterprise-legal_name"] = f"Bench Queries {n} (Pvt) Ltd"
    answers["contact-contact_email"] = f"benchq{n}@example.pk"
    scripted = [
        ("get", url, None),
        ("post", url, {**answers, f"eoi_{info['call']}-current_step": "all"}),
        ("post", f"{url}review/", {}),
    ]
    stepwise = [("get", url, None)]
    for name, fields in info["steps"]:
        data = {key: answers[key] for key in fields}
        if name == "enterprise":
            data["enterprise-registration_number"] = f"BENCH-R{n:06d}"
            data["enterprise-legal_name"] = f"Bench Steps {n} (Pvt) Ltd"
        stepwise.append(("post", url, {**data, f"eoi_{info['call']}-current_step": name}))
    stepwise += [("get", f"{url}review/", None), ("post", f"{url}review/", {})]
    # As in a worker that has served one submission already: the outbox's first message reads the EOI's
    # content type once per process (Django caches it).
    from django.contrib.contenttypes.models import ContentType

    from enterprises.models import ExpressionOfInterest

    ContentType.objects.get_for_model(ExpressionOfInterest)
    counts = {}
    for label, requests in (("scripted", scripted), ("stepwise", stepwise)):
        client = client_class(enforce_csrf_checks=False)
        counts[label] = []
        for method, path, data in requests:
            queries = []

            def count(execute, sql, params, many, context, queries=queries):
                queries.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                response = getattr(client, method)(path, data) if data is not None else client.get(path)
            assert response.status_code in (200, 302), (label, path, response.status_code)
            counts[label].append(len(queries))
            if method == "post" and path.endswith("review/"):
                with connection.execute_wrapper(count):
                    assert client.get(response["Location"]).status_code == 200
                counts[label].append(len(queries) - counts[label][-1])
    return counts


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _answers(name: str, fields: dict, n: int) -> dict:
    data = dict(fields)
    if name == "enterprise":
        data["enterprise-registration_number"] = f"BENCH-{n}"
        data["enterprise-legal_name"] = f"Bench Knitwear {n} (Pvt) Ltd"
    if name == "contact":
        data["contact-contact_email"] = f"bench{n}@example.pk"
    return data


class BehindTheProxy(DefaultCookiePolicy):
    """The clients speak plain HTTP to 127.0.0.1 as the TLS-terminating proxy would: the portal's Secure
    cookies (CSRF, draft) go back to it, as a browser sends them over HTTPS."""

    def return_ok_secure(self, cookie, request):
        return True


# What the proxy in front of production adds (README: Production), and the browser's own Origin.
def _headers(base: str) -> dict:
    return {"X-Forwarded-Proto": "https", "Origin": base}


def _submit(base: str, call: int, steps, n: int, scripted: bool) -> bool:
    """One complete submission as a browser makes it: GET the form; then, as the page's script does
    (enterprises/eoi_steps.js), POST every step at once, which answers with the review, or, as a browser
    without script, each step with its CSRF token, the last one leading to the review; then POST the
    review's send button and follow it to the confirmation."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar(BehindTheProxy())))
    opener.addheaders = list(_headers(base).items())
    page = opener.open(f"{base}/apply/{call}/", timeout=60).read().decode()
    if scripted:
        data = {"csrfmiddlewaretoken": CSRF.search(page).group(1), f"eoi_{call}-current_step": "all"}
        for name, fields in steps:
            data.update(_answers(name, fields, n))
        page = _post(opener, f"{base}/apply/{call}/", data).read().decode()
    for name, fields in [] if scripted else steps:
        data = _answers(name, fields, n)
        data.update({"csrfmiddlewaretoken": CSRF.search(page).group(1), f"eoi_{call}-current_step": name})
        page = _post(opener, f"{base}/apply/{call}/", data).read().decode()
    if 'id="send-eoi"' not in page:
        return False
    response = _post(opener, f"{base}/apply/{call}/review/", {"csrfmiddlewaretoken": CSRF.search(page).group(1)})
    response.read()
    return "/apply/done/" in response.geturl()


def _post(opener, url: str, data: dict):
    request = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode())  # noqa: S310 - 127.0.0.1 only
    return opener.open(request, timeout=60)


def _cpu_seconds(stat: str) -> float:
    """User and system CPU so far of a process, from its /proc/<pid>/stat text."""
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _server_cpu_seconds(master_pid: int) -> float:
    """User and system CPU of gunicorn's workers so far (from /proc: Linux only; 0 elsewhere)."""
    try:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
        return sum(_cpu_seconds(Path(f"/proc/{pid}/stat").read_text()) for pid in children)
    except OSError:
        return 0.0


def _cpu_of_programs(names: tuple[str, ...]) -> float:
    """User and system CPU so far of every process running one of these programs (PostgreSQL's and
    Redis's servers; Linux only, 0 elsewhere): what the database and the cache spend on the load."""
    total = 0.0
    for path in Path("/proc").glob("[0-9]*/stat"):
        try:
            stat = path.read_text()
        except OSError:  # the process ended meanwhile
            continue
        if stat[stat.find("(") + 1 : stat.rfind(")")].startswith(names):
            total += _cpu_seconds(stat)
    return total


def load(
    url: str, clients: int, submissions: int, scripted: bool = True, workers: int = 2, broker: str = "none"
) -> dict:
    info = json.loads(_child("steps", url))
    port = _free_port()
    media = os.environ.get("BENCH_MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "score-bench-media"))
    # In production mode, as deployed. The acknowledgements are queued in the outbox and handed to a Celery
    # worker on the same machine through `broker`, as in production; with broker "none", sent in the web
    # process. To nowhere.
    env = _production(_env(url, media), allowed_hosts="127.0.0.1", trusted_origin=f"http://127.0.0.1:{port}")
    worker = None
    if broker != "none":
        env["CELERY_BROKER_URL"] = broker
        env["CELERY_RESULT_BACKEND"] = broker
        # Nothing left in the queue by an earlier run (the worker would send it and count it here).
        subprocess.run(  # noqa: S603 - our own celery app
            [str(Path(sys.executable).parent / "celery"), "-A", "score_portal", "purge", "-f"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        worker = subprocess.Popen(  # noqa: S603 - the project's worker, one process
            [
                str(Path(sys.executable).parent / "celery"),
                "-A",
                "score_portal",
                "worker",
                "--concurrency",
                "1",
                "--loglevel",
                "WARNING",
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
        )
    server = subprocess.Popen(  # noqa: S603 - the project's gunicorn on 127.0.0.1
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "score_portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _i in range(300):
            try:
                request = urllib.request.Request(f"{base}/calls/", headers=_headers(base))  # noqa: S310
                urllib.request.urlopen(request, timeout=10).read()  # noqa: S310
                break
            except OSError:  # refused, reset or timed out while gunicorn starts
                time.sleep(0.2)
        # Numbers no earlier run used (one run's are refused as duplicates by the next, or flag twins).
        start_n = time.time_ns() // 1_000_000 * 10_000
        counter = iter(range(start_n, start_n + submissions))
        lock = threading.Lock()
        confirmed, failed = [], []

        def client():
            while True:
                with lock:
                    n = next(counter, None)
                if n is None:
                    return
                try:
                    (confirmed if _submit(base, info["call"], info["steps"], n, scripted) else failed).append(n)
                except Exception as exc:  # noqa: BLE001 - a failed request is counted, not fatal
                    failed.append((n, repr(exc)[:80]))

        threads = [threading.Thread(target=client) for _i in range(clients)]
        cpu_before = _server_cpu_seconds(server.pid)
        worker_before = _server_cpu_seconds(worker.pid) if worker else 0.0
        services_before = _cpu_of_programs(("postgres", "redis-server"))
        clients_before = time.process_time()
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
        server_cpu = _server_cpu_seconds(server.pid) - cpu_before
        services_cpu = _cpu_of_programs(("postgres", "redis-server")) - services_before
        clients_cpu = time.process_time() - clients_before
        load_after = os.getloadavg()[0]
        # The worker may still be sending what the load queued: wait for it (at most two minutes).
        drained = 0.0
        while True:
            counted = json.loads(_child("count", url, str(start_n), str(submissions)))
            waiting = counted["messages"].get("waiting", 0) + counted["messages"].get("sending", 0)
            if not waiting or drained > 120:
                break
            time.sleep(1)
            drained = time.perf_counter() - started - seconds
        worker_cpu = _server_cpu_seconds(worker.pid) - worker_before if worker else 0.0
    finally:
        for process in (server, worker):
            if process is not None:
                # The master stops its own workers (signalled too, gunicorn logs each as an error).
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=30)
    rows = counted["rows"]
    return {
        "clients": clients,
        "workers": workers,
        "submissions": submissions,
        "confirmed": len(confirmed),
        "failed": len(failed),
        "rows": rows,
        "lost": len(confirmed) - rows,
        "seconds": seconds,
        "per_second": len(confirmed) / seconds if seconds else 0,
        "first_failure": failed[0] if failed else None,
        # CPU of the server per confirmed submission: what the figure per second would be on idle cores.
        "server_cpu_ms": 1000 * server_cpu / len(confirmed) if confirmed else 0,
        # What else the same cores spent per submission: PostgreSQL and Redis, and the clients themselves.
        "services_cpu_ms": 1000 * services_cpu / len(confirmed) if confirmed else 0,
        "clients_cpu_ms": 1000 * clients_cpu / len(confirmed) if confirmed else 0,
        "worker_cpu_ms": 1000 * worker_cpu / len(confirmed) if confirmed else 0,
        "broker": broker,
        "acknowledgements": counted["messages"],
        "drained": drained,
        "load": (load_before, load_after),
    }


def count_rows(url: str, start: int, n: int) -> None:
    _setup()
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count

    from enterprises.models import ExpressionOfInterest
    from score_portal.models import OutgoingMessage

    numbers = [f"BENCH-{i}" for i in range(start, start + n)]
    ids = list(ExpressionOfInterest.objects.filter(registration_number__in=numbers).values_list("pk", flat=True))
    messages = (
        OutgoingMessage.objects.filter(
            related_type=ContentType.objects.get_for_model(ExpressionOfInterest), related_id__in=ids
        )
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    print(json.dumps({"rows": len(ids), "messages": dict(messages)}))


# ---------------------------------------------------------------- the whole run
def _print_load(result: dict) -> None:
    print(
        f"public form: {result['confirmed']} confirmed of {result['submissions']} complete submissions "
        f"by {result['clients']} clients, gunicorn with {result['workers']} workers, "
        f"in {result['seconds']:.1f} s = {result['per_second']:.1f}/s; "
        f"rows written {result['rows']}, lost {result['lost']}, failed {result['failed']}"
        + (f" (first: {result['first_failure']})" if result["first_failure"] else "")
    )
    print(
        f"public form: {result['server_cpu_ms']:.0f} ms of server CPU per submission (gunicorn's workers), "
        f"{result['services_cpu_ms']:.0f} ms of PostgreSQL and Redis, {result['clients_cpu_ms']:.0f} ms of the "
        f"clients; load average {result['load'][0]:.1f} before and {result['load'][1]:.1f} after the load"
    )
    statuses = ", ".join(f"{status} {n}" for status, n in sorted(result["acknowledgements"].items())) or "none"
    if result["broker"] == "none":
        print(f"public form: acknowledgements sent in the web process (no broker): {statuses}")
    else:
        print(
            f"public form: acknowledgements through {result['broker']} to one Celery worker on the same cores: "
            f"{statuses}, the last {result['drained']:.0f} s after the load; {result['worker_cpu_ms']:.0f} ms of "
            "the worker's CPU per submission"
        )


def load_rounds(url: str, args) -> None:
    """The public form's load, `args.load_rounds` times in a row (a fresh gunicorn each): on a shared host the
    same code ran at 41 to 56 a second within ten minutes. Each round's lines come with the machine's speed
    at the Python loop just before it; the summary gives the median round and the range."""
    results = []
    for number in range(1, args.load_rounds + 1):
        if args.load_rounds > 1:
            print(f"round {number} of {args.load_rounds} (the Python loop just before: {_python_speed():.2f} s)")
        results.append(load(url, args.clients, args.submissions, workers=args.workers, broker=args.broker))
        _print_load(results[-1])
    if len(results) > 1:
        rates = sorted(result["per_second"] for result in results)
        cpu = statistics.median(result["server_cpu_ms"] for result in results)
        print(
            f"public form over {len(results)} rounds: median {statistics.median(rates):.1f}/s "
            f"(from {rates[0]:.1f} to {rates[-1]:.1f}), {cpu:.0f} ms of gunicorn's CPU per submission (median); "
            f"lost {sum(result['lost'] for result in results)}, failed {sum(result['failed'] for result in results)}"
        )


def _python_speed() -> float:
    """How fast this machine runs Python: the same figures differ twofold between two 2-core machines."""
    best = float("inf")
    for _run in range(3):
        started = time.perf_counter()
        total = 0
        for i in range(10_000_000):
            total += i
        best = min(best, time.perf_counter() - started)
    return best


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--submissions", type=int, default=200)
    # gunicorn's workers for the public form: one per core did best on 2 cores (3: 36-40/s, 2: 43-45/s).
    parser.add_argument("--workers", type=int, default=2)
    # The acknowledgements: "none" sends them in the web process (the earlier runs' figures); a broker's URL
    # (e.g. redis://127.0.0.1:6379/15) hands them to one Celery worker on the same cores, as in production.
    parser.add_argument("--broker", default=os.environ.get("BENCH_BROKER_URL", "none"))
    # The load in rounds, each with a fresh gunicorn: the median round is the figure (a shared host varies).
    parser.add_argument("--load-rounds", type=int, default=3)
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--skip-reports", action="store_true")
    # Only the public form under load, on BENCH_DATABASE_URL as it is (it needs an open call, e.g. `seed_demo`).
    parser.add_argument("--load-only", action="store_true")
    # the child modes
    parser.add_argument("--prepare", nargs=2, metavar=("URL", "N"))
    parser.add_argument("--measure", nargs=2, metavar=("URL", "RUNS"))
    parser.add_argument("--reports", metavar="URL")
    parser.add_argument("--steps", metavar="URL")
    parser.add_argument("--count", nargs=3, metavar=("URL", "START", "N"))
    args = parser.parse_args(argv)
    if args.prepare:
        return prepare(args.prepare[0], int(args.prepare[1])) or 0
    if args.measure:
        return measure(args.measure[0], int(args.measure[1])) or 0
    if args.reports:
        return reports(args.reports) or 0
    if args.steps:
        return submission_steps(args.steps) or 0
    if args.count:
        return count_rows(args.count[0], int(args.count[1]), int(args.count[2])) or 0

    big = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    small = os.environ.get("BENCH_SMALL_DATABASE_URL", big.rstrip("/") + "_small")
    print(f"# SCORE Portal scale benchmark, {time.strftime('%Y-%m-%d %H:%M %Z')}")
    print(
        f"# machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start; "
        f"a pure-Python loop of 10 million additions in {_python_speed():.2f} s (best of 3; to compare machines)"
    )
    # Which CPython ran it, as its build counts beside the machine: on one host, in the same minutes, Debian's
    # python3.11 ran the loop above in 0.29 s and a CPython built from source by pyenv in 0.36 s.
    print(f"# Python {platform.python_version()}: {os.path.realpath(sys.executable)}")
    if args.load_only:
        # As a reused database is for the whole run: a run's submissions leave thousands of rows unanalysed
        # and dead for the next (on a server without autovacuum, the duplicate check went from 1 ms to 7).
        _as_after_autovacuum(big)
        load_rounds(big, args)
        print(f"# load average {os.getloadavg()[0]:.1f} at the end")
        return 0
    # The small database as in the issue that set the targets: 62 enterprises (full pages of 50 rows).
    for url, n in ((small, SMALL_ENTERPRISES), (big, args.enterprises)):
        # the last line: seeding may print before it
        state = json.loads(_child("prepare", url, str(n)).strip().splitlines()[-1])
        if state["seeded"]:
            print(f"seeded {state['enterprises']} enterprises in {state['seconds']:.0f} s ({url})")
        else:
            print(f"reusing {state['enterprises']} enterprises ({url})")
    # Small and big in turns (ROUNDS each), so that a machine that slows down for a while (a shared host)
    # slows both sizes alike instead of counting as growth.
    runs = [{}, {}]
    for _round in range(ROUNDS):
        for index, url in enumerate((small, big)):
            run = json.loads(_child("measure", url, str(max(1, args.runs // ROUNDS)), production=True))
            if not runs[index]:
                runs[index] = run
            else:
                for page, more in zip(runs[index]["pages"], run["pages"], strict=True):
                    for key in ("times", "sql", "raw"):
                        page[key] += more[key]
    small_run, big_run = runs
    for run in runs:
        for page in run["pages"]:
            page.update(
                p50=statistics.median(page["times"]),
                p95=p95(page["times"]),
                sql_p50=statistics.median(page["sql"]),
                raw_p50=statistics.median(page["raw"]),
            )
    print(f"small: {small_run['sizes']}")
    print(f"big:   {big_run['sizes']}")
    print()
    header = (
        f"{'role':<11}{'page':<30}{'queries':>8}{'KB':>6}{'p50 ms':>8}{'p95 ms':>8}"
        f"{'small p50':>10}{'growth':>8}{'raw SQL p50':>12}{'growth/raw':>11}{'its SQL':>8}{'SQL growth':>11}"
    )
    print(header)
    print("-" * len(header))
    for s, b in zip(small_run["pages"], big_run["pages"], strict=True):
        growth = b["p50"] - s["p50"]
        ratio = growth / b["raw_p50"] if b["raw_p50"] > 0 else float("inf")
        flag = "" if b["status"] == 200 else f"  (HTTP {b['status']})"
        print(
            f"{b['role']:<11}{b['page']:<30}{b['queries']:>8}{b['kb']:>6}{b['p50']:>8.0f}{b['p95']:>8.0f}"
            f"{s['p50']:>10.0f}{growth:>8.0f}{b['raw_p50']:>12.1f}{ratio:>11.1f}"
            f"{b['sql_p50']:>8.0f}{b['sql_p50'] - s['sql_p50']:>11.0f}{flag}"
        )
    print()
    print(
        f"public form, queries per request, with the page's script (the form, the four steps at once "
        f"answered by the review, the send, the confirmation): {big_run['form_steps']['scripted']}; without "
        f"script (the form, each step, the review, the send, the confirmation): {big_run['form_steps']['stepwise']} "
        "(the send with the acknowledgement handed over in process: no broker here)"
    )
    if not args.skip_load:
        print()
        load_rounds(big, args)
    if not args.skip_reports:
        print()
        for row in json.loads(_child("reports", big)):
            print(f"{row['report']}: {row['seconds']:.1f} s, {row['queries']} queries")
    print(f"# the same Python loop at the end: {_python_speed():.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
