"""Who may open the officer pages: ILO project officers (and superusers) only.

Object-level checks (which enterprise a consultant or contact may see) live in
enterprises/access.py, since they need the enterprise and its assignments.

Anonymous visitors never get here: LoginRequiredMiddleware sends them to the
log-in page first. Logged-in people without the officer role get 403.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .roles import is_officer


def _check(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_officer(request.user):
        raise PermissionDenied
    return None


def officer_required(view_func):
    """Decorator for function views: 403 unless the user is an ILO project officer."""

    @wraps(view_func)
    def wrapped(request, *args, **kwargs):
        return _check(request) or view_func(request, *args, **kwargs)

    return wrapped


class OfficerRequiredMixin:
    """The same check for class-based views."""

    def dispatch(self, request, *args, **kwargs):
        return _check(request) or super().dispatch(request, *args, **kwargs)
