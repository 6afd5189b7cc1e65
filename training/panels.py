"""The consultant's home-page figures, and the worklist items owned by this app."""

from django.db.models import F
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from score_portal import dashboard, worklist
from score_portal.roles import CONSULTANT, OFFICER, display_name, is_officer

from . import list_columns
from .models import Session
from .visits import access, selectors
from .visits import rules as visit_rules


@dashboard.register(CONSULTANT, order=20)
def visits_this_week(request):
    value = selectors.visits_this_week(request.user).count()
    return {"title": _("My visits this week"), "value": value, "url": reverse("training:visit_list") + "?week=this"}


@dashboard.register(CONSULTANT, order=21)
def overdue_actions(request):
    value = selectors.overdue_actions(request.user).count()
    return {"title": _("Overdue agreed actions"), "value": value, "url": reverse("training:action_list") + "?overdue=1"}


@dashboard.register(CONSULTANT, order=22)
def enterprises_not_visited(request):
    value = selectors.count_not_visited(request.user)
    return {
        "title": _("Enterprises not visited for 30 days or more"),
        "value": value,
        "url": reverse("training:home") + "?not_visited=1",
    }


dashboard.register_enterprise_link(
    gettext_lazy("Visits, EIT and improvement plan"), "training:enterprise_detail", order=10
)


# ---------------------------------------------------------------- the officer's worklist
@worklist.register(CONSULTANT, order=40)
@worklist.register(OFFICER, order=40)
def overdue_agreed_actions(user, today):
    """Across all consultants: the officer sees every visit."""
    actions = selectors.actions_in_scope(user, overdue_only=True, today=today)
    return worklist.WorkItem(
        key="overdue-actions",
        title=_("Overdue agreed actions"),
        count=actions.count(),
        url=reverse("training:action_list") + "?overdue=1",
        tone="late",
        entries=[
            worklist.Entry(
                label=f"{action.visit.enterprise.legal_name}: {action.what}",
                url=reverse("training:visit_detail", args=[action.visit_id]),
                detail=_("due %(date)s · %(consultant)s")
                % {"date": date_format(action.due_on, "j M Y"), "consultant": display_name(action.visit.consultant)},
            )
            for action in actions[: worklist.ROWS]
        ],
    )


@worklist.register(CONSULTANT, order=50)
@worklist.register(OFFICER, order=50)
def not_visited(user, today):
    # The count asks NOT EXISTS; only the five rows shown look up their last visit.
    enterprises = list_columns.last_visit_on(selectors.enterprises_not_visited(user)).order_by(
        F("last_visit_on").asc(nulls_first=True), "pk"
    )
    return worklist.WorkItem(
        key="not-visited",
        title=_("Enterprises not visited for 30 days or more"),
        count=selectors.count_not_visited(user),
        url=reverse("training:home") + "?not_visited=1",
        tone="late",
        entries=[
            worklist.Entry(
                label=enterprise.legal_name,
                url=reverse("training:enterprise_detail", args=[enterprise.pk]),
                detail=(_("last visit %(date)s") % {"date": date_format(enterprise.last_visit_on, "j M Y")})
                if enterprise.last_visit_on
                else _("never visited"),
            )
            for enterprise in enterprises[: worklist.ROWS]
        ],
    )


@worklist.register(CONSULTANT, order=80)
@worklist.register(OFFICER, order=80)
def this_week(user, today):
    """This week's classroom sessions and factory visits, in date order."""
    monday, sunday = visit_rules.week_of(today)
    sessions = Session.objects.filter(date__gte=monday, date__lte=sunday).select_related(
        "workshop__module", "workshop__course__batch", "workshop__group"
    )
    visits = access.visible_visits(user).filter(date__gte=monday, date__lte=sunday)
    if not is_officer(user):
        # A consultant's own week: the days they train and the factories they visit.
        sessions, visits = sessions.filter(trainer=user), visits.filter(consultant=user)
    visits = visits.select_related("enterprise", "consultant").order_by("date", "start_time", "pk")
    rows = [
        (
            session.date,
            worklist.Entry(
                label=str(session.workshop),
                url=reverse("training:session_detail", args=[session.pk]),
                detail=_("session, %(date)s") % {"date": date_format(session.date, "D j M")},
            ),
        )
        for session in sessions[: worklist.ROWS * 2]
    ] + [
        (
            visit.date,
            worklist.Entry(
                label=visit.enterprise.legal_name,
                url=reverse("training:visit_detail", args=[visit.pk]),
                detail=_("visit by %(consultant)s, %(date)s")
                % {"consultant": display_name(visit.consultant), "date": date_format(visit.date, "D j M")},
            ),
        )
        for visit in visits[: worklist.ROWS * 2]
    ]
    rows.sort(key=lambda row: row[0])
    return worklist.WorkItem(
        key="this-week",
        title=_("This week's sessions and visits"),
        count=sessions.count() + visits.count(),
        url=reverse("training:calendar"),
        tone="agenda",
        entries=[entry for _date, entry in rows[: worklist.ROWS * 2]],
    )


@worklist.register(CONSULTANT, order=30)
def visits_due(user, today):
    """The consultant's next visits agreed for today or before and not made yet (as in the daily digest)."""
    visits = selectors.visits_due(user, today=today)
    return worklist.WorkItem(
        key="visits-due",
        title=_("Visits due"),
        count=visits.count(),
        url=reverse("training:home"),
        tone="late",
        entries=[
            worklist.Entry(
                label=visit.enterprise.legal_name,
                url=reverse("training:enterprise_detail", args=[visit.enterprise_id]),
                detail=_("next visit agreed for %(date)s") % {"date": date_format(visit.next_visit_on, "j M Y")},
            )
            for visit in visits[: worklist.ROWS]
        ],
    )
