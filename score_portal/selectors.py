"""Reads that the portal's own pages share: the worklist of the home page and of the weekly digest."""

import datetime

from django.utils import timezone

from .roles import role_of
from .worklist import WorkItem, sources_for


def worklist_for(user, *, today: datetime.date | None = None) -> list[WorkItem]:
    """What awaits the user now, in the order the apps registered it; items with nothing in them left out.
    A fixed number of queries whatever the number of EOIs, enterprises, visits or messages."""
    today = today or timezone.localdate()
    items = []
    for source in sources_for(role_of(user)):
        item = source(user, today)
        if item is not None and item.count:
            items.append(item)
    return items
