"""The production lane: the portal as deployed, with DJANGO_DEBUG=0, the static files collected with
hashed names and served by WhiteNoise, gunicorn behind a pretend TLS proxy and a real Celery worker,
all in the same production environment and on the test database; driven from Chromium.

Run it alone with `make test-production`. It skips without Chromium, and without PostgreSQL and
Redis (there it fails instead with REQUIRE_REAL_SERVICES=1, as in CI)."""

import contextlib
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

# What the TLS-terminating proxy in front of production tells the portal (README: Production).
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The lane last: its tests end with a flushed database, and the transactional tests written
    before it found the migrated data still in place."""
    items.sort(key=lambda item: "production_server" in getattr(item, "fixturenames", ()))


@pytest.fixture(autouse=True)
def fast_passwords():
    """Instead of the suite's fast hasher: the server checks passwords with production's hashers."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def production_port():
    return free_port()


@pytest.fixture
def server_env(server_env, collected_static, production_port, tmp_path, settings):
    """Production's environment, for the web server and the worker alike (the worker fixture takes it too)."""
    # One MEDIA_ROOT for the test (the demo's photos), the server and the worker, as production must have.
    settings.MEDIA_ROOT = tmp_path / "media"
    return {
        **server_env,
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": "production-lane-only-" + "k7Qp2Xw9" * 6,
        "ALLOWED_HOSTS": "127.0.0.1",
        # The browser speaks plain HTTP to 127.0.0.1 and sends that origin; the proxy header makes it HTTPS.
        "CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{production_port}",
        "STATIC_ROOT": str(collected_static),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        # The acknowledgement mail goes to the server's log, where the test reads it.
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }


@dataclass
class Server:
    url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def answers(url: str) -> bool:
    try:
        urllib.request.urlopen(urllib.request.Request(url, headers=PROXY_HEADERS), timeout=2)  # noqa: S310
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


@contextlib.contextmanager
def gunicorn(env: dict, port: int, log_path: Path):
    """gunicorn serving the portal on 127.0.0.1:port in `env`, until the block ends. Its log is printed
    at the end, so a failing test shows what the server said."""
    server = Server(f"http://127.0.0.1:{port}", log_path)
    binary = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    with server.log_path.open("wb") as log:
        proc = subprocess.Popen(  # noqa: S603 - fixed command line
            [binary, "score_portal.wsgi", f"--bind=127.0.0.1:{port}", "--workers=2", "--access-logfile=-"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while not answers(f"{server.url}/accounts/login/"):
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {proc.returncode}:\n{server.log()[-3000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer within 60 s:\n{server.log()[-3000:]}")
            time.sleep(0.2)
        yield server
    finally:
        proc.send_signal(signal.SIGINT)  # gunicorn's quick shutdown; TERM waits for its workers
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        print(f"---- gunicorn log ({server.url}) ----\n{server.log()[-6000:]}")


@pytest.fixture
def production_server(server_env, production_port, tmp_path):
    """gunicorn serving the portal on 127.0.0.1 with production's settings."""
    with gunicorn(server_env, production_port, tmp_path / "gunicorn.log") as server:
        yield server


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "extra_http_headers": PROXY_HEADERS}
