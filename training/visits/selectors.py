"""Reads of the factory visits that pages share, scoped to the user through access.py (built on enterprises.access)."""

import dataclasses
import datetime

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from baseline.models import Round
from enterprises.access import enterprise_ids_visible_to, visible_enterprises
from enterprises.models import IN_PROGRAMME_STAGES, ConsultantAssignment
from score_portal.memo import once_per_page
from score_portal.querysets import narrowed
from score_portal.roles import is_consultant, is_officer

from ..models import (
    CLOSED_STATUSES,
    ActionStatus,
    EitMeeting,
    EitMember,
    PhotoPair,
    PlanItem,
    Sex,
    StaffLevel,
    Suggestion,
    SuggestionDecision,
    Visit,
    VisitAction,
    VisitStatus,
)
from . import access, rules


# ---------------------------------------------------------------- visits
def visits_for_list(user, *, enterprise=None, status=None, query="", date_from=None, date_to=None):
    """The visit list: a fixed number of queries whatever the number of visits."""
    qs = narrowed(
        access.visible_visits(user).select_related("enterprise", "consultant", "module"),
        enterprise=enterprise,
        status=status,
        date__gte=date_from,
        date__lte=date_to,
    )
    if query:
        qs = qs.filter(
            Q(enterprise__legal_name__icontains=query)
            | Q(findings__icontains=query)
            | Q(topics__icontains=query)
            | Q(people_met__icontains=query)
        )
    # No action counts here: grouping every visit with its actions made the page and its count read the
    # whole table (count_actions counts them for the page shown).
    return qs.order_by("-date", "-start_time", "-pk")


def count_actions(visits) -> None:
    """Set action_count and open_action_count on each of a page of visits: one grouped query over that
    page's actions only."""
    rows = (
        VisitAction.objects.filter(visit__in=[visit.pk for visit in visits])
        .order_by()
        .values("visit")
        .annotate(n=Count("pk"), open=Count("pk", filter=~Q(status__in=CLOSED_STATUSES)))
    )
    counts = {row["visit"]: row for row in rows}
    for visit in visits:
        row = counts.get(visit.pk, {})
        visit.action_count, visit.open_action_count = row.get("n", 0), row.get("open", 0)


def visit_detail(user, pk) -> Visit:
    return access.visit_for(
        user,
        pk,
        Visit.objects.select_related("enterprise", "consultant", "module", "draft").prefetch_related("actions"),
    )


def visit_versions(visit: Visit):
    """Every recorded version of the visit, newest first, with who saved it."""
    return visit.history.select_related("history_user", "module").order_by("-history_date", "-history_id")


def upcoming_visits(user, *, today: datetime.date | None = None, days: int = 60):
    """Visits on or after today and the next visits already agreed, for the (simple) calendar."""
    today = today or timezone.localdate()
    until = today + datetime.timedelta(days=days)
    visits = access.visible_visits(user).select_related("enterprise", "consultant", "module")
    scheduled = visits.filter(date__gte=today, date__lte=until).order_by("date", "start_time", "pk")
    planned = (
        visits.filter(status=VisitStatus.SUBMITTED, next_visit_on__gte=today, next_visit_on__lte=until)
        .order_by("next_visit_on", "pk")
        .select_related("enterprise")
    )
    return scheduled, planned


@dataclasses.dataclass(frozen=True)
class CalendarVisit:
    """A visit on the calendar: one logged (held, or a draft for a coming day) or one only agreed as
    the next visit of an earlier one (`planned`)."""

    date: datetime.date
    visit: Visit
    planned: bool = False

    @property
    def start_time(self):
        return None if self.planned else self.visit.start_time

    @property
    def end_time(self):
        return None if self.planned else self.visit.end_time


