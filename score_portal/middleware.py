from django.conf import settings

from . import error_pages


class RequestBodyLimitMiddleware:
    """Refuse a request whose declared body is larger than MAX_REQUEST_BODY_BYTES with a 413 page,
    from its Content-Length alone: nothing of the body is read. Django's own
    DATA_UPLOAD_MAX_MEMORY_SIZE does not count uploaded files, so it cannot do this."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.MAX_REQUEST_BODY_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body at all without a valid Content-Length
        if length > limit:
            return error_pages.request_too_large(request, limit_bytes=limit)
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A request that cannot reach the database answers the friendly 503 page instead of a 500, in
    development as in production. Anything else that fails outside a view reaches
    error_pages.server_error (handler500), which tells an outage apart too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The first query of most requests is the session, loaded for the user in the
        # LoginRequiredMiddleware's own process_view, where process_exception does not reach.
        # Loading it here first, where its failure can be answered, costs no extra query.
        user = getattr(request, "user", None)
        if user is None:
            return None
        try:
            user.is_authenticated  # noqa: B018 - evaluates the lazy user: the session, then the user row
        except error_pages.DATABASE_UNAVAILABLE as exception:
            return error_pages.database_unavailable(request, exception)
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, error_pages.DATABASE_UNAVAILABLE):
            return error_pages.database_unavailable(request, exception)
        return None
