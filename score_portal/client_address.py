"""Which address a request comes from: the one answer used by the rate limits and by the log-in lockout (axes).

Behind a reverse proxy, REMOTE_ADDR is the proxy's address, the same for every visitor; the visitor's
address is in X-Forwarded-For, where each proxy appends the address it received the request from. Only
the entries added by our own proxies can be believed (a client may send any X-Forwarded-For it likes), so
settings.TRUSTED_PROXY_COUNT says how many proxies stand in front of the portal: 0 (the default) means
none, and REMOTE_ADDR is the visitor.
"""

import ipaddress

from django.conf import settings


def _address(value: str) -> str | None:
    """A bare IP address from a header entry ("203.0.113.7", "203.0.113.7:5123", "[2001:db8::1]:443"), or None."""
    value = value.strip()
    candidates = [value]
    if value.startswith("[") and "]" in value:
        candidates.append(value[1 : value.index("]")])
    elif value.count(":") == 1:
        candidates.append(value.split(":", 1)[0])
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def client_ip(request) -> str:
    """The visitor's address, taking settings.TRUSTED_PROXY_COUNT proxies into account.

    With N trusted proxies, the nearest one is REMOTE_ADDR and the other N - 1 are the last entries of
    X-Forwarded-For, so the visitor is the entry just before them. When the header has fewer entries than
    that (a request that did not come through every proxy), the leftmost one is taken; when the chosen
    entry is not an address, REMOTE_ADDR is."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [entry for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    chain = [*forwarded, remote]
    chosen = chain[-(proxies + 1)] if len(chain) > proxies else chain[0]
    return _address(chosen) or remote
