"""The reads of the outbox pages. Officers only: a message's text may hold personal data."""

from django.db.models import Count

from ..models import MessageStatus, OutgoingMessage


def messages_list(status: str | None = None):
    """Newest first, without the heavy columns the list does not show."""
    messages = OutgoingMessage.objects.defer("body", "html", "attachments")
    if status in MessageStatus.values:
        messages = messages.filter(status=status)
    return messages


def counts_by_status() -> dict[str, int]:
    counts = dict.fromkeys(MessageStatus.values, 0)
    for row in OutgoingMessage.objects.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def failed_count() -> int:
    return OutgoingMessage.objects.filter(status=MessageStatus.FAILED).count()


def message_detail(pk: int) -> OutgoingMessage | None:
    return OutgoingMessage.objects.select_related("related_type", "resent_by").filter(pk=pk).first()


def messages_about(model, pk):
    """The messages queued about the object of `model` with this pk (an OuterRef in a subquery)."""
    from django.contrib.contenttypes.models import ContentType

    return OutgoingMessage.objects.filter(related_type=ContentType.objects.get_for_model(model), related_id=pk)
