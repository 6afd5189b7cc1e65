"""Columns of the enterprise list that other apps own (last visit, overdue agreed actions).

The enterprises app cannot import the apps above it, so each registers, from its AppConfig.ready(),
a function that annotates the enterprise queryset with the column's value. Each annotation must be
a subquery (no join), so that it costs no extra query and repeats no enterprise.
"""

from collections.abc import Callable

from django.db.models import QuerySet

Annotate = Callable[[QuerySet], QuerySet]

_annotations: dict[str, Annotate] = {}


def register(name: str, annotate: Annotate) -> None:
    """`name` is the enterprise table's column, and the attribute the annotation sets."""
    _annotations[name] = annotate


def annotated(queryset: QuerySet, names) -> QuerySet:
    """The queryset with the registered columns among `names` annotated; others are left out."""
    for name in names:
        if name in _annotations:
            queryset = _annotations[name](queryset)
    return queryset


def registered() -> frozenset[str]:
    return frozenset(_annotations)
