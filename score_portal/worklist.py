"""The worklist: what awaits someone's decision now, each item linking to where it is resolved.

Like the home-page panels (dashboard.py), each app registers what it owns from its panels.py, since
score_portal cannot import the apps. A source is a function of (user, today) that returns a WorkItem,
or None when it has nothing for that user; an item with a count of zero is not shown. Each source
runs a fixed number of queries (a count and a few rows), so the worklist costs the same whatever
the size of the programme. Read it through `score_portal.selectors.worklist_for(user)`.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

# How many rows of each item the home page and the digest show; the item's link leads to the rest.
ROWS = 5


@dataclass(frozen=True)
class Entry:
    label: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class WorkItem:
    key: str  # stable, for tests and the page's ids
    title: str
    count: int
    url: str  # where the whole list is resolved
    entries: list[Entry] = field(default_factory=list)
    # "decide" (awaits a decision), "late" (overdue), "agenda" (this week's), "problem" (a failure)
    tone: str = "decide"

    @property
    def more(self) -> int:
        return max(self.count - len(self.entries), 0)


Source = Callable[[object, datetime.date], WorkItem | None]

_sources: dict[str, list[tuple[int, Source]]] = defaultdict(list)


def register(role: str, order: int = 100):
    def decorator(func: Source) -> Source:
        _sources[role].append((order, func))
        return func

    return decorator


def sources_for(role: str | None) -> list[Source]:
    return [func for _order, func in sorted(_sources.get(role, []), key=lambda item: item[0])]


def moment(today: datetime.date) -> datetime.datetime:
    """Now, or noon of `today` when the worklist is asked for another day (a digest, a test's clock)."""
    from django.utils import timezone

    if today == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
