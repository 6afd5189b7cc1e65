"""Shared test personas and the real-service fixtures (browser, Celery worker)."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

from score_portal.roles import CONSULTANT, ENTERPRISE_CONTACT, OFFICER, role_group

CHROMIUM = "/usr/bin/chromium"
# The django_db mark's parameters, in the order pytest-django takes them positionally.
DJANGO_DB_MARK_ARGS = ("transaction", "reset_sequences", "databases", "serialized_rollback", "available_apps")
BASE_DIR = Path(__file__).resolve().parent


# ---------------------------------------------------------------- speed
@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # The personas get real passwords; PBKDF2's deliberate slowness (0.3 s a hash) buys nothing in tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def language_reset():
    """Each test starts in the default language: a test that renders in Urdu (translation.activate)
    would otherwise leave the next test of its process reading Urdu labels."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """A transaction around a whole test module, rolled back at its end: data that several tests
    only read (the demo, say) is made once per module. Tests inside still get their own savepoint."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def fresh_cache():
    # Rate-limit counters live in the cache (local memory in tests): no test inherits another's.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    # The .mo files are not kept in the repository: compile them (polib, only the stale ones) so that a
    # bare `pytest` sees the Urdu of locale/ as `make test` and `make run` do.
    from score_portal.translations import compile_translations

    compile_translations()


# ---------------------------------------------------------------- personas
def make_user(django_user_model, username, role=None, **extra):
    user = django_user_model.objects.create_user(
        username=username, password="correct-horse-battery", email=f"{username}@example.org", **extra
    )
    if role:
        user.groups.add(role_group(role))
    return user


@pytest.fixture
def officer(django_user_model):
    return make_user(django_user_model, "officer1", OFFICER, first_name="Sadia", last_name="Hameed")


@pytest.fixture
def consultant(django_user_model):
    return make_user(django_user_model, "consultant1", CONSULTANT, first_name="Imran")


@pytest.fixture
def other_consultant(django_user_model):
    return make_user(django_user_model, "consultant2", CONSULTANT, first_name="Bilal")


@pytest.fixture
def contact(django_user_model):
    return make_user(django_user_model, "contact1", ENTERPRISE_CONTACT, first_name="Ayesha")


@pytest.fixture
def other_contact(django_user_model):
    return make_user(django_user_model, "contact2", ENTERPRISE_CONTACT, first_name="Zara")


@pytest.fixture
def enterprise(officer, consultant, contact):
    """An enterprise with `consultant` assigned and `contact` as its own contact person."""
    from enterprises.path import services
    from enterprises.tests.factories import make_enterprise

    enterprise = make_enterprise(officer, number="5000-1", legal_name="Indus Knitwear (Pvt) Ltd")
    services.assign_consultant(enterprise, consultant, by=officer)
    services.link_contact(contact, enterprise)
    return enterprise


@pytest.fixture
def other_enterprise(officer, other_consultant, other_contact):
    """Another enterprise: `other_consultant` and `other_contact` belong to it, not to `enterprise`."""
    from enterprises.path import services
    from enterprises.tests.factories import make_enterprise

    enterprise = make_enterprise(officer, number="5000-2", legal_name="Ravi Denim Mills", city="Faisalabad")
    services.assign_consultant(enterprise, other_consultant, by=officer)
    services.link_contact(other_contact, enterprise)
    return enterprise


PERSONAS = ("officer", "consultant", "other_consultant", "contact", "other_contact", "anonymous")


@pytest.fixture
def persona_client(client, request, enterprise, other_enterprise):
    """A function persona -> test client logged in as that persona (or anonymous), around `enterprise`:
    consultant is assigned to it and contact belongs to it; the "other" ones belong elsewhere."""

    def login(persona: str):
        client.logout()
        if persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        return client

    return login


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


