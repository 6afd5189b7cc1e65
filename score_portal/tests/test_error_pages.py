"""The pages for bad moments: the database unreachable (503), a request too large (413), a crash (500).

The outage is real: production settings (DJANGO_DEBUG=0) in a separate process whose DATABASE_URL
points at a closed port, called through the WSGI application as a server would."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import OperationalError
from django.urls import reverse

from score_portal import error_pages

ROOT = Path(__file__).resolve().parents[2]

# Calls the WSGI application with each request given on the command line (path, cookie) and prints
# status, headers and body as JSON, one line per request.
WSGI_PROBE = """
import json, sys
from wsgiref.util import setup_testing_defaults
from score_portal.wsgi import application

for path, cookie in json.loads(sys.argv[1]):
    environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "HTTP_HOST": "score.example.org",
               "HTTP_X_FORWARDED_PROTO": "https", "HTTP_ACCEPT_LANGUAGE": "en"}
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    setup_testing_defaults(environ)
    answer = {}
    def start_response(status, headers, exc_info=None):
        answer.update(status=int(status.split()[0]), headers=dict(headers))
    answer["body"] = b"".join(application(environ, start_response)).decode()
    print(json.dumps(answer))
"""


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """STATIC_ROOT as collectstatic leaves it, as far as {% static %} cares: the manifest of every
    static file. (Copying and compressing them all takes minutes; the pages here only link to them.)"""
    root = tmp_path_factory.mktemp("static")
    paths = {path: path for finder in finders.get_finders() for path, _storage in finder.list(["CVS", ".*", "*~"])}
    (root / "staticfiles.json").write_text(json.dumps({"version": "1.0", "paths": paths}))
    return root


def production_requests(requests, *, static_root, **env_extra):
    """Run the requests in a fresh process with production settings (DJANGO_DEBUG=0 unless overridden)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DJANGO_DEBUG="0",
        SECRET_KEY="a-long-production-secret-Kp9!vQ2#xL7@mN4$wR8^tY1&zB6*cD3%hF5",
        ALLOWED_HOSTS="score.example.org",
        STATIC_ROOT=str(static_root),
    )
    env.update(env_extra)
    result = subprocess.run(  # noqa: S603 - fixed command line
        [sys.executable, "-c", WSGI_PROBE, json.dumps(requests)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()], result.stderr


@pytest.mark.parametrize("debug", ["0", "1"], ids=["production", "development"])
def test_public_and_private_pages_answer_a_friendly_503_when_the_database_is_unreachable(static_root, debug):
    # Nothing listens on port 1: every connection attempt is refused.
    closed = "postgres://score:secret@127.0.0.1:1/score"
    session = "sessionid=q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6"  # a well-formed key: the session is looked up
    answers, log = production_requests(
        [
            ["/calls/", None],  # a visitor's first visit: the view's query fails
            ["/calls/", session],  # a returning visitor: loading the session fails first
            ["/screening/", session],  # a logged-in officer
        ],
        static_root=static_root,
        DATABASE_URL=closed,
        DJANGO_DEBUG=debug,
    )
    assert len(answers) == 3
    for answer in answers:
        assert answer["status"] == 503
        assert answer["headers"]["Retry-After"] == "60"
        assert answer["headers"]["Content-Type"].startswith("text/html")
        assert "script-src 'self'" in answer["headers"]["Content-Security-Policy"]
        assert "SCORE Portal is temporarily unavailable" in answer["body"]
        assert "If you were sending a form, it was not saved" in answer["body"]
        assert "Traceback" not in answer["body"] and "OperationalError" not in answer["body"]
        # An outage logs nobody out: the session cookie is left alone.
        assert "sessionid" not in answer["headers"].get("Set-Cookie", "")
    assert "Database unavailable while answering GET /calls/" in log
    assert "Database unavailable while answering GET /screening/" in log


def test_the_500_handler_tells_a_database_outage_apart(rf):
    request = rf.get("/calls/")
    try:
        raise OperationalError("connection to server at 127.0.0.1, port 1 failed: Connection refused")
    except OperationalError:
        response = error_pages.server_error(request)
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "SCORE Portal is temporarily unavailable" in response.content.decode()


def test_an_oversized_request_is_refused_before_its_body_is_read(client, settings):
    class BodyThatMustNotBeRead:
        def read(self, *args):
            raise AssertionError("the body of an oversized request was read")

        readline = read

    limit = settings.MAX_REQUEST_BODY_BYTES
    response = client.generic(
        "POST",
        reverse("enterprises:public_apply"),
        CONTENT_LENGTH=str(limit + 1),
        CONTENT_TYPE="multipart/form-data; boundary=x",
        **{"wsgi.input": BodyThatMustNotBeRead()},
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "What you sent is too large" in page
    assert f"The portal accepts up to {settings.MAX_UPLOAD_MB} MB in one go" in page
    assert 'href="/apply/"' in page  # back to the form
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_request_limit_defaults_to_two_full_size_photos_and_more():
    from django.conf import settings

    from training.visits import photos

    assert settings.MAX_REQUEST_BODY_BYTES > 2 * photos.MAX_UPLOAD_BYTES


@pytest.mark.django_db
def test_a_crash_answers_the_standalone_500_page(client, monkeypatch):
    from enterprises.screening import selectors

    def crash():
        raise RuntimeError("something unexpected")

    monkeypatch.setattr(selectors, "open_calls", crash)
    client.raise_request_exception = False
    response = client.get(reverse("enterprises:public_calls"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page and "RuntimeError" not in page