def visits_for_calendar(user, *, date_from, date_to=None) -> list[CalendarVisit]:
    """Visits logged and next visits agreed between the dates, for consultants (those they may see)
    and officers; beside the classroom sessions. Two queries whatever the number of visits. An agreed
    next visit that was logged since (a visit of that enterprise on that day) is shown once."""
    if not (is_officer(user) or is_consultant(user)):
        return []
    visits = access.visible_visits(user).select_related("enterprise", "consultant")
    logged = list(narrowed(visits, date__gte=date_from, date__lte=date_to).order_by("date", "start_time", "pk"))
    agreed = narrowed(
        visits.filter(status=VisitStatus.SUBMITTED), next_visit_on__gte=date_from, next_visit_on__lte=date_to
    ).order_by("next_visit_on", "pk")
    held = {(v.enterprise_id, v.date) for v in logged}
    entries = [CalendarVisit(v.date, v) for v in logged]
    entries += [
        CalendarVisit(v.next_visit_on, v, planned=True)
        for v in agreed
        if (v.enterprise_id, v.next_visit_on) not in held
    ]
    return sorted(entries, key=lambda e: (e.date, e.start_time or datetime.time.min, e.visit.pk))


def actions_in_scope(user, *, overdue_only=False, today=None):
    today = today or timezone.localdate()
    qs = VisitAction.objects.filter(
        visit__in=access.visible_visits(user).filter(status=VisitStatus.SUBMITTED)
    ).select_related("visit__enterprise", "visit__consultant")
    if overdue_only:
        # The statuses still open, named (not "not closed"): the (status, due_on) index answers it.
        still_open = [status for status in ActionStatus.values if status not in CLOSED_STATUSES]
        qs = qs.filter(status__in=still_open, due_on__lt=today)
    return qs.order_by("due_on", "pk")


# ---------------------------------------------------------------- consultant home figures
def visits_this_week(user, *, today=None):
    monday, sunday = rules.week_of(today or timezone.localdate())
    return access.visible_visits(user).filter(consultant=user, date__gte=monday, date__lte=sunday)


def overdue_actions(user, *, today=None):
    return actions_in_scope(user, overdue_only=True, today=today).filter(visit__consultant=user)


def enterprises_not_visited(user):
    """Enterprises in training that the user may see with no submitted visit in the last 30 days.

    The same enterprises as training_enterprises(user, not_visited=True), asked with NOT EXISTS: the
    home page counts them, and a join over every visit and plan item cost seconds at 5,000 enterprises."""
    recent = Visit.objects.filter(
        enterprise=OuterRef("pk"),
        status=VisitStatus.SUBMITTED,
        date__gte=rules.not_visited_since(),
        date__lte=timezone.localdate(),
    )
    return (
        visible_enterprises(user)
        .filter(stage__in=IN_PROGRAMME_STAGES)
        .exclude(Exists(recent))
        .order_by("legal_name", "pk")
    )


@once_per_page
def count_not_visited(user) -> int:
    """How many enterprises_not_visited: the consultant's home shows it as a figure and in its worklist."""
    return enterprises_not_visited(user).count()


# ---------------------------------------------------------------- enterprises
def training_enterprises(user, *, query="", not_visited=False):
    """The enterprises the user may see, for the training home, with their last visit and open plan items.
    `not_visited`: only those in training with no submitted visit in the last 30 days."""
    qs = visible_enterprises(user)
    if query:
        qs = qs.filter(legal_name__icontains=query)
    qs = qs.annotate(
        last_visit_on=Max(
            "visits__date", filter=Q(visits__status=VisitStatus.SUBMITTED, visits__date__lte=timezone.localdate())
        ),
        open_plan_items=Count("plan_items", filter=~Q(plan_items__status__in=CLOSED_STATUSES), distinct=True),
    )
    if not_visited:
        qs = qs.filter(stage__in=IN_PROGRAMME_STAGES).filter(
            Q(last_visit_on__isnull=True) | Q(last_visit_on__lt=rules.not_visited_since())
        )
    return qs.order_by("legal_name", "pk")


