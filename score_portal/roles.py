"""The three kinds of people who use the portal, and the predicates that tell them apart.

Roles are Django groups (created by a migration) so that an administrator can
grant them in the admin without code. Object-level checks (enterprises/access.py,
and the apps' own on top of it) build on these predicates.
"""

from django.utils.translation import gettext_lazy as _

OFFICER = "ILO project officer"
CONSULTANT = "Consultant"
ENTERPRISE_CONTACT = "Enterprise contact"

ROLES = (OFFICER, CONSULTANT, ENTERPRISE_CONTACT)

ROLE_LABELS = {
    OFFICER: _("ILO project officer"),
    CONSULTANT: _("Consultant"),
    ENTERPRISE_CONTACT: _("Enterprise contact"),
}


def _group_names(user) -> frozenset[str]:
    # Cached on the user object so that a page asking several questions costs one query.
    cached = getattr(user, "_score_role_names", None)
    if cached is None:
        cached = frozenset() if not user.is_authenticated else frozenset(user.groups.values_list("name", flat=True))
        user._score_role_names = cached
    return cached


def is_officer(user) -> bool:
    # Superusers administer the programme, so they act with an officer's rights.
    return bool(user and user.is_authenticated and (user.is_superuser or OFFICER in _group_names(user)))


def is_consultant(user) -> bool:
    return bool(user and user.is_authenticated and CONSULTANT in _group_names(user))


def is_enterprise_contact(user) -> bool:
    return bool(user and user.is_authenticated and ENTERPRISE_CONTACT in _group_names(user))


def ensure_roles(**kwargs) -> None:
    """Create the role groups if missing. Connected to post_migrate, so the roles also come back
    after a database flush (test runs) and never depend on a migration having run in that database."""
    for name in ROLES:
        role_group(name)


def role_group(name: str):
    from django.contrib.auth.models import Group

    return Group.objects.get_or_create(name=name)[0]


def role_of(user) -> str | None:
    """The role whose home page and navigation the user gets; officer wins over the others."""
    if is_officer(user):
        return OFFICER
    if is_consultant(user):
        return CONSULTANT
    if is_enterprise_contact(user):
        return ENTERPRISE_CONTACT
    return None


def display_name(user) -> str:
    """How a person is named on pages, letters and calendars: full name, else username."""
    if user is None:
        return str(_("the portal"))
    return user.get_full_name() or user.get_username()
