"""Report jobs (who asked for which report, how far it got, and the file it made) and the
officer's narrative of a business case.

A job is saved before anything is sent to Celery, so that a broker that is down loses nothing:
the job waits as "queued" with no `dispatched_at` until `dispatch_queued_reports` sends it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ReportKind(models.TextChoices):
    ENTERPRISE_BASELINE = "enterprise_baseline", _("Enterprise baseline report")
    ENTERPRISE_PROGRESS = "enterprise_progress", _("Enterprise progress and impact report")
    BUSINESS_CASE = "business_case", _("Business case")
    LETTER = "letter", _("Letter")
    PROGRAMME = "programme", _("Programme report for the ILO")
    CALL_SCREENING = "call_screening", _("Screening summary of a call")
    GLOBAL_DATABASE = "global_database", _("Export for the global SCORE database")


# Reports about one enterprise: whoever may see the enterprise may download them.
ENTERPRISE_KINDS = (
    ReportKind.ENTERPRISE_BASELINE,
    ReportKind.ENTERPRISE_PROGRESS,
    ReportKind.BUSINESS_CASE,
    ReportKind.LETTER,
)
# Reports over many enterprises: officers only.
PROGRAMME_KINDS = (ReportKind.PROGRAMME, ReportKind.CALL_SCREENING, ReportKind.GLOBAL_DATABASE)


class FileFormat(models.TextChoices):
    PDF = "pdf", _("PDF")
    XLSX = "xlsx", _("Excel workbook")
    JSONL = "jsonl", _("JSON Lines")
    CSV = "csv", _("CSV")


# The formats of the global SCORE database export (reporting/global_database.py), and only of it.
DATA_FORMATS = (FileFormat.JSONL, FileFormat.CSV)


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


REPORTS_FOLDER = "reports"


def report_path(instance, filename):
    return f"{REPORTS_FOLDER}/{filename}"


class ReportJob(models.Model):
    """One request for a report, from queued to done (or failed), with its file."""

    kind = models.CharField(_("report"), max_length=30, choices=ReportKind.choices)
    file_format = models.CharField(_("format"), max_length=10, choices=FileFormat.choices, default=FileFormat.PDF)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="report_jobs", verbose_name=_("asked by")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, null=True, blank=True, related_name="report_jobs"
    )
    call = models.ForeignKey("enterprises.Call", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # kind, format, subject and params in one canonical string: "the same report".
    signature = models.CharField(max_length=300, editable=False)

    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    phase = models.CharField(_("step"), max_length=120, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    dispatched_at = models.DateTimeField(_("sent to the workers at"), null=True, blank=True)
    dispatch_error = models.CharField(_("queue error"), max_length=300, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    file = models.FileField(_("file"), upload_to=report_path, max_length=200, blank=True)
    file_size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)
    file_removed_at = models.DateTimeField(_("file removed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        constraints = [
            # At most one queued or running job per report: asking again reuses it.
            models.UniqueConstraint(
                fields=["signature"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_job_per_report",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_is_a_percentage"),
            models.CheckConstraint(
                condition=~Q(kind__in=[k.value for k in ENTERPRISE_KINDS]) | Q(enterprise__isnull=False),
                name="enterprise_report_names_its_enterprise",
            ),
            models.CheckConstraint(
                condition=~Q(kind="call_screening") | Q(call__isnull=False), name="call_report_names_its_call"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "dispatched_at"]),
            models.Index(fields=["enterprise", "-created_at"]),
            models.Index(fields=["finished_at"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_enterprise_report(self) -> bool:
        return self.kind in ENTERPRISE_KINDS

    @property
    def waiting_for_queue(self) -> bool:
        """Saved, but not yet handed to the workers (the broker was down)."""
        return self.status == JobStatus.QUEUED and self.dispatched_at is None

    @property
    def downloadable(self) -> bool:
        return self.status == JobStatus.DONE and bool(self.file)

    @property
    def subject_label(self) -> str:
        if self.enterprise_id:
            return str(self.enterprise)
        if self.call_id:
            return str(self.call)
        return str(_("All calls"))

    @property
    def download_name(self) -> str:
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""


class BusinessCase(models.Model):
    """The officer's narrative of one enterprise's business case; the numbers come from the data."""

    enterprise = models.OneToOneField(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="business_case", verbose_name=_("enterprise")
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    context = models.TextField(_("the enterprise and its challenge"), blank=True)
    actions = models.TextField(_("what the enterprise did with SCORE"), blank=True)
    results = models.TextField(_("results, in the officer's words"), blank=True)
    quote = models.TextField(_("a quote from the management or the workers"), blank=True)
    quote_by = models.CharField(_("who said it"), max_length=200, blank=True)
    lessons = models.TextField(_("lessons for other enterprises"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("business case")
        verbose_name_plural = _("business cases")

    def __str__(self):
        return self.title or str(self.enterprise)


class TargetMetric(models.TextChoices):
    """What a programme target counts: the brochure's headline forms."""

    KPI_IMPROVING = "kpi_improving", _("% of enterprises improving an indicator")
    ENTERPRISES_REACHED = "enterprises_reached", _("Enterprises reached (accepted into Level 1 or beyond)")
    WORKERS_REACHED = "workers_reached", _("Workers covered (in the enterprises reached)")
    PARTICIPANTS = "participants", _("Training participants")
    WOMEN_PARTICIPANTS_SHARE = "women_participants_share", _("% of training participants who are women")


# Targets that are a share (compared with the target as they stand) rather than a count that grows.
SHARE_METRICS = (TargetMetric.KPI_IMPROVING, TargetMetric.WOMEN_PARTICIPANTS_SHARE)


class Target(models.Model):
    """A programme target of a call, set by an officer: "70% of enterprises reduce their defect rate
    by June 2020", "4,000 workers reached", "40% of participants women"."""

    call = models.ForeignKey(
        "enterprises.Call", on_delete=models.CASCADE, related_name="targets", verbose_name=_("call")
    )
    metric = models.CharField(_("what is counted"), max_length=40, choices=TargetMetric.choices)
    indicator = models.ForeignKey(
        "baseline.Indicator",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("indicator"),
        help_text=_("For “% of enterprises improving an indicator” only."),
    )
    value = models.DecimalField(_("target"), max_digits=10, decimal_places=1)
    deadline = models.DateField(_("to be reached by"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["call", "deadline", "metric", "pk"]
        verbose_name = _("programme target")
        verbose_name_plural = _("programme targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(metric="kpi_improving", indicator__isnull=False)
                | (~Q(metric="kpi_improving") & Q(indicator__isnull=True)),
                name="target_indicator_only_for_kpi_improving",
            ),
            models.CheckConstraint(condition=Q(value__gt=0), name="target_value_positive"),
            models.CheckConstraint(
                condition=~Q(metric__in=["kpi_improving", "women_participants_share"]) | Q(value__lte=100),
                name="target_share_at_most_100",
            ),
            models.UniqueConstraint(
                fields=["call", "metric", "indicator"], name="one_target_per_call_metric_indicator"
            ),
            models.UniqueConstraint(
                fields=["call", "metric"],
                condition=Q(indicator__isnull=True),
                name="one_target_per_call_and_metric",
            ),
        ]

    def __str__(self):
        return f"{self.call}: {self.get_metric_display()} {self.value}"

    @property
    def is_share(self) -> bool:
        return self.metric in SHARE_METRICS
