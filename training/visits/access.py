"""Who may see and change the records of the factory visits, built on enterprises.access (the one
place that says who sees which enterprise).

- Seeing: whoever may see the enterprise (officer, assigned consultant, own contact). Outside that
  scope the page answers 404. A draft visit is its author's work in progress: only the author and
  officers see it.
- Changing (visits, photos, EIT, plan, suggestions): officers and the enterprise's assigned
  consultants. Contacts read only (403 on their own enterprise's write pages).
- A visit is edited by its author (or an officer); once submitted it is locked and changes only by
  an amendment.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from enterprises.access import can_work_on_enterprise, enterprise_for, enterprise_ids_visible_to
from score_portal.roles import is_officer

from ..models import PhotoPair, Visit, VisitStatus


# ---------------------------------------------------------------- enterprises
# Seeing one: enterprises.access.enterprise_for (404 outside the user's scope).
def enterprise_to_work_on(user, pk):
    """The enterprise if the user may record training data on it: 404 outside the user's scope,
    403 for someone who may only read it (the enterprise's own contact)."""
    enterprise = enterprise_for(user, pk)
    if not can_work_on_enterprise(user, enterprise):
        raise PermissionDenied
    return enterprise


# ---------------------------------------------------------------- visits
def visible_visits(user, queryset=None):
    """Visits of the enterprises the user may see; drafts only to their author and officers."""
    queryset = Visit.objects.all() if queryset is None else queryset
    queryset = queryset.filter(enterprise__in=enterprise_ids_visible_to(user))
    if is_officer(user):
        return queryset
    return queryset.filter(~Q(status=VisitStatus.DRAFT) | Q(consultant=user))


def visit_for(user, pk, queryset=None) -> Visit:
    """The visit if the user may see it, else 404."""
    try:
        return visible_visits(user, queryset).get(pk=pk)
    except Visit.DoesNotExist:
        raise Http404("No such visit") from None


def can_edit_visit(user, visit) -> bool:
    """The author while they still work on the enterprise, or an officer."""
    if visit is None or not user.is_authenticated:
        return False
    if is_officer(user):
        return True
    return visit.consultant_id == user.pk and can_work_on_enterprise(user, visit.enterprise)


def visit_to_edit(user, pk) -> Visit:
    visit = visit_for(user, pk, Visit.objects.select_related("enterprise", "consultant", "module"))
    if not can_edit_visit(user, visit):
        raise PermissionDenied
    return visit


# ---------------------------------------------------------------- photos
def photo_pair_for(user, pk) -> PhotoPair:
    """The pair if the user may see its enterprise, else 404."""
    try:
        return PhotoPair.objects.select_related("enterprise").get(pk=pk, enterprise__in=enterprise_ids_visible_to(user))
    except PhotoPair.DoesNotExist:
        raise Http404("No such photo") from None
