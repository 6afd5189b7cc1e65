"""Shared test personas and the real-service fixtures (browser, Celery worker)."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from score_portal.roles import CONSULTANT, ENTERPRISE_CONTACT, OFFICER, role_group

CHROMIUM = "/usr/bin/chromium"
BASE_DIR = Path(__file__).resolve().parent


# ---------------------------------------------------------------- speed
@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # The personas get real passwords; PBKDF2's deliberate slowness (0.3 s a hash) buys nothing in tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """A transaction around a whole test module, rolled back at its end: data that several tests
    only read (the demo, say) is made once per module. Tests inside still get their own savepoint."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


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
    from enterprises import services
    from enterprises.tests.factories import make_enterprise

    enterprise = make_enterprise(officer, number="5000-1", legal_name="Indus Knitwear (Pvt) Ltd")
    services.assign_consultant(enterprise, consultant, by=officer)
    services.link_contact(contact, enterprise)
    return enterprise


@pytest.fixture
def other_enterprise(officer, other_consultant, other_contact):
    """Another enterprise: `other_consultant` and `other_contact` belong to it, not to `enterprise`."""
    from enterprises import services
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
def pytest_collection_modifyitems(config, items):
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


def pytest_configure(config):
    # Playwright's sync API starts an event loop in the main thread and keeps it for the
    # session, and Django's ORM refuses to run beside a running loop unless told it is safe.
    # The portal has no async code, so in tests it is.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# ---------------------------------------------------------------- real services
def skip_without_service(reason: str):
    """Skip, or fail where the services must be there (CI sets REQUIRE_REAL_SERVICES=1): a production
    lane that quietly skips would let a broken deployment pass."""
    if os.environ.get("REQUIRE_REAL_SERVICES") == "1":
        pytest.fail(f"{reason} (REQUIRE_REAL_SERVICES=1)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    """pytest-django's, also keeping the migrated data (role groups, indicator catalogue, training
    modules) as serialized right after migrating, for `server_env` to put back. Django's own
    serialized_rollback cannot be relied on for it: once Playwright's sync API runs, later tests get
    other connection objects (asgiref keeps them per context) without Django's copy, and Django then
    skips the restore without a word."""
    from django.db import connections

    needed = any("server_env" in item.fixturenames for item in request.session.items)
    kept = {}
    with django_db_blocker.unblock():
        for alias in connections:
            kept[alias] = getattr(connections[alias], "_test_serialized_contents", None)
            if kept[alias] is None and needed:
                kept[alias] = connections[alias].creation.serialize_db_to_string()
    return kept


def restore_migrated_data(request, kept: dict) -> None:
    """Put the migrated data back, unless Django's serialized_rollback just did. Into empty tables:
    after an earlier transactional test's flush, post_migrate made the content types and permissions
    again under other ids than the kept ones."""
    from django.core.management import call_command
    from django.db import connections

    marker = request.node.get_closest_marker("django_db")
    serialized_rollback = bool(marker and marker.kwargs.get("serialized_rollback"))
    for alias, contents in kept.items():
        connection = connections[alias]
        if not contents or (serialized_rollback and hasattr(connection, "_test_serialized_contents")):
            continue
        call_command("flush", database=alias, interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(contents)


@pytest.fixture
def server_env(transactional_db, django_db_setup, request):
    """The environment of a process a test starts beside itself (a Celery worker, a web server):
    the test database and the broker, so that it sees the rows the test commits. It starts from the
    migrated data alone, so ask for it before fixtures that write rows."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
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
    restore_migrated_data(request, django_db_setup)
    credentials = f"{db['USER']}:{db.get('PASSWORD') or ''}"
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }


@pytest.fixture
def celery_worker_process(server_env):
    """A real `celery worker` process on the configured broker, using the test database."""
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
    from score_portal.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"celery worker exited with {proc.returncode}")
        if app.control.ping(timeout=1):
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
