"""Classroom delivery pages: Level 1 courses, Level 2 groups (members, module order, schedule), workshops
with their participants, the attendance register, calendars and the iCalendar feed.

Thin: access through selectors (scoped by enterprises.access), writes through services.
Planning pages are for officers; workshops, sessions and calendars for whoever takes part in them.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from enterprises.access import can_view_enterprise
from enterprises.models import Enterprise, Level1Batch
from score_portal.feedback import tell_refusal
from score_portal.paging import page_of
from score_portal.permissions import officer_required
from score_portal.roles import is_officer

from ..models import CalendarFeed, GroupMember, Level1Course, Participant, PublicHoliday, Session, TrainingGroup
from ..visits import selectors as visit_selectors
from . import ical, rules, selectors, services
from .forms import (
    GroupForm,
    HolidayForm,
    Level1CourseForm,
    Level1DayForm,
    MemberForm,
    MonthForm,
    MoveForm,
    OrderForm,
    ParticipantForm,
    PrioritiesForm,
)


def _tell_form_errors(request, form) -> None:
    """Every error of a form posted from another page, shown as messages on the page it returns to."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


# ---------------------------------------------------------------- overview
DELIVERY_PAGE_SIZE = 20


@officer_required
def delivery_home(request):
    # A national programme has hundreds of batches and groups: a page of each, the latest first (a batch
    # with no start date yet is the newest).
    batches = Level1Batch.objects.select_related("call", "level1_course").order_by(
        "-call__opens_on", F("starts_on").desc(nulls_first=True), "-pk"
    )
    groups = TrainingGroup.objects.annotate(member_count=Count("members")).order_by("-starts_on", "name", "pk")
    participants = Participant.objects.all()
    return render(
        request,
        "training/delivery/home.html",
        {
            "batches": page_of(request, batches, per_page=DELIVERY_PAGE_SIZE, param="batches"),
            "groups": page_of(request, groups, per_page=DELIVERY_PAGE_SIZE, param="groups"),
            "by_module": sorted(selectors.counts_by(participants, "workshop__module__number").items()),
        },
    )


# ---------------------------------------------------------------- Level 1
@officer_required
def level1_course(request, batch):
    batch = get_object_or_404(Level1Batch.objects.select_related("call"), pk=batch)
    course = Level1Course.objects.filter(batch=batch).first()
    if request.method == "POST":
        form = Level1CourseForm(request.POST, instance=course)
        if form.is_valid():
            course = services.set_up_level1_course(batch, months=form.cleaned_data["consultancy_months"])
            form.instance = course
            form.save()
            messages.success(request, _("Level 1 course saved."))
            return redirect("training:level1_course", batch=batch.pk)
    else:
        form = Level1CourseForm(instance=course)
    context = {"batch": batch, "course": course, "form": form}
    if course:
        context.update(selectors.level1_course_page(course, today=timezone.localdate()))
        context["day_form"] = _day_form(context["sessions"])
    return render(request, "training/delivery/level1_course.html", context)


def _day_form(sessions):
    """The form for the next classroom day not set yet (day 1 once all are set)."""
    taken = {s.day for s in sessions}
    next_day = min({1, 2, 3} - taken, default=1)
    return Level1DayForm(initial={"day": next_day})


@officer_required
@require_POST
def level1_day(request, batch):
    course = get_object_or_404(Level1Course.objects.select_related("batch"), batch=batch)
    form = Level1DayForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.save_level1_day(
                course,
                day=data["day"],
                date=data["date"],
                venue=data["venue"],
                trainer=data["trainer"],
                start_time=data["start_time"],
                end_time=data["end_time"],
                accept_soft=data["accept"],
            )
        except services.NeedsConfirmation as exc:
            tell_refusal(request, exc)
            messages.warning(request, _("Tick the box to keep the date anyway."))
        except ValidationError as exc:
            tell_refusal(request, exc)
        else:
            messages.success(request, _("Classroom day saved."))
    else:
        _tell_form_errors(request, form)
    return redirect("training:level1_course", batch=course.batch_id)


# ---------------------------------------------------------------- Level 2 groups
def _group_form_page(request, group=None):
    form = GroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        saved = services.save_group(form, by=request.user)
        if group is None:
            messages.success(request, _("Group created. Add its enterprises next."))
        else:
            messages.success(request, _("Group saved."))
        return redirect("training:group_detail", pk=saved.pk)
    return render(request, "training/delivery/group_form.html", {"form": form, "group": group})


@officer_required
def group_new(request):
    return _group_form_page(request)


@officer_required
def group_edit(request, pk):
    return _group_form_page(request, get_object_or_404(TrainingGroup, pk=pk))


