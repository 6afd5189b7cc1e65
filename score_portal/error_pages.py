"""Pages for the moments the rest of the site cannot answer: the database is unreachable (503), a
request is too large (413), or something failed (500).

They are standalone templates rendered with a plain context, never a RequestContext: the context
processors (the navigation, the user) would reach for the session and the database, which may be
exactly what is down. The language is already set by LocaleMiddleware from the cookie or the
browser, without the database.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# Connection refused or lost, the server shutting down, a lock or statement timeout: the database
# cannot serve this request now, and the same request may well succeed in a minute.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 60


def standalone_page(template_name: str, *, status: int, context: dict | None = None) -> HttpResponse:
    return HttpResponse(render_to_string(template_name, context or {}), status=status)


def database_unavailable(request, exception: BaseException) -> HttpResponse:
    logger.error("Database unavailable while answering %s %s", request.method, request.path, exc_info=exception)
    response = standalone_page("503.html", status=503, context={"retry_minutes": RETRY_AFTER_SECONDS // 60})
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def request_too_large(request, *, limit_bytes: int) -> HttpResponse:
    context = {"limit_mb": limit_bytes // (1024 * 1024), "back_url": request.path}
    return standalone_page("413.html", status=413, context=context)


def server_error(request):
    """handler500. An exception raised outside a view (loading the session in a middleware, say)
    reaches here rather than DatabaseUnavailableMiddleware, so a database outage is told apart here too."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_UNAVAILABLE):
        return database_unavailable(request, exception)
    return standalone_page("500.html", status=500)
