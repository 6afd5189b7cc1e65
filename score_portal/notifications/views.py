"""A person's own notifications and which kinds they receive. Thin: services and selectors do the work."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from ..models import Notification, NotificationKind
from ..roles import role_of
from . import selectors, services

PAGE_SIZE = 30


def notification_list(request):
    page = Paginator(selectors.for_user(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "unread": selectors.unread_count(request.user)},
    )


@require_GET
def badge(request):
    """The unread count of the top bar (htmx fetches it after the page): empty when nothing is unread."""
    return render(request, "notifications/_badge.html", {"unread": selectors.unread_count(request.user)})


@require_POST
def notification_open(request, pk):
    """Mark it read and go where it points (only within the portal)."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    services.mark_read(request.user, notification.pk)
    url = notification.url
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return redirect(url)
    return redirect("notifications:list")


@require_POST
def mark_all_read(request):
    count = services.mark_read(request.user)
    messages.success(request, _("%(n)s notification(s) marked as read.") % {"n": count})
    return redirect("notifications:list")


class PreferencesForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Tell me about"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, offered, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = [(kind.value, kind.label) for kind in offered]


def preferences(request):
    offered = [NotificationKind(kind) for kind in services.KINDS_BY_ROLE.get(role_of(request.user), ())]
    off = selectors.turned_off(request.user)
    form = PreferencesForm(
        request.POST or None, offered=offered, initial={"kinds": [k.value for k in offered if k.value not in off]}
    )
    if request.method == "POST" and form.is_valid():
        services.set_preferences(
            request.user, enabled=set(form.cleaned_data["kinds"]), offered=[k.value for k in offered]
        )
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form, "offered": offered})
