"""Saved filters of the list pages: a person names the filters they are looking at, and applies
them again from the list's "Saved filters" menu. Each person's own; nobody else sees them."""

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..models import SavedFilter

# What is not a filter: the page number, an export. The columns chosen (columns=1&show=…) are kept.
NOT_SAVED = ("page", "format")


def _local_path(request, path: str) -> str | None:
    if path.startswith("/") and url_has_allowed_host_and_scheme(path, allowed_hosts={request.get_host()}):
        return path
    return None


@require_POST
def save(request):
    path = _local_path(request, request.POST.get("path", ""))
    name = request.POST.get("name", "").strip()[:80]
    list_name = request.POST.get("list_name", "").strip()[:40]
    if path is None or not list_name:
        return redirect("home")
    query = QueryDict(request.POST.get("query", ""), mutable=True)
    for key in NOT_SAVED:
        query.pop(key, None)
    target = f"{path}?{query.urlencode()}" if query else path
    if not name:
        messages.error(request, _("Give the filter a name."))
        return redirect(target)
    SavedFilter.objects.update_or_create(
        user=request.user, list_name=list_name, name=name, defaults={"path": path, "query": query.urlencode()}
    )
    messages.success(request, _("Filter “%(name)s” saved.") % {"name": name})
    return redirect(target)


@require_POST
def delete(request, pk):
    saved = get_object_or_404(SavedFilter, pk=pk, user=request.user)
    saved.delete()
    messages.success(request, _("Filter “%(name)s” removed.") % {"name": saved.name})
    return redirect(_local_path(request, request.POST.get("next", "")) or saved.path)