@officer_required
def group_detail(request, pk):
    group = get_object_or_404(TrainingGroup.objects.select_related("trainer", "order_changed_by"), pk=pk)
    context = selectors.group_page(group)
    context.update(
        {
            "group": group,
            "member_form": MemberForm(),
            "order_form": OrderForm(initial={"order": ", ".join(map(str, context["order"]))}),
        }
    )
    return render(request, "training/delivery/group_detail.html", context)


@officer_required
@require_POST
def group_member_add(request, pk):
    group = get_object_or_404(TrainingGroup, pk=pk)
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            services.add_member(group, form.cleaned_data["enterprise"], priorities=form.cleaned_data["priorities"])
        except ValidationError as exc:
            tell_refusal(request, exc)
        else:
            messages.success(request, _("Enterprise added to the group."))
    else:
        _tell_form_errors(request, form)
    return redirect("training:group_detail", pk=group.pk)


@officer_required
@require_POST
def group_member(request, pk, member):
    member = get_object_or_404(GroupMember.objects.select_related("enterprise"), pk=member, group=pk)
    if request.POST.get("action") == "remove":
        try:
            services.remove_member(member)
        except ValidationError as exc:
            tell_refusal(request, exc)
        else:
            messages.success(request, _("Enterprise removed from the group."))
        return redirect("training:group_detail", pk=pk)
    form = PrioritiesForm(request.POST)
    if form.is_valid():
        services.set_priorities(member, form.cleaned_data["priorities"])
        messages.success(request, _("Priorities saved."))
    else:
        messages.error(request, form.errors["priorities"][0])
    return redirect("training:group_detail", pk=pk)


@officer_required
@require_POST
def group_order(request, pk):
    group = get_object_or_404(TrainingGroup, pk=pk)
    if request.POST.get("action") == "recommended":
        services.set_module_order(group, [], reason="", by=request.user)
        messages.success(request, _("The group follows the recommended order again."))
        return redirect("training:group_detail", pk=pk)
    form = OrderForm(request.POST)
    if form.is_valid():
        services.set_module_order(
            group, form.cleaned_data["order"], reason=form.cleaned_data["reason"], by=request.user
        )
        messages.success(request, _("Module order saved."))
    else:
        _tell_form_errors(request, form)
    return redirect("training:group_detail", pk=pk)


@officer_required
def group_schedule(request, pk):
    """GET: the proposed dates and what could not be placed; POST: create the workshops."""
    group = get_object_or_404(TrainingGroup.objects.select_related("trainer"), pk=pk)
    if request.method == "POST":
        try:
            plan = services.accept_schedule(group, by=request.user)
        except ValidationError as exc:  # another officer took the trainer's day a moment before
            tell_refusal(request, exc)
            return redirect("training:group_schedule", pk=pk)
        if plan.placements:
            messages.success(request, _("%(n)d workshops scheduled.") % {"n": len(plan.placements)})
        for problem in plan.problems:
            messages.error(request, services.describe_problem(problem))
        return redirect("training:group_detail", pk=pk)
    plan = services.propose_schedule(group)
    return render(
        request,
        "training/delivery/group_schedule.html",
        {
            "group": group,
            "plan": plan,
            "problems": [services.describe_problem(p) for p in plan.problems],
            "no_trainer": group.trainer_id is None,
        },
    )


@officer_required
def session_move(request, pk):
    session = get_object_or_404(
        Session.objects.select_related("workshop__module", "workshop__group", "workshop__course__batch", "trainer"),
        pk=pk,
    )
    level2 = session.workshop.group_id is not None
    form = MoveForm(request.POST or None, initial={"date": session.date, "shift_workshop": level2})
    conflicts = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.move_session(
                session,
                data["date"],
                shift_workshop=data["shift_workshop"],
                accept_soft=data["accept"],
                by=request.user,
            )
        except services.NeedsConfirmation as exc:
            conflicts = exc.messages
            form.add_error(None, _("This date breaks a constraint; tick the box below to move it anyway."))
        except ValidationError as exc:
            conflicts = exc.messages
            form.add_error(None, _("This date is taken: nothing was moved."))
        else:
            messages.success(request, _("Session moved."))
            return redirect("training:session_detail", pk=session.pk)
    return render(
        request, "training/delivery/session_move.html", {"session": session, "form": form, "conflicts": conflicts}
    )


# ---------------------------------------------------------------- public holidays
@officer_required
def holidays(request):
    form = HolidayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Holiday added."))
        return redirect("training:holidays")
    today = timezone.localdate()
    return render(
        request,
        "training/delivery/holidays.html",
        {"form": form, "holidays": PublicHoliday.objects.filter(date__gte=today.replace(month=1, day=1))},
    )


