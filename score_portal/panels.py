"""The worklist item the portal itself owns: mail the outbox could not deliver."""

from django.urls import reverse
from django.utils.translation import gettext as _

from . import worklist
from .models import MessageStatus, OutgoingMessage
from .roles import OFFICER


@worklist.register(OFFICER, order=75)
def failed_mail(user, today):
    messages = OutgoingMessage.objects.filter(status=MessageStatus.FAILED).defer("body", "html", "attachments")
    return worklist.WorkItem(
        key="failed-mail",
        title=_("Failed mail"),
        count=messages.count(),
        url=reverse("outbox:list") + "?status=failed",
        tone="problem",
        entries=[
            worklist.Entry(
                label=f"{message.subject} → {message.recipients}",
                url=reverse("outbox:detail", args=[message.pk]),
                detail=(message.last_error or "")[:120],
            )
            for message in messages.order_by("-failed_at", "-pk")[: worklist.ROWS]
        ],
    )
