"""System checks for the abuse-protection settings (README: "Behind a proxy, and abuse protection")."""

import os
import re

from django.conf import settings
from django.core import checks

RATE = re.compile(r"^\d+/\d*[smhd]$")
RATE_SETTINGS = ("EOI_SUBMISSION_RATE", "PASSWORD_RESET_RATE")
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@checks.register(checks.Tags.security)
def rates_are_readable(app_configs, **kwargs):
    # An unreadable rate would only show at the first submission, as a limit that never holds.
    return [
        checks.Error(
            f"{name}={getattr(settings, name)!r} is not a rate.",
            hint='Write a count and a period, e.g. "5/h" (five an hour) or "20/d"; periods: s, m, h, d.',
            id="score_portal.E001",
        )
        for name in RATE_SETTINGS
        if not RATE.match(str(getattr(settings, name)))
    ]


@checks.register(checks.Tags.security, deploy=True)
def production_counts_addresses_right(app_configs, **kwargs):
    warnings = []
    if settings.CACHES["default"]["BACKEND"] in PER_PROCESS_CACHES:
        warnings.append(
            checks.Warning(
                "The cache is local to each process, so each web worker counts the rate limits alone.",
                hint="Set CACHE_URL=redis://127.0.0.1:6379/1 (a Redis database the broker does not use).",
                id="score_portal.W001",
            )
        )
    if "TRUSTED_PROXY_COUNT" not in os.environ:
        warnings.append(
            checks.Warning(
                "TRUSTED_PROXY_COUNT is not set. Behind a reverse proxy every visitor then has the proxy's "
                "address: one visitor's rate limit or log-in lockout applies to all.",
                hint="Set TRUSTED_PROXY_COUNT=1 behind one proxy that appends to X-Forwarded-For, "
                "or TRUSTED_PROXY_COUNT=0 when nothing stands in front of the portal.",
                id="score_portal.W002",
            )
        )
    return warnings
