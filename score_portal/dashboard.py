"""Home-page panels per role.

score_portal cannot import the apps below it, so each app registers the
panels it owns from its AppConfig.ready(). A panel is a function of the
request that returns {"title", "value", "url"} or None to stay hidden.
"""

from collections import defaultdict
from collections.abc import Callable

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
