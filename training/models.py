"""SCORE training: the modules; the classroom delivery (Level 1 courses, Level 2 groups, workshops and
their sessions, participants and attendance, public holidays, calendar feeds); and the in-factory half
of the training (consultancy visits with their agreed actions, 5S before/after photos, the Enterprise
Improvement Team, its plan and the suggestion scheme).

A visit is written as a draft (kept on the server while the consultant types, see VisitDraft),
then submitted, which locks it; a later change is an amendment with a reason, and the history
(django-simple-history) keeps every earlier version.
"""

import datetime
import secrets

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
    # Made by the phone when the log is started (offline too), so that a sync sent twice finds the
    # visit it made the first time instead of making a second one. Empty on visits older than that.
    client_id = models.UUIDField(_("id on the phone"), null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-start_time", "-pk"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [
            models.Index(fields=["enterprise", "date"]),
            models.Index(fields=["consultant", "date"]),
            models.Index(fields=["status", "date"]),
            # The visit list's order: its first page read from the index, not by sorting every visit.
            models.Index(fields=["-date", "-start_time", "-id"], name="visit_list_order"),
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
    client_id = models.UUIDField(_("id on the phone"), null=True, blank=True, unique=True, editable=False)
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


class CurrentPhotoPairs(models.Manager):
    """Pairs still shown: a pair replaced or deleted as wrong stays only in the history."""

    def get_queryset(self):
        return super().get_queryset().filter(removed_at__isnull=True)


class PhotoPair(models.Model):
    """A 5S before/after pair of one area. The "after" photo usually comes weeks later.

    The files live under MEDIA_ROOT (private) and are served only by visits/views.py photo_file.
    A wrong pair is replaced or removed, never erased: the history keeps the earlier files and who
    changed them, and `removed_at` hides a removed pair everywhere (the default manager)."""

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
    client_id = models.UUIDField(_("id on the phone"), null=True, blank=True, unique=True, editable=False)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    objects = CurrentPhotoPairs()
    all_objects = models.Manager()  # noqa: DJ012 (ruff takes the custom manager above for a field)

    class Meta:
        ordering = ["-created_at", "-pk"]
        base_manager_name = "all_objects"
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


# ---------------------------------------------------------------- classroom delivery
# Level 1 (Module 1, the short course) per batch, and Level 2 groups of 4-5 enterprises taking modules 2-5.
# A workshop is the classroom training of one module for a course or a group; its sessions are its days.


def default_non_working_weekdays():
    return [6]  # Sunday, in Pakistan


def default_short_weekdays():
    return [4]  # Friday: a working day, but a short one (Friday prayers)


class PublicHoliday(models.Model):
    """A public holiday: no workshop is scheduled on it. Officers keep the list."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["date"]
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"


class Level1Course(models.Model):
    """The SCORE short course of one Level 1 batch: three classroom days, then in-factory consultancy."""

    batch = models.OneToOneField(
        "enterprises.Level1Batch", on_delete=models.CASCADE, related_name="level1_course", verbose_name=_("batch")
    )
    consultancy_months = models.PositiveSmallIntegerField(
        _("months for the course and its consultancy"),
        default=4,
        help_text=_("The short course runs about 3–4 months from the first classroom day."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["batch"]
        verbose_name = _("Level 1 course")
        verbose_name_plural = _("Level 1 courses")
        constraints = [
            models.CheckConstraint(
                condition=Q(consultancy_months__gte=1, consultancy_months__lte=12), name="level1_course_months_1_to_12"
            ),
        ]

    def __str__(self):
        return str(self.batch)


class TrainingGroup(models.Model):
    """A Level 2 group: 4-5 enterprises that take modules 2-5 together, in an order chosen for them."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trained_groups",
        verbose_name=_("trainer"),
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    starts_on = models.DateField(_("window starts on"))
    ends_on = models.DateField(_("window ends on"), help_text=_("Modules 2–5 run within 12–15 months."))
    min_gap_days = models.PositiveSmallIntegerField(
        _("minimum days between workshops"),
        default=42,
        help_text=_("Room for the consultancy visits that follow each workshop."),
    )
    non_working_weekdays = models.JSONField(_("non-working weekdays"), default=default_non_working_weekdays)
    short_weekdays = models.JSONField(_("short working days"), default=default_short_weekdays)
    module_order = models.JSONField(_("module order"), default=list, blank=True)
    order_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    order_reason = models.TextField(_("why this order"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_on", "name"]
        verbose_name = _("Level 2 group")
        verbose_name_plural = _("Level 2 groups")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="training_group_window_not_empty"),
        ]

    def __str__(self):
        return self.name


class GroupMember(models.Model):
    """An enterprise in a Level 2 group, with the module priorities agreed at its baseline assessment."""

    group = models.ForeignKey(TrainingGroup, on_delete=models.CASCADE, related_name="members")
    enterprise = models.OneToOneField(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="training_group_member"
    )
    priority_modules = models.JSONField(
        _("priority modules"), default=list, blank=True, help_text=_("Module numbers, most urgent first.")
    )

    class Meta:
        ordering = ["group", "enterprise__legal_name"]
        verbose_name = _("group member")
        verbose_name_plural = _("group members")

    def __str__(self):
        return f"{self.group}: {self.enterprise}"


class Workshop(models.Model):
    """The classroom training of one module: Level 1 for a course (three days), Level 2 for a group (two days)."""

    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="workshops", verbose_name=_("module"))
    course = models.ForeignKey(Level1Course, on_delete=models.CASCADE, null=True, blank=True, related_name="workshops")
    group = models.ForeignKey(TrainingGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="workshops")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        constraints = [
            models.CheckConstraint(
                condition=(Q(course__isnull=False) & Q(group__isnull=True))
                | (Q(course__isnull=True) & Q(group__isnull=False)),
                name="workshop_for_a_course_or_a_group",
            ),
            models.UniqueConstraint(
                fields=["group", "module"], condition=Q(group__isnull=False), name="one_workshop_per_group_and_module"
            ),
            models.UniqueConstraint(
                fields=["course"], condition=Q(course__isnull=False), name="one_workshop_per_course"
            ),
        ]

    def __str__(self):
        return f"{self.course or self.group} · {self.module}"

    @property
    def owner(self):
        return self.course or self.group


