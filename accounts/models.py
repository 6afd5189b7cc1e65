"""Invitations to the portal, and the record of every change to a person's account.

Accounts are Django's users with a role (a group, score_portal/roles.py). An officer invites a person
by email; the invitation's link sets a password once, within INVITATION_VALID_DAYS. Only a hash of
the link's secret is stored, so a copy of the database cannot be used to take over an invitation.

`AccountEvent` is the audit trail of accounts: who changed whose account, when, and what. It is the
one record of these facts (a role granted with an invitation, a deactivation, a second factor); the
consultants' assignments and the contacts' links keep their own history in the enterprises app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from score_portal.roles import CONSULTANT, ENTERPRISE_CONTACT, OFFICER


class InvitedRole(models.TextChoices):
    # The values are the role groups' names (score_portal.roles), so granting a role is one lookup.
    OFFICER = OFFICER, _("ILO project officer")
    CONSULTANT = CONSULTANT, _("Consultant or trainer")
    ENTERPRISE_CONTACT = ENTERPRISE_CONTACT, _("Enterprise contact")


class Invitation(models.Model):
    email = models.EmailField(_("email"))
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=40, choices=InvitedRole.choices)
    # A contact's own enterprise; for a consultant, the enterprise they are assigned to on accepting.
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("enterprise"),
    )
    position = models.CharField(_("position"), max_length=120, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
        help_text=_("The account made when the invitation was accepted."),
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=ENTERPRISE_CONTACT) | Q(enterprise__isnull=False),
                name="contact_invitation_names_its_enterprise",
            ),
        ]

    def __str__(self):
        return f"{self.email} ({self.get_role_display()})"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.withdrawn_at is None and self.expires_at > timezone.now()

    @property
    def state(self) -> str:
        if self.accepted_at:
            return str(_("Accepted"))
        if self.withdrawn_at:
            return str(_("Withdrawn"))
        if self.expires_at <= timezone.now():
            return str(_("Expired"))
        return str(_("Waiting"))


class AccountEventKind(models.TextChoices):
    INVITED = "invited", _("Invited")
    INVITATION_ACCEPTED = "accepted", _("Invitation accepted")
    INVITATION_WITHDRAWN = "withdrawn", _("Invitation withdrawn")
    DEACTIVATED = "deactivated", _("Deactivated")
    REACTIVATED = "reactivated", _("Reactivated")
    ENTERPRISES_HANDED_OVER = "handed_over", _("Enterprises handed over")
    TWO_FACTOR_ENROLLED = "2fa_enrolled", _("Two-factor authentication turned on")
    TWO_FACTOR_REMOVED = "2fa_removed", _("Two-factor authentication removed")


class AccountEvent(models.Model):
    """One change to a person's account: who did it, to whom, when, and what (in words)."""

    kind = models.CharField(_("kind"), max_length=20, choices=AccountEventKind.choices)
    # Empty for an invitation that has no account yet: `email` names the person.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="account_events"
    )
    email = models.EmailField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    detail = models.TextField(_("what"), blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.user or self.email} ({self.at:%Y-%m-%d})"
