"""The outbox: every email the portal sends is first a row here (see score_portal/outbox/).

It lives in the lowest app so that every app can send mail through it; score_portal knows the
apps above only through the generic `related` link, never by import.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MessageStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class MailKind(models.TextChoices):
    """The kinds of mail the portal sends, for the officers' page. A kind that is not listed here is
    still sent; it is only shown by its code."""

    EOI_ACKNOWLEDGEMENT = "eoi_acknowledgement", _("Acknowledgement of an expression of interest")
    LETTER = "letter", _("Letter")
    NOTIFICATION = "notification", _("Notification")
    INVITATION = "invitation", _("Invitation to the portal")


class OutgoingMessage(models.Model):
    """One email, from the moment a service decides to send it until the mail server accepts it
    (or the attempts run out and an officer decides what to do)."""

    kind = models.CharField(_("kind"), max_length=40)
    from_email = models.CharField(_("from"), max_length=254)
    to = models.JSONField(_("to"), default=list)
    reply_to = models.JSONField(_("reply to"), default=list, blank=True)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("text"))
    html = models.TextField(_("HTML version"), blank=True)
    # [{"filename", "mimetype", "content": base64}]; small files only (letters, not reports).
    attachments = models.JSONField(_("attachments"), default=list, blank=True)

    # What the message is about (an expression of interest, a sent letter...), for the officers' page.
    related_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    related_id = models.PositiveBigIntegerField(null=True, blank=True)
    related = GenericForeignKey("related_type", "related_id")

    status = models.CharField(_("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.WAITING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    dispatch_error = models.CharField(_("queue error"), max_length=300, blank=True)

    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    # When the next attempt is due; the sweep leaves a message alone until then.
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    # Set while a task for it sits in the broker; None means nothing will send it but the sweep.
    dispatched_at = models.DateTimeField(_("sent to the workers at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("attempt started at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    resent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resent_at = models.DateTimeField(_("sent again at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing message")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_status_due"),
            models.Index(fields=["related_type", "related_id"], name="outbox_related"),
        ]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)} ({self.status})"

    @property
    def kind_label(self) -> str:
        return MailKind(self.kind).label if self.kind in MailKind.values else self.kind

    @property
    def recipients(self) -> str:
        return ", ".join(self.to)

    @property
    def waiting_for_queue(self) -> bool:
        return self.status == MessageStatus.WAITING and bool(self.dispatch_error)


# ---------------------------------------------------------------- notifications
class NotificationKind(models.TextChoices):
    """What a person is told about, in the portal and by email. Each person may turn each kind off."""

    EOI_DECISION = "eoi_decision", _("A decision on our expression of interest")
    SHORTLISTED = "shortlisted", _("Our enterprise is shortlisted")
    ACCEPTED = "accepted", _("Our enterprise is accepted into Level 1")
    SESSION_CHANGED = "session_changed", _("A training session is scheduled or moved")
    REPORT_READY = "report_ready", _("A report I asked for is ready")
    ASSIGNED = "assigned", _("An enterprise is assigned to me")
    CONSULTANT_DIGEST = "consultant_digest", _("Daily digest: visits due and agreed actions overdue")
    OFFICER_DIGEST = "officer_digest", _("Weekly digest of the worklist")


class Notification(models.Model):
    """One thing a person is told, once: `key` is unique, so a task that runs twice, or a beat that
    fires twice, tells nobody twice. The email, when one was sent, is `message` in the outbox."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    key = models.CharField(max_length=200, unique=True)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    message = models.ForeignKey(OutgoingMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self):
        return f"{self.user}: {self.title}"


class NotificationOptOut(models.Model):
    """A kind of notification a person turned off (neither in the portal nor by email)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_opt_outs")
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_opt_out_per_kind")]

    def __str__(self):
        return f"{self.user}: {self.kind} off"
class SavedFilter(models.Model):
    """A list's filters, sort and columns as a person named them, to apply again with one click.

    `path` and `query` are the list page's own address; only the person who saved it sees it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters")
    list_name = models.CharField(max_length=40)
    name = models.CharField(_("name"), max_length=80)
    path = models.CharField(max_length=200)
    query = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "list_name", "name"], name="one_saved_filter_per_name"),
        ]

    def __str__(self):
        return f"{self.user}: {self.name}"

    @property
    def url(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path
