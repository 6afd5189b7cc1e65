"""Linkage with buyers (key step 9 of the call): the buyers register, which enterprise sells to which
buyer, what happened between them (meetings, audits, orders, visits), and the read-only views of an
enterprise's progress that an officer shares with a buyer through an expiring secret link.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Buyer(models.Model):
    """A brand or retailer that sources from Pakistani textile enterprises."""

    brand = models.CharField(_("brand"), max_length=120, unique=True)
    country = models.CharField(_("country"), max_length=80)
    contact_name = models.CharField(_("sourcing contact"), max_length=120)
    contact_email = models.EmailField(_("sourcing contact's email"))
    contact_phone = models.CharField(_("sourcing contact's phone"), max_length=30, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["brand"]
        verbose_name = _("buyer")
        verbose_name_plural = _("buyers")

    def __str__(self):
        return self.brand


class Linkage(models.Model):
    """An enterprise and one of its buyers."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="buyer_linkages", verbose_name=_("enterprise")
    )
    buyer = models.ForeignKey(Buyer, on_delete=models.PROTECT, related_name="linkages", verbose_name=_("buyer"))
    since = models.DateField(_("buying since"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["enterprise__legal_name", "buyer__brand"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "buyer"], name="one_linkage_per_buyer")]

    def __str__(self):
        return f"{self.enterprise} – {self.buyer}"


class EventKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    AUDIT = "audit", _("Audit")
    ORDER = "order", _("Order")
    VISIT = "visit", _("Visit")


class LinkageEvent(models.Model):
    linkage = models.ForeignKey(Linkage, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what"), max_length=10, choices=EventKind.choices)
    held_on = models.DateField(_("on"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["linkage", "-held_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.held_on}"


def new_link_token() -> str:
    return secrets.token_urlsafe(32)


class BuyerViewLink(models.Model):
    """A secret link to the read-only view of one enterprise for one of its buyers. It works until it
    expires or is revoked, and only while the enterprise's consent allows a buyer view."""

    linkage = models.ForeignKey(Linkage, on_delete=models.CASCADE, related_name="view_links")
    token = models.CharField(max_length=64, unique=True, default=new_link_token, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.linkage} until {self.expires_at:%Y-%m-%d}"

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now


class BuyerViewOpening(models.Model):
    """Each time a shared link was opened (kept also for links opened after they stopped working)."""

    link = models.ForeignKey(BuyerViewLink, on_delete=models.CASCADE, related_name="openings")
    opened_at = models.DateTimeField(default=timezone.now)
    address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)
    shown = models.BooleanField(help_text="False: refused (expired, revoked, or consent withdrawn).")

    class Meta:
        ordering = ["-opened_at", "-pk"]

    def __str__(self):
        return f"{self.link_id} opened {self.opened_at:%Y-%m-%d %H:%M}"