# ---------------------------------------------------------------- browser
def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config, items):
    # A transactional test (a worker, a browser, a second connection) empties the database at its end.
    # Every one of them puts back the rows the data migrations made (roles, indicator catalogue,
    # modules, holidays) from the copy taken when the test database was made: all or none, because a
    # flush without that restore re-runs post_migrate, whose role groups then collide with a restore.
    for item in items:
        if _is_transactional(item) and "django_db_serialized_rollback" not in item.fixturenames:
            item.fixturenames.append("django_db_serialized_rollback")
            # pytest-django serializes the rows when it makes the test database only if some test asks
            # for it, and for a test with a django_db mark it reads the mark, not the fixture: the
            # production lane run alone (`make test-production`) would restore nothing after its first test.
            marker = item.get_closest_marker("django_db")
            if marker is not None:
                params = dict(zip(DJANGO_DB_MARK_ARGS, marker.args, strict=False)) | marker.kwargs
                item.add_marker(pytest.mark.django_db(**params | {"serialized_rollback": True}), append=False)
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(
        reason=f"browser test skipped: {CHROMIUM} not found. Install it with `apt-get install chromium`."
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium, never a downloaded build; flags keep it off the (closed) network.
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-GB", "timezone_id": "Asia/Karachi"}


@pytest.fixture
def csp_violations(page):
    """The Content-Security-Policy violations the browser reports while the test runs, on every page
    it visits: the `securitypolicyviolation` events and Chromium's console errors about the policy."""
    violations = []
    page.expose_function("__scoreCspViolation", lambda text: violations.append(text))
    page.add_init_script(
        """document.addEventListener("securitypolicyviolation", (e) => window.__scoreCspViolation(
             `${e.violatedDirective} blocked ${e.blockedURI || "inline"} on ${e.documentURI}`));"""
    )
    page.on("console", lambda msg: "Content Security Policy" in msg.text and violations.append(msg.text))
    return violations


def pytest_configure(config):
    # Playwright's sync API starts an event loop in the main thread and keeps it for the
    # session, and Django's ORM refuses to run beside a running loop unless told it is safe.
    # The portal has no async code, so in tests it is.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    own_broker_per_test_process()


def own_broker_per_test_process():
    """Under pytest-xdist (`make test` runs two processes) each process sends its tasks to a Redis
    database of its own, the next ones after CELERY_BROKER_URL's: a real worker started by one
    process must never take the tasks of the other, whose rows it cannot see. pytest-django gives
    each process its own test database already.

    Celery reads CELERY_BROKER_URL from the environment before its configuration, and Django's
    settings were read before this hook: all three are set, before any connection is made."""
    process = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", ...
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not process.startswith("gw") or not url.startswith("redis://"):
        return
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0) + 1 + int(process.removeprefix("gw"))
    own = urlunsplit(parts._replace(path=f"/{number}"))
    os.environ["CELERY_BROKER_URL"] = own
    if url == settings.CELERY_RESULT_BACKEND:
        settings.CELERY_RESULT_BACKEND = own
    settings.CELERY_BROKER_URL = own
    from score_portal.celery import app

    app.conf.broker_url = own
    app.conf.result_backend = settings.CELERY_RESULT_BACKEND


# ---------------------------------------------------------------- transactional tests
@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """The test database, with the serialized copy of the data migrations' rows kept where every
    connection object finds it.

    serialized_rollback restores that copy, which Django keeps on the connection object that created
    the database. Once a browser test has started, Playwright's event loop runs in the main thread and
    Django's connection handler (an asgiref Local) hands out other connection objects, without the copy:
    transactional tests after it would silently start from an empty, flushed database."""
    from django.db import DEFAULT_DB_ALIAS, connections

    wrapper = connections[DEFAULT_DB_ALIAS]
    contents = getattr(wrapper, "_test_serialized_contents", None)
    if contents is not None:
        type(wrapper)._test_serialized_contents = contents
    yield


