"""Home-page panels per role, and links from an enterprise's page to other apps' pages.

score_portal cannot import the apps below it, so each app registers the
panels it owns from its AppConfig.ready(). A panel is a function of the
request that returns {"title", "value", "url"} or None to stay hidden.
"""

from collections import defaultdict
from collections.abc import Callable

from django.urls import reverse

Panel = Callable[[object], dict | None]

_panels: dict[str, list[tuple[int, Panel]]] = defaultdict(list)


def register(role: str, order: int = 100):
    def decorator(func: Panel) -> Panel:
        _panels[role].append((order, func))
        return func

    return decorator


def panels_for(role: str | None, request) -> list[dict]:
    result = []
    for _order, func in sorted(_panels.get(role, []), key=lambda item: item[0]):
        panel = func(request)
        if panel:
            result.append(panel)
    return result


# Links from an enterprise's page to the pages other apps keep about it (visits, indicators,
# reports). The enterprises app cannot import those apps, so they register here.
_enterprise_links: list[tuple[int, object, str]] = []


def register_enterprise_link(label, url_name: str, order: int = 100) -> None:
    """`url_name` takes the enterprise's pk as its only argument."""
    _enterprise_links.append((order, label, url_name))


def enterprise_links(enterprise) -> list[dict]:
    return [
        {"label": label, "url": reverse(url_name, args=[enterprise.pk])}
        for _order, label, url_name in sorted(_enterprise_links, key=lambda item: item[0])
    ]
