"""Who may see which enterprise. Every app that shows an enterprise's data asks here.

Officers see every enterprise; a consultant sees the enterprises assigned to
them; an enterprise contact sees their own enterprise. Outside that scope a
page answers 404, so it does not even confirm that the enterprise exists.
"""

from django.db.models import Q
from django.http import Http404

from score_portal.roles import is_consultant, is_enterprise_contact, is_officer

from .models import ConsultantAssignment, Enterprise, EnterpriseContact


def visible_enterprises(user, queryset=None):
    """The enterprises this user may see, as a queryset to filter further."""
    queryset = Enterprise.objects.all() if queryset is None else queryset
    if is_officer(user):
        return queryset
    # Someone may be both a consultant and an enterprise's contact: each role adds what it sees.
    # Subqueries rather than joins, so that no enterprise comes back twice.
    scope = Q(pk__in=[])
    if is_consultant(user):
        scope |= Q(pk__in=ConsultantAssignment.objects.filter(consultant=user).values("enterprise"))
    if is_enterprise_contact(user):
        scope |= Q(pk__in=EnterpriseContact.objects.filter(user=user).values("enterprise"))
    return queryset.filter(scope)


def enterprise_ids_visible_to(user):
    """A subquery of enterprise ids for filtering other apps' rows (visits, values, reports)."""
    return visible_enterprises(user).values("pk")


def is_assigned_consultant(user, enterprise) -> bool:
    return ConsultantAssignment.objects.filter(enterprise=enterprise, consultant=user).exists()


def can_view_enterprise(user, enterprise) -> bool:
    if enterprise is None or not user.is_authenticated:
        return False
    if is_officer(user):
        return True
    if is_consultant(user) and is_assigned_consultant(user, enterprise):
        return True
    return bool(is_enterprise_contact(user) and enterprise.contacts.filter(user=user).exists())


def can_work_on_enterprise(user, enterprise) -> bool:
    """Officers and assigned consultants record data (visits, indicator values); contacts only read."""
    if enterprise is None or not user.is_authenticated:
        return False
    return is_officer(user) or (is_consultant(user) and is_assigned_consultant(user, enterprise))


def enterprise_for(user, pk, queryset=None) -> Enterprise:
    """The enterprise with this pk if the user may see it; 404 otherwise."""
    try:
        return visible_enterprises(user, queryset).get(pk=pk)
    except Enterprise.DoesNotExist:
        raise Http404("No such enterprise") from None


def own_enterprise(user) -> Enterprise | None:
    """The enterprise of an enterprise contact, or None."""
    contact = getattr(user, "enterprise_contact", None) if user.is_authenticated else None
    return contact.enterprise if contact else None
