"""Writes of the buyer linkage, each in one transaction, officers only."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.consent import consent_of
from score_portal.roles import is_officer

from .models import Buyer, BuyerViewLink, BuyerViewOpening, Linkage, LinkageEvent

# How long a shared link may live: long enough for a buyer's sourcing cycle, short enough to be forgotten.
MAX_LINK_DAYS = 90


def _officer(by):
    if not is_officer(by):
        raise PermissionDenied


@transaction.atomic
def register_buyer(*, by, **fields) -> Buyer:
    _officer(by)
    return Buyer.objects.create(created_by=by, **fields)


@transaction.atomic
def link_enterprise(enterprise, buyer, *, by, since=None, note="") -> Linkage:
    _officer(by)
    if Linkage.objects.filter(enterprise=enterprise, buyer=buyer).exists():
        raise ValidationError(_("This enterprise is already linked to that buyer."), code="duplicate")
    return Linkage.objects.create(enterprise=enterprise, buyer=buyer, since=since, note=note, created_by=by)


@transaction.atomic
def record_event(linkage, *, by, kind: str, held_on, note="") -> LinkageEvent:
    _officer(by)
    return LinkageEvent.objects.create(linkage=linkage, kind=kind, held_on=held_on, note=note, recorded_by=by)


@transaction.atomic
def share_view(linkage, *, by, days: int, now=None) -> BuyerViewLink:
    """A secret link for the buyer, allowed only by the enterprise's recorded consent to a buyer view."""
    _officer(by)
    consent = consent_of(linkage.enterprise)
    if consent is None or not consent.buyer_view:
        raise ValidationError(
            _("The enterprise has not consented to a view for its buyers; record its consent first."),
            code="no_consent",
        )
    if not 1 <= days <= MAX_LINK_DAYS:
        raise ValidationError(_("A link lives 1 to %(max)s days.") % {"max": MAX_LINK_DAYS}, code="days")
    now = now or timezone.now()
    return BuyerViewLink.objects.create(linkage=linkage, expires_at=now + datetime.timedelta(days=days), created_by=by)


@transaction.atomic
def revoke_link(link: BuyerViewLink, *, by) -> BuyerViewLink:
    _officer(by)
    BuyerViewLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=timezone.now(), revoked_by=by)
    link.refresh_from_db()
    return link


def open_link(token: str, *, address=None, user_agent: str = "", now=None) -> BuyerViewLink | None:
    """The link if it may be shown now (live, and the consent still allows a buyer view), else None.
    Every opening of a known link is logged, shown or refused."""
    now = now or timezone.now()
    link = (
        BuyerViewLink.objects.select_related("linkage__enterprise__sharing_consent", "linkage__buyer")
        .filter(token=token)
        .first()
    )
    if link is None:
        return None
    consent = getattr(link.linkage.enterprise, "sharing_consent", None)
    shown = link.is_live(now) and consent is not None and consent.buyer_view
    BuyerViewOpening.objects.create(link=link, opened_at=now, address=address, user_agent=user_agent[:200], shown=shown)
    return link if shown else None
