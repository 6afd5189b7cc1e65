"""Every page needs a login except the public ones; the public set is derived from the views."""

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

# Public pages may live only under these prefixes: the call list and EOI form,
# the enterprise's secret status link, the log-in pages, health and language, the
# calendar feeds behind a secret token, and the web app manifest (fetched without cookies).
PUBLIC_PREFIXES = (
    "/apply/",
    "/calls/",
    "/eoi/",
    "/accounts/",
    "/healthz/",
    "/i18n/",
    "/admin/login/",
    "/feeds/",
    # the read API answers 401 without its token; the buyer view needs its secret link
    "/api/",
    "/buyer-view/",
    "/manifest.webmanifest",
)

SAMPLES = {"int": "1", "str": "x", "slug": "x", "uuid": str(uuid.uuid4()), "path": "x"}


def _sample_route(route: str, converters: dict) -> str:
    for name, converter in converters.items():
        kind = type(converter).__name__.replace("Converter", "").lower()
        value = SAMPLES.get(kind, "1")
        for spelled in (f"<{kind}:{name}>", f"<{name}>"):
            route = route.replace(spelled, value)
        for spelled_kind in SAMPLES:
            route = route.replace(f"<{spelled_kind}:{name}>", value)
    return route


def _walk(patterns, prefix=""):
    for entry in patterns:
        pattern = entry.pattern
        if hasattr(pattern, "_route"):
            piece = _sample_route(pattern._route, getattr(pattern, "converters", {}))
        else:
            # Regex patterns (the admin's): drop anchors and give groups a plausible value.
            import re

            piece = str(pattern.regex.pattern).lstrip("^").rstrip("$").replace("\\Z", "")
            piece = re.sub(r"\(\?P<\w+>[^)]*\)", "1", piece)
            piece = piece.replace("\\", "")
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + piece)
        elif isinstance(entry, URLPattern):
            yield prefix + piece, entry


def concrete_urls():
    seen = {}
    for path, entry in _walk(get_resolver().url_patterns):
        url = "/" + path
        try:
            resolve(url)
        except Resolver404:
            continue
        seen.setdefault(url, entry)
    return sorted(seen.items(), key=lambda item: item[0])


URLS = concrete_urls()


def test_the_walk_finds_the_portal_pages():
    urls = [url for url, _ in URLS]
    assert "/" in urls and "/healthz/" in urls and "/accounts/login/" in urls
    assert len(urls) > 20


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "entry"), URLS, ids=[url for url, _ in URLS])
def test_anonymous_is_sent_to_login_unless_the_page_is_public(client, url, entry):
    response = client.get(url)
    is_login_redirect = response.status_code == 302 and "login" in response.headers.get("Location", "")
    if is_login_redirect:
        return
    public = getattr(entry.callback, "login_required", True) is False
    assert public, f"{url} answered {response.status_code} to an anonymous visitor without being marked public"
    assert url.startswith(PUBLIC_PREFIXES), f"{url} is public but outside the public areas {PUBLIC_PREFIXES}"
