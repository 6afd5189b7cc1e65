import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_env(**extra) -> dict:
    # The test session's own flag for Playwright (conftest.py) is no part of a deployment.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY", "CACHE_URL", "TRUSTED_PROXY_COUNT"}
    }
    env.update(DJANGO_DEBUG="0", ALLOWED_HOSTS="score.example.org", **extra)
    return env


PRODUCTION_SECRET = "a-long-production-secret-Kp9!vQ2#xL7@mN4$wR8^tY1&zB6*cD3%hF5"


def check_deploy(env):
    return subprocess.run(  # noqa: S603 - fixed command line
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production_mode():
    env = production_env(
        SECRET_KEY=PRODUCTION_SECRET, CACHE_URL="redis://127.0.0.1:6379/1", TRUSTED_PROXY_COUNT="1"
    )
    result = check_deploy(env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_about_a_per_process_cache_and_an_unsaid_proxy_count():
    result = check_deploy(production_env(SECRET_KEY=PRODUCTION_SECRET))
    assert result.returncode != 0
    assert "score_portal.W001" in result.stderr and "CACHE_URL=redis://" in result.stderr
    assert "score_portal.W002" in result.stderr and "TRUSTED_PROXY_COUNT=1" in result.stderr


def test_an_unreadable_rate_is_refused_at_start():
    env = production_env(SECRET_KEY=PRODUCTION_SECRET, EOI_SUBMISSION_RATE="five an hour")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "EOI_SUBMISSION_RATE='five an hour' is not a rate" in result.stderr


def test_production_mode_refuses_to_start_without_a_secret_key():
    env = production_env()
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_with_a_bucket_the_media_go_to_a_private_object_store_and_check_deploy_stays_clean():
    bucket = {"AWS_STORAGE_BUCKET_NAME": "score-media", "AWS_S3_ENDPOINT_URL": "https://minio.internal:9000"}
    env = production_env(
        SECRET_KEY=PRODUCTION_SECRET, CACHE_URL="redis://127.0.0.1:6379/1", TRUSTED_PROXY_COUNT="1", **bucket
    )
    result = check_deploy(env)
    assert result.returncode == 0, result.stdout + result.stderr
    shown = subprocess.run(  # noqa: S603 - fixed command line
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.core.files.storage import storages; s = storages['default']; "
            "print(type(s).__name__, s.bucket_name, s.endpoint_url, s.default_acl, "
            "s.file_overwrite, s.querystring_auth)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # Private objects; a second photo of the same name gets its own object instead of replacing the first.
    assert shown.stdout.strip().splitlines()[-1].split() == [
        "S3Storage", "score-media", "https://minio.internal:9000", "private", "False", "True"
    ]