# ---------------------------------------------------------------- real services
def skip_without_service(reason: str):
    """Skip, or fail where the services must be there (CI sets REQUIRE_REAL_SERVICES=1): a production
    lane that quietly skips would let a broken deployment pass."""
    if os.environ.get("REQUIRE_REAL_SERVICES") == "1":
        pytest.fail(f"{reason} (REQUIRE_REAL_SERVICES=1)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def worker_broker_url():
    """The broker `celery_worker_process` listens on; a test with a Redis of its own overrides this."""
    return settings.CELERY_BROKER_URL


@pytest.fixture
def server_env(transactional_db, worker_broker_url):
    """The environment of a process a test starts beside itself (a Celery worker, a web server):
    the test database and the broker, so that it sees the rows the test commits."""
    if not worker_broker_url:
        skip_without_service(
            "worker or production test skipped: CELERY_BROKER_URL is not set, so tasks run in-process. "
            "Set CELERY_BROKER_URL=redis://127.0.0.1:6379/0 (as .ci/run does) to run it."
        )
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        skip_without_service(
            "worker or production test skipped: it needs DATABASE_URL on PostgreSQL, so that the worker (and the "
            "web server of the production tests) shares the test database."
        )
    credentials = f"{db['USER']}:{db.get('PASSWORD') or ''}"
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": worker_broker_url,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }


@pytest.fixture
def celery_worker_process(server_env, worker_broker_url):
    """A real `celery worker` process on the broker in `worker_broker_url`, using the test database."""
    celery = shutil.which("celery", path=str(Path(sys.executable).parent)) or "celery"
    proc = subprocess.Popen(  # noqa: S603 - fixed command line
        [
            celery,
            "-A",
            "score_portal",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            f"--hostname=test-{os.getpid()}@%h",
        ],
        cwd=BASE_DIR,
        env=server_env,
    )
    from celery import Celery

    # Pinged from an app of its own on the worker's broker: the portal's app keeps a producer pool
    # on the broker it first used, which need not be this one.
    pinger = Celery("worker-ping", set_as_current=False)
    pinger.conf.broker_write_url = worker_broker_url  # wins over CELERY_BROKER_URL in the environment
    deadline = time.monotonic() + 60
    with pinger, pinger.connection_for_write() as connection:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"celery worker exited with {proc.returncode}")
            if pinger.control.ping(timeout=1, connection=connection):
                break
        else:
            proc.terminate()
            raise RuntimeError("celery worker did not answer within 60 s")
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


# ---------------------------------------------------------------- in-process tasks, a real mail server
@pytest.fixture(autouse=True)
def celery_connections_follow_the_broker():
    """A test that points CELERY_BROKER_URL elsewhere for a while (a Redis of its own, a broker that is
    down) and meanwhile sends through the portal's Celery app leaves the app's connection pools bound to
    that broker, which Celery keeps: a later test in the same process would publish to a port nobody
    listens on any more (seen: a real-worker test whose job stayed queued). Before each test, when the
    environment is the suite's again, pools made for another broker are dropped, to be made for this one.
    (Not after: the test's monkeypatch may be undone after this fixture's teardown.)"""
    from score_portal.celery import app

    pool = app._pool
    if pool is not None and pool.connection.as_uri() != app.connection_for_write().as_uri():
        app._pool = None
        if "amqp" in app.__dict__:
            app.amqp._producer_pool = None
    yield


@pytest.fixture(autouse=True)
def in_process_celery(request):
    """Tasks (mail from the outbox among them) run in-process whatever CELERY_BROKER_URL says, except
    in the real-worker tests, so that a test sees the mail its request sent."""
    if request.node.get_closest_marker("worker"):
        yield
        return
    from score_portal.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture(autouse=True)
def reports_in_line(settings):
    """Without a broker the portal makes a report in a thread after the request; tests make it during
    the request, so that they read the result at once (reporting/tests/test_background.py turns the
    thread back on)."""
    settings.REPORTS_IN_BACKGROUND = False


@pytest.fixture
def mail_server(settings):
    """A real SMTP server on a loopback port, down until `mail_server.start()`; the portal sends to it
    with Django's SMTP backend. `mail_server.received` holds what it accepted."""
    from score_portal.tests.smtp import MailServer

    server = MailServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


