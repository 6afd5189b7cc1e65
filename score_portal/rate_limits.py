"""Rate limits per visitor address on the few things that anyone may do without an account and that send
mail: sending an expression of interest and asking for a password reset.

Counting is django-ratelimit's, in Django's cache (settings.CACHES: Redis in production, so that every
web process shares the counts). The address is score_portal.client_address.client_ip, through
settings.RATELIMIT_IP_META_KEY. A rate reads like "5/h" (five an hour) and comes from settings at each
request, so that it can be changed without touching the code.
"""

import functools
import logging
import math

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage

from .client_address import client_ip

logger = logging.getLogger(__name__)


def over_limit(request, group: str, rate: str) -> int | None:
    """Count one more attempt by this request's address in `group`. If that is one too many, return the
    seconds until the count starts again; otherwise None.

    When the cache cannot be reached, the attempt is allowed and the outage logged: an enterprise must
    not be turned away because a counter is down."""
    try:
        usage = get_usage(request, group=group, key="ip", rate=rate, increment=True)
    except Exception:  # noqa: BLE001 - any cache failure (Redis down, bad address) fails open
        logger.exception("Rate limit %s not checked: the cache did not answer", group)
        return None
    if not usage or not usage["should_limit"]:
        return None
    logger.warning("Rate limit %s (%s) reached by %s", group, rate, client_ip(request))
    return max(int(usage["time_left"]), 1)


def too_many_requests(request, seconds_left: int, *, call=None):
    """The friendly 429 page, with Retry-After; `call` adds that call's contact person."""
    context = {"minutes_left": max(1, math.ceil(seconds_left / 60)), "call": call}
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(seconds_left)
    return response


def limit_posts(group: str, rate_setting: str):
    """A view decorator: each POST counts against settings.<rate_setting> per address; over it, the 429 page."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                seconds_left = over_limit(request, group, getattr(settings, rate_setting))
                if seconds_left is not None:
                    return too_many_requests(request, seconds_left)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
