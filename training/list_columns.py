"""The columns this app adds to the enterprise list (enterprises/path/columns.py): the date of the last
submitted visit and the number of agreed actions overdue. Subqueries, so the list stays one query."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from enterprises.path import columns

from .models import CLOSED_STATUSES, Visit, VisitAction, VisitStatus


def last_visit_on(queryset):
    visits = Visit.objects.filter(
        enterprise=OuterRef("pk"), status=VisitStatus.SUBMITTED, date__lte=timezone.localdate()
    ).order_by("-date")
    return queryset.annotate(last_visit_on=Subquery(visits.values("date")[:1]))


def overdue_actions(queryset):
    overdue = (
        VisitAction.objects.filter(visit__enterprise=OuterRef("pk"), due_on__lt=timezone.localdate())
        .exclude(status__in=CLOSED_STATUSES)
        .order_by()
        .values("visit__enterprise")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(overdue_actions=Coalesce(Subquery(overdue, output_field=IntegerField()), Value(0)))


def register() -> None:
    columns.register("last_visit_on", last_visit_on)
    columns.register("overdue_actions", overdue_actions)