class Session(models.Model):
    """One classroom day of a workshop."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="sessions")
    day = models.PositiveSmallIntegerField(_("day"))
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("starts at"), default=datetime.time(9, 0))
    end_time = models.TimeField(_("ends at"), default=datetime.time(17, 0))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_sessions",
        verbose_name=_("trainer"),
    )

    class Meta:
        ordering = ["date", "start_time", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["date"])]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "day"], name="one_session_per_workshop_day"),
            # The scheduler's rule (a trainer is busy for the whole day of a session), held by the
            # database so that two officers scheduling at once cannot both take the day; its index
            # also serves the trainer's calendar. NULL trainers never clash.
            models.UniqueConstraint(fields=["trainer", "date"], name="one_session_per_trainer_day"),
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="session_ends_after_it_starts"),
        ]

    def __str__(self):
        return f"{self.workshop} · {self.date:%Y-%m-%d}"


class Participant(models.Model):
    """A person an enterprise nominates for a workshop (usually two managers and two workers)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="workshop_participants"
    )
    name = models.CharField(_("name"), max_length=120)
    position = models.CharField(_("position"), max_length=120)
    level = models.CharField(_("manager or worker"), max_length=10, choices=StaffLevel.choices)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    decision_maker = models.BooleanField(
        _("CEO or decision-maker"),
        default=False,
        help_text=_("The CEO or a person with direct decision-making authority."),
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["workshop", "enterprise__legal_name", "level", "name", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        indexes = [models.Index(fields=["workshop", "enterprise"])]

    def __str__(self):
        return self.name


class Attendance(models.Model):
    """Whether a participant was there on one session day."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("present"), default=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "participant"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="one_attendance_per_session_participant")
        ]

    def __str__(self):
        return f"{self.session}: {self.participant} {'✓' if self.present else '✗'}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret address of a person's iCalendar feed. Resetting the token closes the old address."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"{self.user}"
