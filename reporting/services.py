"""Report jobs: asking for a report, handing it to the workers, running it, retrying and cleaning up.

The job row is written first and the task is sent only after the transaction commits, so a
worker never looks for a job that is not there yet. `dispatched_at` is written only once the
broker has taken the message: if the broker (or anything else on the way) fails, the job stays
queued with no `dispatched_at` ("waiting for the queue"), and asking for it again, *Try again*, or
`dispatch_queued` (the management command `dispatch_queued_reports`, from cron or Celery beat)
sends it when the broker is back.

A task may run twice (a retry, a redelivery after a worker died, two sweeps): `run_job` claims
the job with one conditional UPDATE, so only one run renders it, and a job that is done stays done.
"""

import datetime
import json
import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, OperationalError, connections, transaction
from django.db.models import F, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from enterprises.access import can_view_enterprise, enterprise_ids_visible_to
from enterprises.models import LetterKind
from enterprises.path import letters
from score_portal import notifications
from score_portal.models import NotificationKind
from score_portal.queue import celery_app as _celery_app
from score_portal.queue import hand_to_workers
from score_portal.roles import is_officer

from .errors import ReportError, RetryableReportError  # noqa: F401 - tasks and tests name them here
from .models import (
    ACTIVE_STATUSES,
    DATA_FORMATS,
    ENTERPRISE_KINDS,
    PROGRAMME_KINDS,
    REPORTS_FOLDER,
    BusinessCase,
    FileFormat,
    JobStatus,
    ReportJob,
    ReportKind,
    Target,
    TargetMetric,
    report_path,
)

logger = logging.getLogger(__name__)

TASK_NAME = "reporting.tasks.render_report"
# A running job whose worker has said nothing for this long is taken to be lost and may be run again.
STALE_AFTER = datetime.timedelta(minutes=30)
# Kinds an officer asks for on behalf of the programme; the others anyone who sees the enterprise may ask for.
OFFICER_ONLY_KINDS = (*PROGRAMME_KINDS, ReportKind.BUSINESS_CASE, ReportKind.LETTER)


def retention_days() -> int:
    return int(getattr(settings, "REPORTS_RETENTION_DAYS", os.environ.get("REPORTS_RETENTION_DAYS", 30)))


# ---------------------------------------------------------------- who may do what
def can_request(user, kind: str, enterprise=None) -> bool:
    if kind in OFFICER_ONLY_KINDS and not is_officer(user):
        return False
    if kind in ENTERPRISE_KINDS:
        return enterprise is not None and can_view_enterprise(user, enterprise)
    return True


def jobs_visible_to(user):
    """The same rule as the data in the reports: officers see every job; others the reports on the
    enterprises they may see."""
    jobs = ReportJob.objects.select_related("requested_by", "enterprise", "call")
    if is_officer(user):
        return jobs
    return jobs.filter(kind__in=ENTERPRISE_KINDS, enterprise__in=enterprise_ids_visible_to(user))


def job_for(user, pk) -> ReportJob:
    """The job if the user may see it; 404 otherwise."""
    job = jobs_visible_to(user).filter(pk=pk).first()
    if job is None:
        raise Http404("No such report")
    return job


# ---------------------------------------------------------------- asking for a report
def signature(kind: str, file_format: str, enterprise_id, call_id, params: dict) -> str:
    return "|".join(
        [kind, file_format, f"e{enterprise_id or ''}", f"c{call_id or ''}", json.dumps(params or {}, sort_keys=True)]
    )


def _check(kind: str, file_format: str, enterprise, call, params: dict) -> None:
    if kind not in ReportKind.values:
        raise ValidationError(_("Unknown report."), code="unknown_kind")
    if file_format not in FileFormat.values:
        raise ValidationError(_("Unknown format."), code="unknown_format")
    if file_format == FileFormat.XLSX and kind != ReportKind.PROGRAMME:
        raise ValidationError(_("Only the programme report has an Excel version."), code="no_excel")
    if (file_format in DATA_FORMATS) != (kind == ReportKind.GLOBAL_DATABASE):
        raise ValidationError(_("The global SCORE database export is JSON Lines or CSV, and only it."), code="format")
    if kind in ENTERPRISE_KINDS and enterprise is None:
        raise ValidationError(_("Pick an enterprise."), code="no_enterprise")
    if kind == ReportKind.CALL_SCREENING and call is None:
        raise ValidationError(_("Pick a call."), code="no_call")
    if kind == ReportKind.LETTER and params.get("letter_kind") not in LetterKind.values:
        raise ValidationError(_("Pick the kind of letter."), code="no_letter_kind")


