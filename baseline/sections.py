"""Sections that higher apps add to the programme results page.

The results page belongs to this app, but some of what an officer reads beside the results is
owned higher up (the programme's targets against actuals are in reporting/, which alone sees
training's participants). Imports only point down, so those apps register a section here from their
AppConfig.ready(): a function of the request that returns HTML (or "" to add nothing).
"""

from collections.abc import Callable

from django.utils.safestring import SafeString, mark_safe

Section = Callable[[object], str]

_sections: list[tuple[int, Section]] = []


def register(order: int = 100):
    def decorator(func: Section) -> Section:
        _sections.append((order, func))
        return func

    return decorator


def render_sections(request) -> SafeString:
    parts = [func(request) for _order, func in sorted(_sections, key=lambda item: item[0])]
    return mark_safe("".join(str(part) for part in parts if part))  # noqa: S308 - each is a rendered template
