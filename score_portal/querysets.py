"""Narrowing a list by the filters a page was given."""


def narrowed(queryset, **lookups):
    """`queryset` filtered by every lookup whose value is given; an empty or missing value filters nothing.
    Meant for lookups on the row's own fields and forward relations, where one filter() is the same as many."""
    return queryset.filter(**{lookup: value for lookup, value in lookups.items() if value})
