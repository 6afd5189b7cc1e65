"""The officers' view of the outbox: what left, what waits, what failed, and sending a failed
message again. Thin: the rules live in services.py."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..feedback import tell_refusal
from ..models import MessageStatus
from ..permissions import officer_required
from . import selectors, services

PAGE_SIZE = 50


def _message_or_404(pk):
    message = selectors.message_detail(pk)
    if message is None:
        raise Http404("No such message")
    return message


@officer_required
def message_list(request):
    status = request.GET.get("status", "")
    if status not in MessageStatus.values:
        status = ""
    page = Paginator(selectors.messages_list(status or None), PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.counts_by_status()
    return render(
        request,
        "outbox/list.html",
        {
            "page": page,
            "status": status,
            "counts": counts,
            "total": sum(counts.values()),
            "statuses": [(value, label, counts[value]) for value, label in MessageStatus.choices],
        },
    )


@officer_required
def message_detail(request, pk):
    message = _message_or_404(pk)
    return render(request, "outbox/detail.html", {"message": message, "related": message.related})


@require_POST
@officer_required
def resend(request, pk):
    message = _message_or_404(pk)
    try:
        message = services.resend(message, by=request.user)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        if message.status == MessageStatus.SENT:
            messages.success(request, _("The message was sent again to %(to)s.") % {"to": message.recipients})
        else:
            messages.info(
                request,
                _("The message to %(to)s is queued again; it leaves as soon as the mail server takes it.")
                % {"to": message.recipients},
            )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("outbox:list")
    return redirect(back)