def eit_balance(enterprise) -> dict:
    counts = EitMember.objects.filter(enterprise=enterprise, active=True).aggregate(
        managers=Count("pk", filter=Q(level=StaffLevel.MANAGER)),
        workers=Count("pk", filter=Q(level=StaffLevel.WORKER)),
        women=Count("pk", filter=Q(sex=Sex.FEMALE)),
        men=Count("pk", filter=Q(sex=Sex.MALE)),
    )
    counts["total"] = counts["managers"] + counts["workers"]
    return counts


def plan_counts(enterprise, *, today=None) -> dict:
    today = today or timezone.localdate()
    return PlanItem.objects.filter(enterprise=enterprise).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status="done")),
        overdue=Count("pk", filter=Q(due_on__lt=today) & ~Q(status__in=CLOSED_STATUSES)),
    )


def suggestion_counts(enterprise) -> dict:
    return Suggestion.objects.filter(enterprise=enterprise).aggregate(
        submitted=Count("pk"),
        adopted=Count("pk", filter=Q(decision=SuggestionDecision.ADOPTED)),
    )


def enterprise_page(user, enterprise) -> dict:
    """What the training page of one enterprise shows."""
    return {
        "eit": eit_balance(enterprise),
        "plan": plan_counts(enterprise),
        "suggestions": suggestion_counts(enterprise),
        "photo_pairs": PhotoPair.objects.filter(enterprise=enterprise),
        "visits": visits_for_list(user, enterprise=enterprise)[:10],
        "plan_items": PlanItem.objects.filter(enterprise=enterprise).select_related("module"),
    }


def eit_page(enterprise) -> dict:
    return {
        "members": EitMember.objects.filter(enterprise=enterprise),
        "meetings": EitMeeting.objects.filter(enterprise=enterprise).prefetch_related(
            Prefetch("attendees", queryset=EitMember.objects.order_by("name"))
        ),
        "eit": eit_balance(enterprise),
    }


def photo_pairs_in_scope(user):
    return PhotoPair.objects.filter(enterprise__in=enterprise_ids_visible_to(user))


# ---------------------------------------------------------------- the consultant's daily digest
def visits_due(consultant, *, today: datetime.date):
    """The consultant's visits whose agreed next visit is due (today or before) and has not happened:
    no later visit of that enterprise was logged or planned since."""
    from django.db.models import Exists, OuterRef

    later = Visit.objects.filter(enterprise=OuterRef("enterprise"), date__gt=OuterRef("date"))
    return (
        access.visible_visits(consultant)
        .filter(consultant=consultant, status=VisitStatus.SUBMITTED, next_visit_on__lte=today)
        .exclude(Exists(later))
        .select_related("enterprise")
        .order_by("next_visit_on", "pk")
    )


# ---------------------------------------------------------------- offline (the phone keeps these pages)
def offline_pages(user) -> list[str]:
    """The pages a consultant's phone keeps for work without signal: the training home, the open
    actions, and for each assigned enterprise its page and a new visit log; their own unfinished
    drafts too. Officers work at a desk and get the home pages only (they see every enterprise)."""
    pages = [reverse("training:home"), reverse("training:action_list"), reverse("training:visit_list")]
    assigned = ConsultantAssignment.objects.filter(consultant=user).values_list("enterprise_id", flat=True)
    for pk in sorted(set(assigned)):
        pages += [reverse("training:enterprise_detail", args=[pk]), reverse("training:visit_start", args=[pk])]
    drafts = Visit.objects.filter(consultant=user, status=VisitStatus.DRAFT, enterprise__in=list(assigned))
    pages += [reverse("training:visit_edit", args=[pk]) for pk in drafts.values_list("pk", flat=True)]
    # The monthly figures of each enterprise's latest round, to be typed offline too.
    latest = {}
    for pk, enterprise_id in (
        Round.objects.filter(enterprise__in=list(assigned)).order_by("held_on", "pk").values_list("pk", "enterprise_id")
    ):
        latest[enterprise_id] = pk
    pages += [reverse("baseline:month_entry", args=[pk]) for pk in latest.values()]
    return pages
