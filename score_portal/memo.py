"""Reads that several parts of one page ask for, made once while that page is made.

The homes put together figures and worklist items that the apps register on their own (dashboard.py,
worklist.py): two of them may need the same costly read (the programme targets' actuals, for the "on
track" figure and for the "off track" item; the count of the consultant's enterprises not visited). A
view makes its page inside `one_page()`, and a read decorated with `once_per_page` is then made once for
the same arguments; outside (a Celery task sending the weekly digest, another page) it is simply made."""

import functools
from contextlib import contextmanager
from contextvars import ContextVar

_made: ContextVar[dict | None] = ContextVar("score_portal_page_memo", default=None)


@contextmanager
def one_page():
    token = _made.set({})
    try:
        yield
    finally:
        _made.reset(token)


def once_per_page(read):
    """`read`'s arguments must be hashable and name what it reads (a call, a day)."""

    @functools.wraps(read)
    def wrapper(*args, **kwargs):
        made = _made.get()
        if made is None:
            return read(*args, **kwargs)
        key = (read, args, tuple(sorted(kwargs.items())))
        if key not in made:
            made[key] = read(*args, **kwargs)
        return made[key]

    return wrapper
