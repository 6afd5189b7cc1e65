"""SCORE training: the modules, and the in-factory half of the training (consultancy visits with
their agreed actions, 5S before/after photos, the Enterprise Improvement Team, its plan and the
suggestion scheme).

A visit is written as a draft (kept on the server while the consultant types, see VisitDraft),
then submitted, which locks it; a later change is an amendment with a reason, and the history
(django-simple-history) keeps every earlier version.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Module(models.Model):
    """One of the five SCORE training modules (loaded by a data migration)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    objectives = models.TextField(_("objectives"), blank=True, help_text=_("One objective per line."))

    class Meta:
        ordering = ["number"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self):
        return f"{self.number}. {self.title}"

    @property
    def objective_list(self) -> list[str]:
        return [line.strip() for line in self.objectives.splitlines() if line.strip()]


class Sex(models.TextChoices):
    FEMALE = "female", _("Woman")
    MALE = "male", _("Man")


class StaffLevel(models.TextChoices):
    MANAGER = "manager", _("Manager")
    WORKER = "worker", _("Worker")


# ---------------------------------------------------------------- visits
class VisitPurpose(models.TextChoices):
    BASELINE = "baseline", _("Baseline assessment")
    LEVEL1_FOLLOW_UP = "level1_follow_up", _("Level 1 follow-up")
    LEVEL2_FOLLOW_UP = "level2_follow_up", _("Level 2 module follow-up")
    IMPACT = "impact", _("Impact assessment")


class VisitStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Visit(models.Model):
    """A consultancy visit to an enterprise. Times and purpose may be missing while it is a draft."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="visits", verbose_name=_("enterprise")
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visits", verbose_name=_("consultant")
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    purpose = models.CharField(_("purpose"), max_length=30, choices=VisitPurpose.choices, blank=True)
    module = models.ForeignKey(
        Module,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("module"),
        help_text=_("For a Level 2 module follow-up: which module."),
    )
    people_met = models.TextField(_("people met"), blank=True)
    topics = models.TextField(_("topics"), blank=True)
    findings = models.TextField(_("findings"), blank=True)
    next_visit_on = models.DateField(_("next visit"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-start_time", "-pk"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [
            models.Index(fields=["enterprise", "date"]),
            models.Index(fields=["consultant", "date"]),
            models.Index(fields=["status", "date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(start_time__isnull=False) & Q(end_time__isnull=False) & ~Q(purpose="")),
                name="submitted_visit_is_complete",
            ),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True) | Q(end_time__isnull=True) | Q(end_time__gt=F("start_time")),
                name="visit_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.date:%Y-%m-%d}"

    @property
    def is_locked(self) -> bool:
        return self.status == VisitStatus.SUBMITTED


class VisitDraft(models.Model):
    """What the visit form held when it was last autosaved: the posted fields, as they were.

    Kept apart from the visit so that autosaving every few seconds neither touches the visit's
    history nor needs the fields to be valid yet. Removed when the visit is submitted or amended."""

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, related_name="draft")
    data = models.JSONField(default=dict)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.visit}: draft of {self.saved_at:%Y-%m-%d %H:%M}"


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


CLOSED_STATUSES = (ActionStatus.DONE, ActionStatus.DROPPED)


class VisitAction(models.Model):
    """An action agreed during a visit."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="actions")
    what = models.CharField(_("what"), max_length=300)
    owner = models.CharField(_("owner"), max_length=120)
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("agreed action")
        verbose_name_plural = _("agreed actions")
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self):
        return self.what

    @property
    def is_overdue(self) -> bool:
        return self.status not in CLOSED_STATUSES and self.due_on < timezone.localdate()


# ---------------------------------------------------------------- 5S photos
def photo_path(instance, filename):
    # Used only if a file is assigned without a name; services.store_photo names the files itself.
    return f"training/photos/{instance.enterprise_id}/{filename}"


class PhotoPair(models.Model):
    """A 5S before/after pair of one area. The "after" photo usually comes weeks later.

    The files live under MEDIA_ROOT (private) and are served only by training.views.photo_file."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="photo_pairs", verbose_name=_("enterprise")
    )
    area = models.CharField(_("area"), max_length=120, help_text=_("For example: cutting section, fabric store."))
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    before = models.FileField(_("before"), upload_to=photo_path, max_length=200)
    before_thumb = models.FileField(upload_to=photo_path, max_length=200)
    before_taken_on = models.DateField(_("before photo taken on"), default=timezone.localdate)
    after = models.FileField(_("after"), upload_to=photo_path, max_length=200, blank=True)
    after_thumb = models.FileField(upload_to=photo_path, max_length=200, blank=True)
    after_taken_on = models.DateField(_("after photo taken on"), null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("before/after photo pair")
        verbose_name_plural = _("before/after photo pairs")

    def __str__(self):
        return f"{self.enterprise}: {self.area}"


# ---------------------------------------------------------------- Enterprise Improvement Team
class EitMember(models.Model):
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="eit_members", verbose_name=_("enterprise")
    )
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("manager or worker"), max_length=10, choices=StaffLevel.choices)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    department = models.CharField(_("department"), max_length=120, blank=True)
    active = models.BooleanField(_("still on the team"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["enterprise", "-active", "name"]
        verbose_name = _("EIT member")
        verbose_name_plural = _("EIT members")

    def __str__(self):
        return self.name


class EitMeeting(models.Model):
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="eit_meetings", verbose_name=_("enterprise")
    )
    held_on = models.DateField(_("date"))
    attendees = models.ManyToManyField(EitMember, blank=True, related_name="meetings", verbose_name=_("attendance"))
    decisions = models.TextField(_("decisions"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("EIT meeting")
        verbose_name_plural = _("EIT meetings")

    def __str__(self):
        return f"{self.enterprise}: {self.held_on}"


class PlanItem(models.Model):
    """An item of the Enterprise Improvement Plan."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="plan_items", verbose_name=_("enterprise")
    )
    problem = models.TextField(_("problem"))
    action = models.TextField(_("action"))
    owner = models.CharField(_("owner"), max_length=120)
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    module = models.ForeignKey(
        Module, on_delete=models.PROTECT, null=True, blank=True, related_name="plan_items", verbose_name=_("module")
    )
    # The baseline app's indicator code, as text: training does not depend on the catalogue's rows.
    indicator_code = models.CharField(_("indicator"), max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")

    def __str__(self):
        return self.problem[:60]

    @property
    def is_overdue(self) -> bool:
        return self.status not in CLOSED_STATUSES and self.due_on < timezone.localdate()


class SuggestionDecision(models.TextChoices):
    PENDING = "pending", _("Not decided yet")
    ADOPTED = "adopted", _("Adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")


class Suggestion(models.Model):
    """One entry of the enterprise's suggestion scheme log."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="suggestions", verbose_name=_("enterprise")
    )
    text = models.TextField(_("suggestion"))
    submitted_by_level = models.CharField(_("submitted by (role)"), max_length=10, choices=StaffLevel.choices)
    submitted_by_sex = models.CharField(_("submitted by (sex)"), max_length=10, choices=Sex.choices)
    submitted_on = models.DateField(_("date"))
    decision = models.CharField(
        _("adopted?"), max_length=20, choices=SuggestionDecision.choices, default=SuggestionDecision.PENDING
    )
    reward = models.CharField(_("reward"), max_length=120, blank=True)
    estimated_savings = models.DecimalField(
        _("estimated savings (PKR per year)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_on", "-pk"]
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_savings__isnull=True) | Q(estimated_savings__gte=0),
                name="suggestion_savings_not_negative",
            ),
        ]

    def __str__(self):
        return self.text[:60]