@officer_required
@require_POST
def holiday_delete(request, pk):
    get_object_or_404(PublicHoliday, pk=pk).delete()
    messages.success(request, _("Holiday removed."))
    return redirect("training:holidays")


# ---------------------------------------------------------------- workshops and participants
def _sees_everyone(user, workshop) -> bool:
    return is_officer(user) or selectors.is_trainer_of(user, workshop)


def workshop_detail(request, pk):
    workshop = selectors.workshop_for(request.user, pk)
    everyone = _sees_everyone(request.user, workshop)
    context = selectors.workshop_page(request.user, workshop, everyone=everyone)
    context.update({"workshop": workshop, "everyone": everyone, "is_officer": is_officer(request.user)})
    return render(request, "training/delivery/workshop_detail.html", context)


def _nominating(user, workshop, enterprise_pk) -> Enterprise:
    """The enterprise if it takes part in the workshop and the user may see it (404 otherwise)."""
    enterprise = selectors.workshop_enterprises(workshop).filter(pk=enterprise_pk).first()
    if enterprise is None or not can_view_enterprise(user, enterprise):
        raise Http404("No such enterprise in this workshop")
    return enterprise


def participant_new(request, pk, enterprise):
    workshop = selectors.workshop_for(request.user, pk)
    enterprise = _nominating(request.user, workshop, enterprise)
    form = ParticipantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.save_participant(form, workshop=workshop, enterprise=enterprise, by=request.user)
        messages.success(request, _("Participant added."))
        return redirect("training:workshop_detail", pk=workshop.pk)
    return render(
        request,
        "training/delivery/participant_form.html",
        {"workshop": workshop, "enterprise": enterprise, "form": form},
    )


def _participant(request, pk) -> Participant:
    participant = get_object_or_404(Participant.objects.select_related("enterprise", "workshop"), pk=pk)
    workshop = selectors.workshop_for(request.user, participant.workshop_id)
    _nominating(request.user, workshop, participant.enterprise_id)
    return participant


def participant_edit(request, pk):
    participant = _participant(request, pk)
    form = ParticipantForm(request.POST or None, instance=participant)
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            services.remove_participant(participant)
            messages.success(request, _("Participant removed."))
            return redirect("training:workshop_detail", pk=participant.workshop_id)
        if form.is_valid():
            services.save_participant(
                form, workshop=participant.workshop, enterprise=participant.enterprise, by=request.user
            )
            messages.success(request, _("Participant saved."))
            return redirect("training:workshop_detail", pk=participant.workshop_id)
    return render(
        request,
        "training/delivery/participant_form.html",
        {
            "workshop": participant.workshop,
            "enterprise": participant.enterprise,
            "form": form,
            "participant": participant,
        },
    )


# ---------------------------------------------------------------- attendance register
@never_cache
def session_detail(request, pk):
    """The attendance register of one day: everyone is ticked present; untick the exceptions and save."""
    session = selectors.session_for(request.user, pk)
    can_record = is_officer(request.user) or session.trainer_id == request.user.pk
    everyone = can_record or selectors.is_trainer_of(request.user, session.workshop)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        participants = Participant.objects.filter(workshop=session.workshop_id)
        present_ids = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
        absent = [p.pk for p in participants if p.pk not in present_ids]
        count = services.record_attendance(session, participants, absent, by=request.user)
        messages.success(request, _("Attendance saved: %(n)d present.") % {"n": count})
        return redirect("training:session_detail", pk=session.pk)
    context = selectors.session_page(request.user, session, everyone=everyone)
    context.update({"session": session, "can_record": can_record, "is_officer": is_officer(request.user)})
    return render(request, "training/delivery/session_detail.html", context)


# ---------------------------------------------------------------- calendars
def _month_start(form) -> datetime.date:
    today = timezone.localdate()
    month = form.cleaned_data.get("month") if form.is_valid() else None
    return (month or today).replace(day=1)


