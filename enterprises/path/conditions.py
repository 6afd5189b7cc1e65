"""Conditions from screening (criterion 2.2.5): staff an enterprise promised to hire if selected.

A "not in place, willing to hire if selected" answer becomes, at the shortlisting, a condition due
within the call's `hire_within_days`; it is met by recording the hire (name and date). Open
conditions are shown on the enterprise page, listed for the officers' worklist
(`conditions_due`), and warned about at the selection for Level 2.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Enterprise, HiringCondition, HiringRole, StaffStatus
from . import rules


def promised_roles(eoi) -> list[str]:
    """The roles the EOI answered “not in place, willing to hire if selected”."""
    return [role for role in HiringRole.values if getattr(eoi, role) == StaffStatus.WILLING_TO_HIRE]


def due_date(call, shortlisted_on: datetime.date) -> datetime.date:
    return shortlisted_on + datetime.timedelta(days=call.hire_within_days)


def conditions_from_screening(enterprise: Enterprise, *, on: datetime.date) -> list[HiringCondition]:
    """The enterprise's conditions on its current call, made once (running again adds none)."""
    eoi = enterprise.expression_of_interest
    made = []
    for role in promised_roles(eoi):
        condition, _created = HiringCondition.objects.get_or_create(
            enterprise=enterprise,
            call_id=enterprise.call_id,
            role=role,
            defaults={"due_on": due_date(enterprise.call, on)},
        )
        made.append(condition)
    return made


@transaction.atomic
def record_hire(condition: HiringCondition, *, name: str, hired_on: datetime.date, by) -> HiringCondition:
    """Meet the condition: who was hired and when."""
    condition = HiringCondition.objects.select_for_update().get(pk=condition.pk)
    if not (name or "").strip():
        raise ValidationError({"name": _("Write the name of the person hired.")}, code="required")
    if hired_on > timezone.localdate():
        raise ValidationError({"hired_on": _("The hire is recorded once it has happened.")}, code="future")
    condition.hired_name, condition.hired_on, condition.recorded_by = name.strip(), hired_on, by
    condition._history_user = by
    condition.save()
    return condition


# ---------------------------------------------------------------- reads
def open_conditions():
    return HiringCondition.objects.filter(hired_on__isnull=True).select_related("enterprise", "call")


def conditions_due(*, today: datetime.date | None = None, within_days: int = 14):
    """Open conditions due within `within_days` (or overdue), soonest first: for the officer's worklist.
    Only enterprises still on the path of that call count."""
    today = today or timezone.localdate()
    return (
        open_conditions()
        .filter(due_on__lte=today + datetime.timedelta(days=within_days))
        .exclude(enterprise__stage__in=rules.EXITS)
        .order_by("due_on", "pk")
    )


def open_conditions_by_enterprise(enterprise_ids) -> dict[int, list[HiringCondition]]:
    """Open conditions of these enterprises, one query."""
    found: dict[int, list[HiringCondition]] = {}
    for condition in open_conditions().filter(enterprise_id__in=list(enterprise_ids)):
        found.setdefault(condition.enterprise_id, []).append(condition)
    return found


def level2_warning(enterprise, conditions) -> str:
    roles = ", ".join(str(c.get_role_display()).lower() for c in conditions)
    return _("%(name)s has not yet hired the %(roles)s it promised at screening.") % {
        "name": enterprise.legal_name,
        "roles": roles,
    }