@dataclass(frozen=True)
class Requested:
    job: ReportJob
    created: bool  # False: the same report was already queued or running, and is reused


def request_report(
    user, kind: str, *, enterprise=None, call=None, params: dict | None = None, file_format: str = FileFormat.PDF
) -> Requested:
    """Save a job for this report (or reuse the one already queued or running) and send it after commit."""
    params = {k: v for k, v in (params or {}).items() if v not in (None, "")}
    if kind not in ENTERPRISE_KINDS:
        enterprise = None
    if kind not in (ReportKind.CALL_SCREENING, ReportKind.PROGRAMME):
        call = None
    _check(kind, file_format, enterprise, call, params)
    if not can_request(user, kind, enterprise):
        raise PermissionDenied
    sig = signature(kind, file_format, getattr(enterprise, "pk", None), getattr(call, "pk", None), params)
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().filter(signature=sig, status__in=ACTIVE_STATUSES).first()
        created = False
        if job is None:
            try:
                with transaction.atomic():
                    job = ReportJob.objects.create(
                        kind=kind,
                        file_format=file_format,
                        requested_by=user,
                        enterprise=enterprise,
                        call=call,
                        params=params,
                        signature=sig,
                    )
                created = True
            except IntegrityError:
                # Someone asked for the same report at the same moment: share theirs.
                job = ReportJob.objects.get(signature=sig, status__in=ACTIVE_STATUSES)
        if created or (job.waiting_for_queue and job.dispatch_error):
            # New, or saved while the broker was down: (try to) send it once this commits.
            transaction.on_commit(partial(dispatch, job.pk))
    job.refresh_from_db()
    return Requested(job, created)


@transaction.atomic
def retry_job(job: ReportJob, *, by) -> ReportJob:
    """Run a failed job again, or send again a job that is still waiting for the queue."""
    job = ReportJob.objects.select_for_update().get(pk=job.pk)
    if job.waiting_for_queue:
        transaction.on_commit(partial(dispatch, job.pk))
        return job
    if job.status != JobStatus.FAILED:
        raise ValidationError(_("Only a failed report can be tried again."), code="not_failed")
    active = ReportJob.objects.filter(signature=job.signature, status__in=ACTIVE_STATUSES).first()
    if active:
        return active
    ReportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.QUEUED,
        progress=0,
        phase="",
        error="",
        attempts=0,
        dispatched_at=None,
        dispatch_error="",
        started_at=None,
        finished_at=None,
    )
    transaction.on_commit(partial(dispatch, job.pk))
    logger.info("report job %s retried by %s", job.pk, by)
    job.refresh_from_db()
    return job


# ---------------------------------------------------------------- handing jobs to the workers
def dispatch(job_id: int, app=None, *, background: bool | None = None) -> bool:
    """Send the job to the workers (or, when no broker is configured, make it in this process: in a
    thread of its own unless REPORTS_IN_BACKGROUND is off or `background` is False). False if the
    broker did not take it: the job stays waiting for the queue, and nothing is lost."""
    app = _celery_app(app)
    if app.conf.task_always_eager:
        ReportJob.objects.filter(pk=job_id).update(dispatched_at=timezone.now(), dispatch_error="")
        if background is None:
            background = in_background()
        if background:
            run_in_background(job_id)
        else:
            run_in_process(job_id)
        return True
    handed_at = timezone.now()
    error = hand_to_workers(app, TASK_NAME, [job_id], what=f"report job {job_id}")
    if error:
        ReportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(dispatched_at=None, dispatch_error=error)
        return False
    ReportJob.objects.filter(pk=job_id).update(dispatched_at=handed_at, dispatch_error="")
    return True


def jobs_to_dispatch(now=None):
    """Queued jobs never sent, queued jobs sent long ago and never started, and running jobs gone quiet."""
    now = now or timezone.now()
    stale = now - STALE_AFTER
    return ReportJob.objects.filter(
        Q(status=JobStatus.QUEUED, dispatched_at__isnull=True)
        | Q(status=JobStatus.QUEUED, dispatched_at__lt=stale)
        | Q(status=JobStatus.RUNNING, started_at__lt=stale)
    ).order_by("created_at", "pk")


