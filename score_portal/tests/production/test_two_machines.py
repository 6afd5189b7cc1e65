"""Several machines behind one load balancer (README: "Several machines"): two gunicorn instances on two
ports, as two web machines, and a Celery worker, as a worker machine, sharing one PostgreSQL (the test
database), one Redis (broker, cache, sessions, rate limits) and one S3-compatible object store (a real
moto_server). Each process has a MEDIA_ROOT of its own, so a file can only pass from one to another
through the object store; and a person's requests go to either machine, as a load balancer sends them.

A photo uploaded through one machine is served by the other; a report asked for on one is made by the
worker and downloaded from the other; a session, a rate limit and a log-in lockout begun on one hold on
the other; and who may see a file is still checked there."""

import http.client
import io
import uuid
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pypdf
import pytest
from django.urls import reverse

from reporting.tests.helpers import wait_for_job

from .conftest import free_port, gunicorn

# Not marked `worker`: the worker here listens on the test's own Redis, and what the test process itself
# sends (the personas' notifications) runs in-process rather than waiting on the suite's broker.
pytestmark = [
    pytest.mark.production,
    # The servers and the worker need committed rows.
    pytest.mark.django_db(transaction=True),
]

# The name the load balancer answers to: both machines see it in Host, as behind a real one.
PUBLIC_HOST = "score.example.org"
PASSWORD = "correct-horse-battery"  # the root conftest's personas
BUCKET = "score-media"


@pytest.fixture
def worker_broker_url(redis_server):
    """One Redis of the test's own for every machine: database 0 the broker, database 1 the cache."""
    return redis_server.url


@pytest.fixture
def server_env(server_env, redis_server, object_store, tmp_path):
    """What every machine is given: production's environment, with the shared cache and object store."""
    object_store.make_bucket(BUCKET)
    return {
        **server_env,
        **object_store.env(BUCKET),
        "CACHE_URL": redis_server.url.removesuffix("/0") + "/1",
        "ALLOWED_HOSTS": PUBLIC_HOST,
        "TRUSTED_PROXY_COUNT": "0",
        # Small limits, so that the test reaches them across the two machines.
        "PASSWORD_RESET_RATE": "2/h",
        "AXES_FAILURE_LIMIT": "3",
        # The worker's own folder; each web machine gets another below.
        "MEDIA_ROOT": str(tmp_path / "media-worker"),
    }


@dataclass
class Machines:
    a: object
    b: object
    media_roots: list[Path]


@pytest.fixture
def machines(server_env, celery_worker_process, tmp_path):
    roots = [tmp_path / "media-a", tmp_path / "media-b", Path(server_env["MEDIA_ROOT"])]
    with (
        gunicorn({**server_env, "MEDIA_ROOT": str(roots[0])}, free_port(), tmp_path / "gunicorn-a.log") as a,
        gunicorn({**server_env, "MEDIA_ROOT": str(roots[1])}, free_port(), tmp_path / "gunicorn-b.log") as b,
    ):
        yield Machines(a, b, roots)


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")


