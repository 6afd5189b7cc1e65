"""Pages of a list, for a page that shows more than one list: each has its own parameter in the URL."""

from django.core.paginator import Page, Paginator


def page_of(request, items, *, per_page: int, param: str = "page") -> Page:
    """The page of `items` named by `param` in the request (the first when missing or wrong), with the
    query strings of its previous and next pages (`_pager.html`), every other parameter kept."""
    page = Paginator(items, per_page).get_page(request.GET.get(param))
    for attribute, number in (
        ("previous_query", page.previous_page_number() if page.has_previous() else None),
        ("next_query", page.next_page_number() if page.has_next() else None),
    ):
        if number is not None:
            query = request.GET.copy()
            query[param] = number
            setattr(page, attribute, f"?{query.urlencode()}")
    return page