def dispatch_queued(app=None) -> tuple[int, int]:
    """Send every job that waits for the queue; (sent, still waiting).

    The first job the broker does not take ends the sweep: the others would each wait for the same
    timeout, and they stay waiting for the next sweep. A job that fails for any other reason is
    counted as waiting and the sweep goes on."""
    job_ids = list(jobs_to_dispatch().values_list("pk", flat=True))
    sent = 0
    for job_id in job_ids:
        try:
            # the sweep is a command of its own, which would end before a thread of it: in line
            taken = dispatch(job_id, app=app, background=False)
        except Exception:
            logger.exception("report job %s could not be dispatched", job_id)
            continue
        if not taken:
            return sent, len(job_ids) - sent
        sent += 1
    return sent, len(job_ids) - sent


# ---------------------------------------------------------------- running a job (in the worker)
MAX_RETRIES = 3  # the task's max_retries: four attempts in all


def run_in_process(job_id: int) -> str:
    """No broker: the same attempts as the task, one after the other, without the backoff waits."""
    for attempt in range(MAX_RETRIES + 1):
        try:
            return run_job(job_id, final=attempt >= MAX_RETRIES)
        except RetryableReportError:
            continue
    return "failed"


# ---------------------------------------------------------------- without a broker: a thread of the web process
def in_background() -> bool:
    return bool(getattr(settings, "REPORTS_IN_BACKGROUND", True))


# One report at a time per web process: a second one asked for meanwhile waits its turn, queued.
_background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="report-job")


LOCKED_RETRIES = 5


def _run_and_close(job_id: int) -> str:
    try:
        for attempt in range(LOCKED_RETRIES):
            try:
                return run_in_process(job_id)
            except OperationalError:
                # SQLite: the request that asked for the report may still hold a lock for a moment.
                if attempt == LOCKED_RETRIES - 1:
                    raise
                time.sleep(0.2 * (attempt + 1))
    except Exception:
        logger.exception("report job %s failed in the background", job_id)
        return "failed"
    finally:
        # The thread's own database connection: closed, or it outlives the job (and a test database).
        connections.close_all()
    return "failed"


def run_in_background(job_id: int):
    """Make the report in a thread, after the request that asked for it has answered: the page
    shows the job at once and follows its progress as with a worker."""
    return _background.submit(_run_and_close, job_id)


def wait_for_background(timeout: float = 120) -> None:
    """Until the reports asked for so far in this process are made (for tests and shutdown)."""
    _background.submit(lambda: None).result(timeout=timeout)


def _claim(job_id: int) -> bool:
    now = timezone.now()
    claimable = Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, started_at__lt=now - STALE_AFTER)
    return bool(
        ReportJob.objects.filter(claimable, pk=job_id).update(
            status=JobStatus.RUNNING,
            started_at=now,
            finished_at=None,
            progress=5,
            phase=_("Starting"),
            attempts=F("attempts") + 1,
        )
    )


def set_progress(job_id: int, progress: int, phase: str) -> None:
    """Written at once (autocommit in the worker), so the page that polls sees it."""
    ReportJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(progress=progress, phase=phase[:120])


def readable(exc: Exception) -> str:
    text = str(exc).strip() or exc.__class__.__name__
    return _("The report could not be made: %(error)s") % {"error": text[:500]}


def file_name(job: ReportJob, title: str) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"{slugify(title)[:60] or 'report'}-{job.pk}-{stamp}.{job.file_format}"


def _tell_ready(job: ReportJob) -> None:
    """Tell a consultant or a contact who asked that the report is ready (once per job: the key is the job).
    Officers follow their reports on the job page and the reports list."""
    if is_officer(job.requested_by):
        return
    # A worker has no reader's language: a contact is told in the enterprise's (as its letters).
    (language,) = letters.by_language([job.requested_by])
    with translation.override(language):
        notifications.notify(
            user=job.requested_by,
            kind=NotificationKind.REPORT_READY,
            ref=f"report-job-{job.pk}",
            title=_("Your report is ready: %(kind)s, %(subject)s")
            % {"kind": job.get_kind_display(), "subject": job.subject_label},
            url=reverse("reporting:job", args=[job.pk]),
        )


