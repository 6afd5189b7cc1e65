"""Writes of people's accounts: invitations, deactivation, handing a consultant's enterprises over.

Each service runs in one transaction and leaves an AccountEvent saying who did what to whom. The
link of an invitation carries a secret of which only the hash is kept (`_hash`): the link works once,
until INVITATION_VALID_DAYS after it was sent.
"""

import datetime
import hashlib
import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import ConsultantAssignment
from enterprises.path import services as path_services
from score_portal import outbox
from score_portal.models import MailKind
from score_portal.roles import CONSULTANT, ENTERPRISE_CONTACT, display_name, is_consultant, role_group

from .models import AccountEvent, AccountEventKind, Invitation


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def record(kind: str, *, user=None, by=None, detail: str = "", email: str = "", enterprise=None, at=None):
    """The one way an account change is written down."""
    return AccountEvent.objects.create(
        kind=kind,
        user=user,
        by=by,
        detail=detail,
        email=email or (user.email if user is not None else ""),
        enterprise=enterprise,
        at=at or timezone.now(),
    )


# ---------------------------------------------------------------- invitations
@transaction.atomic
def invite(
    *,
    email: str,
    role: str,
    by,
    link_for: Callable[[str], str],
    first_name: str = "",
    last_name: str = "",
    enterprise=None,
    position: str = "",
    now: datetime.datetime | None = None,
) -> Invitation:
    """Invite a person by email. `link_for(token)` makes the absolute link the mail carries."""
    email = email.strip().lower()
    User = get_user_model()
    if User.objects.filter(email__iexact=email, is_active=True).exists():
        raise ValidationError(
            {"email": _("%(email)s already has an account; find the person on the People page.") % {"email": email}},
            code="has_account",
        )
    if role == ENTERPRISE_CONTACT and enterprise is None:
        raise ValidationError({"enterprise": _("Choose the contact's enterprise.")}, code="required")
    now = now or timezone.now()
    # Inviting again sends a new link; the older ones stop working, so only one link is ever live.
    Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True, withdrawn_at__isnull=True).update(
        withdrawn_at=now
    )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=role,
        enterprise=enterprise,
        position=position.strip(),
        token_hash=_hash(token),
        invited_by=by,
        created_at=now,
        expires_at=now + datetime.timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    context = {
        "invitation": invitation,
        "link": link_for(token),
        "inviter": display_name(by),
        "days": settings.INVITATION_VALID_DAYS,
    }
    outbox.enqueue(
        to=[email],
        subject=_("Your invitation to the SCORE Portal"),
        body=render_to_string("accounts/invitation_email.txt", context),
        kind=MailKind.INVITATION,
        reply_to=[by.email] if by.email else None,
        related=invitation,
    )
    detail = _("Invited as %(role)s") % {"role": invitation.get_role_display()}
    if enterprise is not None:
        detail += " " + _("for %(enterprise)s") % {"enterprise": enterprise}
    record(AccountEventKind.INVITED, by=by, email=email, detail=detail, enterprise=enterprise, at=now)
    return invitation


def open_invitation(token: str) -> Invitation | None:
    """The invitation this link stands for, if it can still be accepted; None otherwise."""
    invitation = Invitation.objects.select_related("enterprise", "invited_by").filter(token_hash=_hash(token)).first()
    return invitation if invitation is not None and invitation.is_open else None


@transaction.atomic
def accept_invitation(invitation: Invitation, *, username: str, password: str):
    """Make the account the invitation promised: its role, its enterprise, its password."""
    locked = Invitation.objects.select_for_update(of=("self",)).select_related("enterprise", "invited_by")
    invitation = locked.get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError(_("This invitation has expired or was already used."), code="closed")
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This user name is taken; choose another.")}, code="taken")
    user = User.objects.create_user(
        username=username,
        email=invitation.email,
        password=password,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
    )
    user.groups.add(role_group(invitation.role))
    if invitation.role == ENTERPRISE_CONTACT:
        path_services.link_contact(user, invitation.enterprise, position=invitation.position)
    elif invitation.role == CONSULTANT and invitation.enterprise is not None:
        assignment = path_services.assign_consultant(invitation.enterprise, user, by=invitation.invited_by)
        # The page's visitor has no account yet, so the history's row names nobody: the officer who
        # invited decided the assignment, as `assigned_by` says.
        assignment.history.filter(history_user__isnull=True).update(history_user=invitation.invited_by)
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    record(
        AccountEventKind.INVITATION_ACCEPTED,
        user=user,
        by=user,
        detail=_("Account %(username)s made as %(role)s")
        % {"username": username, "role": invitation.get_role_display()},
        enterprise=invitation.enterprise,
    )
    return user


@transaction.atomic
def withdraw_invitation(invitation: Invitation, *, by) -> None:
    if invitation.accepted_at:
        raise ValidationError(_("This invitation was already accepted."), code="accepted")
    invitation.withdrawn_at = timezone.now()
    invitation.save(update_fields=["withdrawn_at"])
    record(AccountEventKind.INVITATION_WITHDRAWN, by=by, email=invitation.email, enterprise=invitation.enterprise)


# ---------------------------------------------------------------- deactivation
@transaction.atomic
def deactivate(user, *, by, reason: str = "") -> None:
    """The person can no longer log in (their open sessions end at the next page); everything they did stays."""
    if user.pk == by.pk:
        raise ValidationError(_("You cannot deactivate your own account."), code="self")
    if not user.is_active:
        return
    user.is_active = False
    user.save(update_fields=["is_active"])
    record(AccountEventKind.DEACTIVATED, user=user, by=by, detail=reason.strip())


@transaction.atomic
def reactivate(user, *, by, reason: str = "") -> None:
    if user.is_active:
        return
    user.is_active = True
    user.save(update_fields=["is_active"])
    record(AccountEventKind.REACTIVATED, user=user, by=by, detail=reason.strip())


@transaction.atomic
def hand_over_enterprises(from_consultant, to_consultant, *, by) -> list:
    """Assign every enterprise of a departing consultant to another, and take them off the first.

    The assignments' own history records each one; the account event names them together."""
    if from_consultant.pk == to_consultant.pk:
        raise ValidationError({"to_consultant": _("Choose another consultant.")}, code="same")
    if not (to_consultant.is_active and is_consultant(to_consultant)):
        raise ValidationError({"to_consultant": _("Choose an active consultant.")}, code="not_consultant")
    assignments = list(
        ConsultantAssignment.objects.select_for_update()
        .filter(consultant=from_consultant)
        .select_related("enterprise")
        .order_by("enterprise__legal_name")
    )
    enterprises = [assignment.enterprise for assignment in assignments]
    for enterprise in enterprises:
        path_services.assign_consultant(enterprise, to_consultant, by=by)
        path_services.unassign_consultant(enterprise, from_consultant, by=by)
    if enterprises:
        record(
            AccountEventKind.ENTERPRISES_HANDED_OVER,
            user=from_consultant,
            by=by,
            detail=_("%(count)d enterprises handed over to %(name)s: %(names)s")
            % {
                "count": len(enterprises),
                "name": display_name(to_consultant),
                "names": ", ".join(e.legal_name for e in enterprises),
            },
        )
    return enterprises