class Person:
    """One person's browser behind the load balancer: the same cookies whichever machine answers. The
    balancer ends TLS and says so (X-Forwarded-Proto), so the portal's Secure cookies travel as they would."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, machine, method: str, path: str, *, fields=None, files=None) -> Answer:
        headers = {"Host": PUBLIC_HOST, "X-Forwarded-Proto": "https"}
        body = None
        if method == "POST":
            headers["Origin"] = f"https://{PUBLIC_HOST}"
            fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **(fields or {})}
            if files:
                body, headers["Content-Type"] = multipart(fields, files)
            else:
                body, headers["Content-Type"] = urlencode(fields).encode(), "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        parts = urlsplit(machine.url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            answer = Answer(response.status, response.msg, response.read())
        finally:
            connection.close()
        for header in answer.headers.get_all("Set-Cookie") or ():
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return answer

    def get(self, machine, path: str) -> Answer:
        return self.request(machine, "GET", path)

    def post(self, machine, path: str, fields=None, files=None) -> Answer:
        if "csrftoken" not in self.cookies:
            self.get(machine, reverse("login"))  # every page with a form sets the CSRF cookie
        return self.request(machine, "POST", path, fields=fields, files=files)

    def log_in(self, machine, username: str, password: str = PASSWORD) -> Answer:
        return self.post(machine, reverse("login"), {"username": username, "password": password})


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, content_type) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode()
        )
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def local_files(roots: list[Path]) -> list[Path]:
    return [path for root in roots if root.exists() for path in root.rglob("*") if path.is_file()]


def test_a_photo_and_a_report_made_through_one_machine_are_served_by_the_other_and_limits_hold_on_both(
    machines, object_store, enterprise, other_enterprise
):
    from axes.models import AccessAttempt

    from training.models import PhotoPair
    from training.tests.factories import image_bytes

    a, b = machines.a, machines.b

    # A consultant uploads a 5S photo on machine A ...
    consultant = Person()
    assert consultant.log_in(a, "consultant1").status == 302
    photo = image_bytes(size=(640, 480), gps=False)
    uploaded = consultant.post(
        a,
        reverse("training:photo_new", args=[enterprise.pk]),
        {"area": "Cutting section", "caption": "Fabric rolls on the floor"},
        files={"before": ("cutting.jpg", photo, "image/jpeg")},
    )
    assert uploaded.status == 302, uploaded.text[-2000:]
    pair = PhotoPair.objects.get(enterprise=enterprise)

    # ... and, logged in on A only, sees it from machine B: the session and the file are shared.
    before_url = reverse("training:photo_file", args=[pair.pk, "before"])
    served = consultant.get(b, before_url)
    assert served.status == 200, served.text[-2000:]
    assert pair.before.name in object_store.keys(BUCKET) and pair.before_thumb.name in object_store.keys(BUCKET)
    assert served.headers["Content-Type"] == "image/jpeg"
    assert served.body == object_store.read(BUCKET, pair.before.name)
    thumb = consultant.get(b, reverse("training:photo_file", args=[pair.pk, "before-thumb"]))
    assert thumb.status == 200 and thumb.body == object_store.read(BUCKET, pair.before_thumb.name)
    # The object is private in the store: no grant to everyone, nor to every holder of a key.
    grants = object_store.client().get_object_acl(Bucket=BUCKET, Key=pair.before.name)["Grants"]
    assert not [g for g in grants if g["Grantee"].get("Type") == "Group"], grants

    # Machine B checks who may see it, as A would: a consultant of another enterprise does not, nor a stranger.
    stranger = Person()
    assert stranger.log_in(b, "consultant2").status == 302
    assert stranger.get(b, before_url).status == 404
    anonymous = Person().get(b, before_url)
    assert anonymous.status == 302 and reverse("login") in anonymous.location

    # The enterprise's contact asks for its progress report on A; the worker makes it, with the photo
    # read from the store; the contact downloads it from B.
    contact = Person()
    assert contact.log_in(a, "contact1").status == 302
    asked = contact.post(a, reverse("reporting:enterprise", args=[enterprise.pk]), {"kind": "enterprise_progress"})
    assert asked.status == 302, asked.text[-2000:]
    job_id = int(asked.location.rstrip("/").rsplit("/", 1)[-1])
    job = wait_for_job(job_id, timeout=120)
    assert job.status == "done", job.error
    assert job.file.name in object_store.keys(BUCKET)
    download_url = reverse("reporting:download", args=[job_id])
    downloaded = contact.get(b, download_url)
    assert downloaded.status == 200, downloaded.text[-2000:]
    assert downloaded.headers["Content-Type"] == "application/pdf"
    assert downloaded.body == object_store.read(BUCKET, job.file.name)
    pdf = pypdf.PdfReader(io.BytesIO(downloaded.body))
    assert "Indus Knitwear" in "".join(page.extract_text() for page in pdf.pages)
    assert any(page.images for page in pdf.pages), "the 5S photo is missing from the report"
    # Another enterprise's contact may not have it, from either machine.
    other = Person()
    assert other.log_in(b, "contact2").status == 302
    assert other.get(b, download_url).status == 404
    assert other.get(a, download_url).status == 404

    # Not one file was kept on a machine: everything went to the store.
    assert local_files(machines.media_roots) == []

    # In the same test, as the machines take a minute to start: the limits count across them too.
    # PASSWORD_RESET_RATE=2/h for one address: one request on each machine, and the third is refused
    # wherever it goes. Counted per process, each gunicorn worker would allow two.
    visitor = Person()
    reset = reverse("password_reset")
    assert visitor.post(a, reset, {"email": "someone@example.org"}).status == 302
    assert visitor.post(b, reset, {"email": "someone@example.org"}).status == 302
    assert visitor.post(a, reset, {"email": "someone@example.org"}).status == 429
    assert visitor.post(b, reset, {"email": "someone@example.org"}).status == 429

    # AXES_FAILURE_LIMIT=3: wrong passwords on A, then B, then A lock the account; B then refuses even
    # the right password.
    guesser = Person()
    assert guesser.log_in(a, "contact1", "wrong-password").status == 200
    assert guesser.log_in(b, "contact1", "wrong-password").status == 200
    assert guesser.log_in(a, "contact1", "wrong-password").status == 429
    assert AccessAttempt.objects.get(username="contact1").failures_since_start == 3
    locked = guesser.log_in(b, "contact1")
    assert locked.status == 429 and "sessionid" not in guesser.cookies
