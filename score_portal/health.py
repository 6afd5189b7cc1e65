"""Checks behind /healthz/: plain functions so that tests and monitoring share them."""

from django.conf import settings
from django.db import connection


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means the database is not usable
        return f"error: {exc.__class__.__name__}"
    return "ok"


def broker_state(app, timeout: float = 1.0) -> tuple[str, bool | None]:
    """Return (broker, worker): broker is "eager", "ok" or an error; worker is None when eager."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager", None
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
    except Exception as exc:
        return f"error: {exc.__class__.__name__}", False
    try:
        replies = app.control.ping(timeout=timeout) or []
    except Exception:
        replies = []
    return "ok", bool(replies)
