"""Reads of the People pages: everyone with their role, enterprises, last log-in and status."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q
from django_otp.plugins.otp_totp.models import TOTPDevice

from enterprises.models import ConsultantAssignment
from score_portal.roles import ROLES

from .models import AccountEvent, Invitation


def people(*, role: str = "", status: str = "", q: str = ""):
    """Every account, with what the list shows fetched in a fixed number of queries."""
    User = get_user_model()
    qs = (
        User.objects.select_related("enterprise_contact__enterprise")
        .prefetch_related(
            "groups",
            Prefetch(
                "assignments",
                queryset=ConsultantAssignment.objects.select_related("enterprise").order_by("enterprise__legal_name"),
                to_attr="assignment_list",
            ),
        )
        .annotate(
            has_two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        )
        .order_by("-is_active", "last_name", "first_name", "username")
    )
    if role in ROLES:
        qs = qs.filter(groups__name=role)
    elif role == "none":
        qs = qs.filter(groups__isnull=True, is_superuser=False)
    if status == "active":
        qs = qs.filter(is_active=True)
    elif status == "deactivated":
        qs = qs.filter(is_active=False)
    if q:
        qs = qs.filter(
            Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(email__icontains=q)
        )
    return qs


def person(pk):
    return people().get(pk=pk)


def open_invitations():
    from django.utils import timezone

    return (
        Invitation.objects.filter(accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("enterprise", "invited_by")
        .order_by("-created_at")
    )


def events_of(user):
    return AccountEvent.objects.filter(user=user).select_related("by", "enterprise").order_by("-at", "-pk")


def active_consultants(exclude=None):
    from score_portal.roles import CONSULTANT

    qs = get_user_model().objects.filter(groups__name=CONSULTANT, is_active=True).order_by("first_name", "username")
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs
