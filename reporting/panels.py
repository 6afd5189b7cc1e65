"""What the reports app adds to other apps' pages: the officer's home-page figure on the programme's
targets, and the targets section of the programme results page (baseline/sections.py)."""

from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from baseline import sections
from score_portal import dashboard, worklist
from score_portal.roles import OFFICER, is_officer

from . import selectors
from .models import JobStatus, ReportJob


@dashboard.register(OFFICER, order=45)
def targets_panel(request):
    """'3 of 5' targets on track; hidden while no target is set."""
    items = selectors.targets_with_actuals()
    if not items:
        return None
    on_track = sum(1 for item in items if item.verdict.on_track)
    return {
        "title": _("Programme targets on track or achieved"),
        "value": _("%(n)s of %(total)s") % {"n": on_track, "total": len(items)},
        "url": reverse("reporting:targets"),
    }


@sections.register(order=10)
def targets_section(request):
    if not is_officer(request.user):
        return ""
    return render_to_string(
        "reporting/_targets_section.html", {"targets": selectors.targets_with_actuals()}, request=request
    )


# ---------------------------------------------------------------- the officer's worklist
@worklist.register(OFFICER, order=60)
def targets_off_track(user, today):
    """Programme targets not on track (off track, missed, or without data), each read in words."""
    items = [item for item in selectors.targets_with_actuals(today=today) if not item.verdict.on_track]
    return worklist.WorkItem(
        key="targets-off-track",
        title=_("Programme targets off track"),
        count=len(items),
        url=reverse("reporting:targets"),
        tone="late",
        entries=[
            worklist.Entry(
                label=item.text,
                url=reverse("reporting:targets"),
                detail=f"{item.verdict.label}: {item.actual_text}",
            )
            for item in items[: worklist.ROWS]
        ],
    )


@worklist.register(OFFICER, order=70)
def failed_reports(user, today):
    """Report jobs that failed for good, unless the same report was made since (tried again, or asked anew)."""
    made_since = ReportJob.objects.filter(
        signature=OuterRef("signature"), status=JobStatus.DONE, created_at__gt=OuterRef("created_at")
    )
    jobs = (
        ReportJob.objects.filter(status=JobStatus.FAILED)
        .exclude(Exists(made_since))
        .select_related("enterprise", "call", "requested_by")
    )
    return worklist.WorkItem(
        key="failed-reports",
        title=_("Failed reports"),
        count=jobs.count(),
        url=reverse("reporting:home"),
        tone="problem",
        entries=[
            worklist.Entry(
                label=f"{job.get_kind_display()} · {job.subject_label}",
                url=reverse("reporting:job", args=[job.pk]),
                detail=(job.error or "")[:120],
            )
            for job in jobs.order_by("-created_at", "-pk")[: worklist.ROWS]
        ],
    )
