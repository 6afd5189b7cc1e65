"""Handing a task to the Celery workers, for every app that keeps its work in a row first (report
jobs, the mail outbox): one place that says what a failed send is.

The row is the truth; the broker only carries an id. So a send that fails, for whatever reason,
must leave the row looking unsent, for the sweep to send again once the broker is back.
"""

import logging

from celery.exceptions import BackendError
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# An unreachable broker or result store; anything else that stops a send is a bug, logged in full.
# How long a send may take before it gives up is set by the CELERY_BROKER_* timeouts and
# CELERY_TASK_PUBLISH_RETRY_POLICY in settings.
BROKER_ERRORS = (KombuOperationalError, RedisError, BackendError, OSError)


def celery_app(app=None):
    if app is not None:
        return app
    from score_portal.celery import app as default_app

    return default_app


def hand_to_workers(app, task_name: str, args: list, *, what: str) -> str:
    """Send the task; "" when the broker took it, else a one-line reason (it never raises).
    No result is kept (the row holds the state), so the send does not touch the result store."""
    try:
        app.send_task(task_name, args=args, ignore_result=True, retry=True)
    except Exception as exc:  # whatever stopped the send, the row must not look sent
        if isinstance(exc, BROKER_ERRORS):
            logger.warning("%s not sent, the broker is unreachable: %r", what, exc)
        else:
            logger.exception("%s not sent", what)
        return f"{exc.__class__.__name__}: {' '.join(str(exc).split())}"[:300]
    return ""