# ---------------------------------------------------------------- a Redis of the test's own
class RedisServer:
    """A `redis-server` on a free port of its own, without persistence, that a test may kill and
    start again on the same port (an outage of the broker)."""

    def __init__(self, binary: str):
        self.binary = binary
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(  # noqa: S603 - fixed command line
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"redis-server did not answer on port {self.port}")

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.proc = None


@pytest.fixture
def redis_server():
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not os.access(binary, os.X_OK):
        pytest.skip("test skipped: it starts a Redis of its own and needs redis-server (apt-get install redis-server).")
    server = RedisServer(binary)
    server.start()
    yield server
    server.kill()


# ---------------------------------------------------------------- an object store of the test's own
class ObjectStore:
    """A real S3-compatible server (moto_server, from PyPI) in a process of its own on a free port: the
    portal reaches it over HTTP with boto3, as it reaches a MinIO or Amazon's S3 in production."""

    REGION = "us-east-1"
    # Any key pair opens this server; real ones are never needed, nor read.
    CREDENTIALS = {"AWS_ACCESS_KEY_ID": "score-test", "AWS_SECRET_ACCESS_KEY": "score-test-secret"}

    def __init__(self, binary: str, log_path: Path):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        with log_path.open("wb") as log:
            self.proc = subprocess.Popen(  # noqa: S603 - fixed command line
                [binary, "-H", "127.0.0.1", "-p", str(self.port)], stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 30
        while True:
            try:
                self.client().list_buckets()
                return
            except Exception:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"moto_server did not answer:\n{log_path.read_text()[-2000:]}") from None
                time.sleep(0.2)

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=self.REGION,
            aws_access_key_id=self.CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=self.CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )

    def make_bucket(self, name: str) -> str:
        self.client().create_bucket(Bucket=name)
        return name

    def keys(self, bucket: str) -> list[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", ()))

    def read(self, bucket: str, key: str) -> bytes:
        return self.client().get_object(Bucket=bucket, Key=key)["Body"].read()

    def env(self, bucket: str) -> dict[str, str]:
        """What a portal process is given to keep its media in `bucket` (README: Several machines)."""
        return {
            **self.CREDENTIALS,
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_S3_REGION_NAME": self.REGION,
        }

    def storages(self, settings, bucket: str) -> dict:
        """settings.STORAGES with the media in `bucket`, for the test process itself: the options that
        score_portal/settings.py makes from env(bucket), with the key pair given directly."""
        return {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": bucket,
                    "endpoint_url": self.endpoint,
                    "region_name": self.REGION,
                    "access_key": self.CREDENTIALS["AWS_ACCESS_KEY_ID"],
                    "secret_key": self.CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
                    "default_acl": "private",
                    "file_overwrite": False,
                },
            },
        }

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


@pytest.fixture
def object_store(tmp_path):
    binary = shutil.which("moto_server", path=str(Path(sys.executable).parent))
    if not binary:
        skip_without_service("test skipped: it needs moto_server (pip install -r requirements-test.txt).")
    store = ObjectStore(binary, tmp_path / "moto_server.log")
    yield store
    store.stop()


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """`collectstatic` into a temporary STATIC_ROOT, once per session, with production's storage:
    hashed names, a manifest, gzip copies. Without brotli, which takes some 90 s on two cores over
    Bootstrap's files and changes no name."""
    from django.contrib.staticfiles.management.commands.collectstatic import Command
    from django.core.management import call_command
    from whitenoise.compress import Compressor
    from whitenoise.storage import CompressedManifestStaticFilesStorage

    class WithoutBrotli(CompressedManifestStaticFilesStorage):
        def create_compressor(self, **kwargs):
            return Compressor(use_brotli=False, **kwargs)

    root = tmp_path_factory.mktemp("static")
    command = Command()
    command.storage = WithoutBrotli(location=root)
    call_command(command, interactive=False, verbosity=0)
    return root