def run_job(job_id: int, *, final: bool = True) -> str:
    """Render the job's report and store the file. Returns what happened: done, failed, retry or skipped."""
    from . import reports

    if not _claim(job_id):
        return "skipped"  # done, failed, gone, or another run holds it
    job = ReportJob.objects.select_related("enterprise", "call", "requested_by").get(pk=job_id)
    try:
        rendered = reports.render(job, progress=partial(set_progress, job_id))
        set_progress(job_id, 90, _("Saving the file"))
        old_name = job.file.name
        stored = default_storage.save(report_path(job, file_name(job, rendered.title)), ContentFile(rendered.content))
        finished = ReportJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
            status=JobStatus.DONE,
            progress=100,
            phase=_("Done"),
            error="",
            file=stored,
            file_size=len(rendered.content),
            finished_at=timezone.now(),
        )
        if not finished:  # taken over meanwhile: keep theirs
            default_storage.delete(stored)
            return "skipped"
        if old_name and old_name != stored:
            default_storage.delete(old_name)
        _tell_ready(job)
        return "done"
    except Exception as exc:
        logger.exception("report job %s failed (attempt %s)", job_id, job.attempts)
        if final or isinstance(exc, ReportError):
            ReportJob.objects.filter(pk=job_id).update(
                status=JobStatus.FAILED, phase=_("Failed"), error=readable(exc), finished_at=timezone.now()
            )
            return "failed"
        ReportJob.objects.filter(pk=job_id).update(
            status=JobStatus.QUEUED,
            progress=0,
            phase=_("Waiting to try again"),
            error=_("Attempt %(n)s failed (%(error)s); trying again shortly.")
            % {"n": job.attempts, "error": str(exc)[:300] or exc.__class__.__name__},
        )
        raise RetryableReportError(str(exc)) from exc


# ---------------------------------------------------------------- retention
def cleanup(days: int | None = None, now=None) -> int:
    """Delete report files older than the retention period (and stray files in the reports folder)."""
    days = retention_days() if days is None else days
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=days)
    removed = 0
    old = ReportJob.objects.filter(finished_at__lt=cutoff).exclude(file="")
    for job in old:
        default_storage.delete(job.file.name)
        ReportJob.objects.filter(pk=job.pk).update(file="", file_removed_at=now)
        removed += 1
    kept = set(ReportJob.objects.exclude(file="").values_list("file", flat=True))
    # Through the storage, not the folder: on several machines the files are in the object store.
    try:
        _folders, names = default_storage.listdir(REPORTS_FOLDER)
    except FileNotFoundError:  # the file system's storage, before the first report
        names = []
    for name in names:
        relative = f"{REPORTS_FOLDER}/{name}"
        if relative in kept:
            continue
        if default_storage.get_modified_time(relative) < cutoff:
            default_storage.delete(relative)
            removed += 1
    return removed


# ---------------------------------------------------------------- the business case narrative
@transaction.atomic
def save_business_case(enterprise, *, by, **fields) -> BusinessCase:
    if not is_officer(by):
        raise PermissionDenied
    case, _created = BusinessCase.objects.update_or_create(enterprise=enterprise, defaults={**fields, "updated_by": by})
    return case


# ---------------------------------------------------------------- programme targets
@transaction.atomic
def save_target(*, by, target: Target | None = None, **fields) -> Target:
    """Set a programme target (a new one, or change `target`); officers only."""
    if not is_officer(by):
        raise PermissionDenied
    if fields.get("metric") != TargetMetric.KPI_IMPROVING:
        fields["indicator"] = None
    if target is None:
        target = Target(created_by=by)
    for name, value in fields.items():
        setattr(target, name, value)
    clash = Target.objects.filter(call=target.call, metric=target.metric, indicator=target.indicator)
    if clash.exclude(pk=target.pk).exists():
        raise ValidationError(_("This call already has a target for that; change it instead."), code="duplicate")
    target.save()
    logger.info("target %s of call %s set by %s", target.pk, target.call_id, by)
    return target


@transaction.atomic
def delete_target(target: Target, *, by) -> None:
    if not is_officer(by):
        raise PermissionDenied
    target.delete()