def calendar(request):
    """Sessions in the user's scope, as a month grid or a list; the list also shows upcoming visits."""
    form = MonthForm(request.GET or None)
    view = (form.cleaned_data.get("view") if form.is_valid() else "") or "month"
    first = _month_start(form)
    following = rules.add_months(first, 1)
    today = timezone.localdate()
    context = {"view": view, "first": first, "today": today}
    if view == "list":
        sessions = selectors.sessions_for_calendar(request.user, date_from=today)[:200]
        scheduled, planned = visit_selectors.upcoming_visits(request.user)
        recent = visit_selectors.visits_for_calendar(
            request.user, date_from=today - datetime.timedelta(days=30), date_to=today - datetime.timedelta(days=1)
        )
        context.update({"sessions": sessions, "scheduled": scheduled, "planned": planned, "recent": recent})
    else:
        last = following - datetime.timedelta(days=1)
        sessions = list(selectors.sessions_for_calendar(request.user, date_from=first, date_to=last))
        visits = visit_selectors.visits_for_calendar(request.user, date_from=first, date_to=last)
        context.update(
            {
                "weeks": selectors.month_grid(first.year, first.month, sessions, visits=visits, today=today),
                "visits": visits,
                "holidays": selectors.holidays_between(first, last),
                "previous": rules.add_months(first, -1),
                "following": following,
                "sessions": sessions,
            }
        )
    return render(request, "training/delivery/calendar.html", context)


def feed_url(request, feed: CalendarFeed) -> str:
    return request.build_absolute_uri(reverse("feeds:calendar", args=[feed.token]))


def calendar_feed_page(request):
    if request.method == "POST":
        feed = services.reset_feed(request.user)
        messages.success(request, _("A new address was made; the old one no longer works."))
        return redirect("training:calendar_feed")
    feed = services.feed_for(request.user)
    return render(request, "training/delivery/calendar_feed.html", {"feed": feed, "url": feed_url(request, feed)})


def _session_event(request, session) -> ical.Event:
    workshop = session.workshop
    owner = workshop.group or workshop.course.batch
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.datetime.combine(session.date, session.start_time), zone)
    end = timezone.make_aware(datetime.datetime.combine(session.date, session.end_time), zone)
    trainer = session.trainer.get_full_name() or session.trainer.username if session.trainer else ""
    return ical.Event(
        uid=f"session-{session.pk}@score-portal",
        start=start,
        end=end,
        summary=_("SCORE Module %(module)d, day %(day)d · %(owner)s")
        % {"module": workshop.module.number, "day": session.day, "owner": owner},
        location=session.venue,
        description=f"{workshop.module.title}\n{_('Trainer')}: {trainer}" if trainer else workshop.module.title,
        url=request.build_absolute_uri(reverse("training:session_detail", args=[session.pk])),
    )


# An officer sees every visit of the programme; a feed keeps to the most recent ones.
FEED_VISITS = 500


def _visit_event(request, entry) -> ical.Event:
    visit = entry.visit
    consultant = visit.consultant.get_full_name() or visit.consultant.username
    if entry.planned:
        summary = _("Next visit (agreed) · %(enterprise)s") % {"enterprise": visit.enterprise.legal_name}
        description = _("Agreed on the visit of %(date)s by %(consultant)s.") % {
            "date": visit.date.isoformat(),
            "consultant": consultant,
        }
        return ical.Event(
            uid=f"visit-{visit.pk}-next@score-portal",
            start=None,
            end=None,
            day=entry.date,
            summary=summary,
            description=description,
            url=request.build_absolute_uri(reverse("training:enterprise_detail", args=[visit.enterprise_id])),
        )
    summary = _("Visit · %(enterprise)s") % {"enterprise": visit.enterprise.legal_name}
    url = request.build_absolute_uri(reverse("training:visit_detail", args=[visit.pk]))
    if visit.start_time and visit.end_time:
        zone = timezone.get_current_timezone()
        start = timezone.make_aware(datetime.datetime.combine(visit.date, visit.start_time), zone)
        end = timezone.make_aware(datetime.datetime.combine(visit.date, visit.end_time), zone)
        return ical.Event(
            uid=f"visit-{visit.pk}@score-portal", start=start, end=end, summary=summary, description=consultant, url=url
        )
    return ical.Event(
        uid=f"visit-{visit.pk}@score-portal",
        start=None,
        end=None,
        day=visit.date,
        summary=summary,
        description=consultant,
        url=url,
    )


@login_not_required
def calendar_feed(request, token):
    """The person's sessions as iCalendar, for phone and desktop calendars. The token is the only key."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token, user__is_active=True).first()
    if feed is None:
        raise Http404("No such feed")
    since = timezone.localdate() - datetime.timedelta(days=90)
    sessions = selectors.sessions_for_calendar(feed.user, date_from=since)
    visits = visit_selectors.visits_for_calendar(feed.user, date_from=since)[:FEED_VISITS]
    events = [_session_event(request, s) for s in sessions] + [_visit_event(request, v) for v in visits]
    body = ical.calendar(events, name=_("SCORE training"), stamp=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    response["Content-Disposition"] = 'inline; filename="score-training.ics"'
    return response
