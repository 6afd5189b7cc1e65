"""Calls for expression of interest, the expressions of interest, and their screening.

The eligibility thresholds belong to the call, and every screening stores the
thresholds it used, so a later change to a call never rewrites a past result.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class SubSector(models.TextChoices):
    RMG_WOVEN = "rmg_woven", _("Ready-made garments (woven)")
    RMG_KNITWEAR = "rmg_knitwear", _("Ready-made garments (knitwear)")
    DYEING_WOVEN = "dyeing_woven", _("Dyeing (woven)")
    DYEING_KNITWEAR = "dyeing_knitwear", _("Dyeing (knitwear)")
    OTHER = "other", _("Other textile")


class Province(models.TextChoices):
    PUNJAB = "punjab", _("Punjab")
    SINDH = "sindh", _("Sindh")
    KHYBER_PAKHTUNKHWA = "kp", _("Khyber Pakhtunkhwa")
    BALOCHISTAN = "balochistan", _("Balochistan")
    ISLAMABAD = "ict", _("Islamabad Capital Territory")
    GILGIT_BALTISTAN = "gb", _("Gilgit-Baltistan")
    AZAD_KASHMIR = "ajk", _("Azad Jammu and Kashmir")


class StaffStatus(models.TextChoices):
    IN_PLACE = "in_place", _("In place")
    WILLING_TO_HIRE = "willing", _("Not in place, willing to hire if selected")
    NO = "no", _("No")


class ScreeningOutcome(models.TextChoices):
    PENDING = "pending", _("Not screened yet")
    ELIGIBLE = "eligible", _("Eligible")
    NEEDS_REVIEW = "needs_review", _("Needs review")
    INELIGIBLE = "ineligible", _("Ineligible")


class Decision(models.TextChoices):
    """What the applicant is told at the end of the screening. Empty until an officer decides."""

    INVITED = "invited", _("Eligible and invited")
    WAITING_LIST = "waiting_list", _("On the waiting list")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")


class Verdict(models.TextChoices):
    MET = "met", _("Met")
    CONDITIONAL = "conditional", _("Conditional")
    NOT_MET = "not_met", _("Not met")


def default_sub_sectors():
    return [
        SubSector.RMG_WOVEN.value,
        SubSector.RMG_KNITWEAR.value,
        SubSector.DYEING_WOVEN.value,
        SubSector.DYEING_KNITWEAR.value,
    ]


class Call(models.Model):
    """A call for expression of interest, with its own eligibility thresholds."""

    title = models.CharField(_("title"), max_length=200)
    code = models.CharField(
        _("short code"),
        max_length=12,
        unique=True,
        blank=True,
        help_text=_("Shown in lists instead of the title, e.g. PK-18. Left empty: made from the country and year."),
    )
    country = models.CharField(_("country code"), max_length=2, default="PK", help_text=_("ISO code, e.g. PK"))
    description = models.TextField(_("description"), blank=True)
    sub_sectors = models.JSONField(
        _("targeted sub-sectors"), default=default_sub_sectors, help_text=_("Sub-sectors eligible under this call.")
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"), help_text=_("The last day on which the public form accepts an EOI."))
    contact_name = models.CharField(_("contact person"), max_length=120)
    contact_email = models.EmailField(_("contact email"))
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    first_batch_capacity = models.PositiveIntegerField(_("capacity of the first Level 1 batch"), default=20)
    # How long an enterprise may wait at a step before the officer's worklist raises it (days).
    days_to_shortlist = models.PositiveSmallIntegerField(
        _("days from screening to shortlisting"), default=60, help_text=_("An enterprise screened longer is flagged.")
    )
    days_to_ceo_meeting = models.PositiveSmallIntegerField(_("days from shortlisting to the CEO meeting"), default=30)
    days_to_baseline = models.PositiveSmallIntegerField(_("days from the CEO meeting to the baseline"), default=30)
    days_to_acceptance = models.PositiveSmallIntegerField(_("days from the baseline to acceptance"), default=21)
    days_to_level2_interest = models.PositiveSmallIntegerField(
        _("days from Level 1 completed to registering interest in Level 2"), default=60
    )
    days_to_level2_selection = models.PositiveSmallIntegerField(
        _("days from interest in Level 2 to the Level 2 selection"), default=60
    )
    days_to_level2_start = models.PositiveSmallIntegerField(
        _("days from the Level 2 selection to its start"), default=60
    )
    hire_within_days = models.PositiveSmallIntegerField(
        _("days to hire the staff promised at screening"),
        default=90,
        help_text=_(
            "An enterprise that answered “not in place, willing to hire if selected” must hire within this many "
            "days of its shortlisting."
        ),
    )
    min_consultancy_visits = models.PositiveSmallIntegerField(
        _("minimum Level 1 consultancy visits"),
        default=2,
        help_text=_("Submitted in-factory visits an enterprise needs before Level 1 counts as completed."),
    )
    min_workforce = models.PositiveIntegerField(_("minimum workforce"), default=300)
    min_permanent_share = models.DecimalField(
        _("minimum permanent share (%)"), max_digits=5, decimal_places=2, default=25
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opens_on", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="call_closes_after_it_opens"),
            models.CheckConstraint(
                condition=Q(min_permanent_share__gte=0, min_permanent_share__lte=100),
                name="call_permanent_share_is_a_percentage",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.code:
            self.code = free_call_code(self.country, self.opens_on.year, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on

    @property
    def reference_prefix(self) -> str:
        return f"SCORE-{self.country.upper()}-{self.opens_on.year}"

    def sub_sector_labels(self) -> list[str]:
        labels = dict(SubSector.choices)
        return [str(labels.get(code, code)) for code in self.sub_sectors]


def call_code(country: str, year: int, taken) -> str:
    """A short code for lists, "PK-18", with "-2", "-3"… when the country already had a call that year."""
    base = f"{country.upper()}-{year % 100:02d}"
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    return code


def free_call_code(country: str, year: int, *, exclude_pk=None) -> str:
    prefix = f"{country.upper()}-{year % 100:02d}"
    taken = set(Call.objects.filter(code__startswith=prefix).exclude(pk=exclude_pk).values_list("code", flat=True))
    return call_code(country, year, taken)


def new_status_token() -> str:
    return secrets.token_urlsafe(24)


class ExpressionOfInterest(models.Model):
    """An enterprise's answer to a call. Saved whole, then screened."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="expressions_of_interest")
    sequence = models.PositiveIntegerField(editable=False)
    reference = models.CharField(_("reference"), max_length=40, unique=True, editable=False)
    status_token = models.CharField(max_length=64, unique=True, default=new_status_token, editable=False)

    # The enterprise
    legal_name = models.CharField(_("legal name"), max_length=200)
    registration_number = models.CharField(
        _("registration number (NTN)"), max_length=40, help_text=_("National Tax Number or company registration.")
    )
    registration_key = models.CharField(max_length=40, editable=False, db_index=True)
    address = models.CharField(_("address"), max_length=300)
    city = models.CharField(_("city"), max_length=80)
    province = models.CharField(_("province"), max_length=20, choices=Province.choices)
    year_established = models.PositiveSmallIntegerField(_("year established"))
    products = models.CharField(_("products"), max_length=300)
    export_markets = models.CharField(_("export markets"), max_length=300, blank=True)
    main_buyers = models.CharField(_("main buyers"), max_length=300, blank=True)
    sub_sector = models.CharField(_("sub-sector"), max_length=20, choices=SubSector.choices)
    sub_sector_other = models.CharField(_("other textile sub-sector"), max_length=120, blank=True)

    # Workforce
    workforce_total = models.PositiveIntegerField(_("total workforce"))
    workforce_permanent = models.PositiveIntegerField(_("permanent workers"))
    workforce_contract = models.PositiveIntegerField(_("contract or temporary workers"))
    workforce_women = models.PositiveIntegerField(_("women"))
    workforce_men = models.PositiveIntegerField(_("men"))
    workforce_managers = models.PositiveIntegerField(_("managers and supervisors"))
    workforce_workers = models.PositiveIntegerField(_("workers"))

    # Staff in place and commitment
    hr_officer = models.CharField(_("human resource officer"), max_length=10, choices=StaffStatus.choices)
    compliance_officer = models.CharField(_("compliance officer"), max_length=10, choices=StaffStatus.choices)
    industrial_engineer = models.CharField(_("industrial engineer"), max_length=10, choices=StaffStatus.choices)
    ceo_available = models.BooleanField(_("the CEO is available for the SCORE workshops"))
    nominee_name = models.CharField(_("nominee's name"), max_length=120, blank=True)
    nominee_position = models.CharField(_("nominee's position"), max_length=120, blank=True)
    nominee_has_authority = models.BooleanField(_("the nominee has direct decision-making authority"), default=False)
    shares_order_status = models.BooleanField(_("willing to share order status for the next 12 months"))
    shares_baseline_data = models.BooleanField(_("willing to share baseline data with the ILO"))

    # Contact person
    contact_name = models.CharField(_("contact person"), max_length=120)
    contact_position = models.CharField(_("position"), max_length=120)
    contact_email = models.EmailField(_("email"))
    contact_phone = models.CharField(_("phone"), max_length=20, help_text=_("e.g. 0300-8486929 or +92 300 8486929"))
    consent = models.BooleanField(_("consent"))
    # The consent as the enterprise read it when it ticked the box: a later call's wording never
    # rewrites what an earlier EOI agreed to (enterprises/consent.py keeps the versions).
    consent_version = models.PositiveSmallIntegerField(_("consent text version"), default=1)
    consent_text = models.TextField(_("consent text accepted"), blank=True)

    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    # The language the form was filled in: the acknowledgement and every later letter to the enterprise use it.
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("Of the form, the mail and the letters."),
    )
    is_late = models.BooleanField(_("late"), default=False, help_text=_("Entered after the call closed."))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The officer who entered it by hand; empty for the public form."),
    )
    possible_duplicate = models.BooleanField(
        _("possible duplicate"), default=False, help_text=_("Another EOI in this call has the same name and city.")
    )

    # The current overall result, kept here so the queue can filter on it cheaply;
    # ResultChange holds how it came to be.
    result = models.CharField(
        _("screening result"), max_length=20, choices=ScreeningOutcome.choices, default=ScreeningOutcome.PENDING
    )
    result_overridden = models.BooleanField(_("overridden by an officer"), default=False)
    current_screening = models.ForeignKey(
        "Screening", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The decision the applicant is told (the status page, the letters). The history keeps each change.
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, blank=True, default="")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The published criteria not met, as the applicant's own answers against the thresholds, frozen
    # when the decision is taken: [{"code", "label", "reason"}]. Never an officer's note.
    decision_reasons = models.JSONField(_("criteria not met"), default=list, blank=True)
    # Set when the first step of an enterprise's path is recorded for this EOI (path.services.mark_on_the_path):
    # "awaiting a decision" is then read from the EOI's own row and a partial index, not by looking for
    # its transitions among every enterprise's (30 ms a count at 8,000 EOIs, asked three times on the home).
    on_the_path = models.BooleanField(default=False, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        constraints = [
            models.UniqueConstraint(fields=["call", "registration_key"], name="one_eoi_per_registration_per_call"),
            models.UniqueConstraint(fields=["call", "sequence"], name="eoi_sequence_unique_per_call"),
            models.CheckConstraint(
                condition=Q(workforce_permanent__lte=F("workforce_total")), name="eoi_permanent_within_total"
            ),
            models.CheckConstraint(
                condition=Q(workforce_total=F("workforce_women") + F("workforce_men")), name="eoi_women_men_add_up"
            ),
            models.CheckConstraint(condition=Q(consent=True), name="eoi_has_consent"),
        ]
        indexes = [
            models.Index(fields=["call", "result"]),
            models.Index(fields=["legal_name", "city"]),
            models.Index(fields=["call", "decision"]),
            # The cap on acknowledgements to one address (services.may_acknowledge): its last 24 hours.
            models.Index(Upper("contact_email"), "submitted_at", name="eoi_contact_email_recent"),
            # Possible duplicates: the same name and city in a call, as typed in any case (`iexact`).
            models.Index(F("call"), Upper("legal_name"), Upper("city"), name="eoi_same_name_and_city"),
            # The EOIs awaiting a decision (screening.selectors.decided), oldest first on the home page.
            models.Index(
                fields=["submitted_at", "id"], condition=Q(decision="", on_the_path=False), name="eoi_awaiting_decision"
            ),
            # The queue's default tab counts them per result.
            models.Index(fields=["result"], condition=Q(decision="", on_the_path=False), name="eoi_awaiting_by_result"),
        ]

    def __str__(self):
        return f"{self.reference} {self.legal_name}"

    @property
    def permanent_share(self):
        if not self.workforce_total:
            return None
        return round(self.workforce_permanent * 100 / self.workforce_total, 1)


class Screening(models.Model):
    """One run of the eligibility rules over an EOI, with the thresholds it used."""

    expression_of_interest = models.ForeignKey(
        ExpressionOfInterest, on_delete=models.CASCADE, related_name="screenings"
    )
    outcome = models.CharField(max_length=20, choices=ScreeningOutcome.choices)
    thresholds = models.JSONField(help_text=_("The call's thresholds at the time of screening."))
    screened_at = models.DateTimeField(default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for the automatic screening on submission."),
    )
    reason = models.TextField(blank=True)
    # The tally of its criteria (CriterionResult), kept with it: a screening never changes once made, and
    # the shortlist ranks thousands of candidates by these without reading every criterion.
    criteria_met = models.PositiveSmallIntegerField(default=0)
    criteria_conditional = models.PositiveSmallIntegerField(default=0)
    criteria_not_met = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-screened_at", "-pk"]

    def __str__(self):
        return f"{self.expression_of_interest.reference}: {self.get_outcome_display()}"


class CriterionResult(models.Model):
    """How one criterion of the call was judged, with a reason that quotes the numbers."""

    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    verdict = models.CharField(max_length=20, choices=Verdict.choices)
    reason = models.TextField()

    class Meta:
        ordering = ["screening", "position"]
        constraints = [models.UniqueConstraint(fields=["screening", "code"], name="one_result_per_criterion")]
        indexes = [models.Index(fields=["code", "verdict"])]

    def __str__(self):
        return f"{self.label}: {self.get_verdict_display()}"


class ResultChange(models.Model):
    """Every change of an EOI's overall result, by machine or by person: the audit trail."""

    class Source(models.TextChoices):
        AUTOMATIC = "automatic", _("Automatic screening")
        RESCREENING = "rescreening", _("Re-screening")
        OVERRIDE = "override", _("Officer override")

    expression_of_interest = models.ForeignKey(
        ExpressionOfInterest, on_delete=models.CASCADE, related_name="result_changes"
    )
    source = models.CharField(max_length=20, choices=Source.choices)
    from_result = models.CharField(max_length=20, choices=ScreeningOutcome.choices)
    to_result = models.CharField(max_length=20, choices=ScreeningOutcome.choices)
    screening = models.ForeignKey(Screening, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    justification = models.TextField(blank=True)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source="override") | ~Q(justification=""), name="override_needs_justification"
            ),
        ]

    def __str__(self):
        return f"{self.expression_of_interest.reference}: {self.from_result} → {self.to_result}"


# ---------------------------------------------------------------- the enterprise's path through the programme
class Stage(models.TextChoices):
    """The steps of the programme (the call's "Key steps"), in order, then the two exits."""

    EOI_RECEIVED = "eoi_received", _("Expression of interest received")
    SCREENED = "screened", _("Screened")
    SHORTLISTED = "shortlisted", _("Shortlisted for a Level 1 batch")
    CEO_MEETING_HELD = "ceo_meeting_held", _("Meeting with the CEO held")
    BASELINE_DONE = "baseline_done", _("Basic baseline assessment done")
    LEVEL1_ACCEPTED = "level1_accepted", _("Accepted into Level 1")
    LEVEL1_COMPLETED = "level1_completed", _("Level 1 completed")
    LEVEL2_INTEREST = "level2_interest", _("Interest in the full package registered")
    LEVEL2_SHORTLISTED = "level2_shortlisted", _("Shortlisted for Level 2")
    LEVEL2_IN_PROGRESS = "level2_in_progress", _("Level 2 in progress")
    LEVEL2_COMPLETED = "level2_completed", _("Level 2 completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    NOT_SELECTED = "not_selected", _("Not selected")


# Accepted and not yet through Level 2: the stages in which classroom training and
# in-factory consultancy happen. Other apps ask for these enterprises by this name.
IN_TRAINING_STAGES = (
    Stage.LEVEL1_ACCEPTED,
    Stage.LEVEL1_COMPLETED,
    Stage.LEVEL2_INTEREST,
    Stage.LEVEL2_SHORTLISTED,
    Stage.LEVEL2_IN_PROGRESS,
)
# Accepted into Level 1, in training or through Level 2: the enterprise takes part in the programme,
# and consultants keep working with it after Level 2 (impact assessment).
IN_PROGRAMME_STAGES = (*IN_TRAINING_STAGES, Stage.LEVEL2_COMPLETED)


class Level1Batch(models.Model):
    """A batch of enterprises that take Level 1 (Module 1, the SCORE short course) together."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="level1_batches")
    name = models.CharField(_("name"), max_length=120)
    capacity = models.PositiveIntegerField(_("capacity"), help_text=_("How many enterprises the batch can take."))
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["call", "name"]
        verbose_name = _("Level 1 batch")
        verbose_name_plural = _("Level 1 batches")
        constraints = [
            models.UniqueConstraint(fields=["call", "name"], name="level1_batch_name_unique_per_call"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="level1_batch_capacity_positive"),
        ]

    def __str__(self):
        return self.name


class Enterprise(models.Model):
    """An enterprise on the programme's path, made from its expression of interest.

    One enterprise (one registration number) may answer several calls; `expression_of_interest`
    is the one its current path follows and the transitions keep the whole history.
    The workforce, sub-sector and city are copied from that EOI so lists can sort on them.
    """

    registration_key = models.CharField(max_length=40, unique=True, editable=False)
    legal_name = models.CharField(_("legal name"), max_length=200)
    city = models.CharField(_("city"), max_length=80)
    sub_sector = models.CharField(_("sub-sector"), max_length=20, choices=SubSector.choices)
    workforce_total = models.PositiveIntegerField(_("total workforce"))
    expression_of_interest = models.ForeignKey(
        ExpressionOfInterest, on_delete=models.PROTECT, related_name="enterprises_following"
    )
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="enterprises")
    stage = models.CharField(_("stage"), max_length=30, choices=Stage.choices, default=Stage.EOI_RECEIVED)
    batch = models.ForeignKey(
        Level1Batch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises",
        verbose_name=_("batch"),
    )
    # What the path has established on the current call; cleared when the enterprise answers a new call.
    baseline_done_on = models.DateField(_("basic baseline assessment done on"), null=True, blank=True)
    level1_completed_on = models.DateField(_("Level 1 completed on"), null=True, blank=True)
    comprehensive_baseline_on = models.DateField(_("comprehensive baseline done on"), null=True, blank=True)
    level2_interest_on = models.DateField(_("interest in the full package registered on"), null=True, blank=True)
    stage_changed_at = models.DateTimeField(_("stage changed at"), default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["legal_name", "pk"]
        indexes = [
            models.Index(fields=["call", "stage"]),
            models.Index(fields=["batch", "stage"]),
            models.Index(fields=["stage"]),
            # The lists' default order: a page of 50 read in order, not 5,000 rows sorted for it.
            models.Index(fields=["legal_name", "id"], name="enterprise_by_name"),
        ]

    def __str__(self):
        return self.legal_name


class StageTransition(models.Model):
    """One step of an enterprise along the path: from where to where, by whom, when and why."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="transitions")
    from_stage = models.CharField(max_length=30, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=30, choices=Stage.choices)
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="+")
    expression_of_interest = models.ForeignKey(ExpressionOfInterest, on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(Level1Batch, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)
    override_justification = models.TextField(
        blank=True, help_text=_("Why an enterprise that the screening did not find eligible goes ahead.")
    )
    # An officer passed a gate without the data it reads: what was missing, and why it went ahead.
    data_missing = models.TextField(_("data missing at the step"), blank=True)
    data_justification = models.TextField(
        _("justification for the missing data"),
        blank=True,
        help_text=_("Why the step was taken without the data its gate reads."),
    )

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["call", "to_stage"]), models.Index(fields=["to_stage"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(to_stage__in=["withdrawn", "not_selected"]) | ~Q(reason=""),
                name="exit_transition_needs_reason",
            ),
        ]

    def __str__(self):
        return f"{self.enterprise}: {self.from_stage or '—'} → {self.to_stage}"


class CeoMeeting(models.Model):
    """The individual meeting with the CEO or main decision-maker before acceptance into Level 1."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="ceo_meetings")
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("held on"))
    attendees = models.CharField(_("who attended"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    commitment_shown = models.BooleanField(_("the enterprise showed commitment"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("meeting with the CEO")
        verbose_name_plural = _("meetings with the CEO")

    def __str__(self):
        return f"{self.enterprise}: {self.held_on}"


class HiringRole(models.TextChoices):
    """The staff criterion 2.2.5 asks to be in place (the EOI's field names)."""

    HR_OFFICER = "hr_officer", _("Human resource officer")
    COMPLIANCE_OFFICER = "compliance_officer", _("Compliance officer")
    INDUSTRIAL_ENGINEER = "industrial_engineer", _("Industrial engineer")


class HiringCondition(models.Model):
    """A promise made at screening (“not in place, willing to hire if selected”), due once the
    enterprise is shortlisted, met by recording the hire."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="hiring_conditions")
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=30, choices=HiringRole.choices)
    due_on = models.DateField(_("due on"))
    created_at = models.DateTimeField(default=timezone.now)
    hired_name = models.CharField(_("name of the person hired"), max_length=120, blank=True)
    hired_on = models.DateField(_("hired on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("hiring condition")
        verbose_name_plural = _("hiring conditions")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "call", "role"], name="one_condition_per_role_and_call"),
            models.CheckConstraint(
                condition=Q(hired_on__isnull=True, hired_name="") | (Q(hired_on__isnull=False) & ~Q(hired_name="")),
                name="a_hire_has_a_name_and_a_date",
            ),
        ]
        indexes = [models.Index(fields=["hired_on", "due_on"])]

    def __str__(self):
        return f"{self.enterprise}: {self.get_role_display()}"

    @property
    def met(self) -> bool:
        return self.hired_on is not None


class LetterKind(models.TextChoices):
    SHORTLISTING = "shortlisting", _("Shortlisting letter")
    ACCEPTANCE = "acceptance", _("Acceptance letter")
    REGRET = "regret", _("Regret letter")
    EOI_REGRET = "eoi_regret", _("Regret letter to an applicant not eligible")


class LetterTemplate(models.Model):
    """A call's own wording of a letter; without one, the portal's default text is used."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="letter_templates")
    kind = models.CharField(_("kind"), max_length=20, choices=LetterKind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["call", "kind"], name="one_letter_template_per_call_and_kind")]

    def __str__(self):
        return f"{self.call}: {self.get_kind_display()}"


class LetterRecord(models.Model):
    """A letter as it was sent by email, word for word: what, to whom, by whom and when."""

    kind = models.CharField(max_length=20, choices=LetterKind.choices)
    recipient = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-sent_at", "-pk"]


class SentLetter(LetterRecord):
    """A letter to an enterprise on the path."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="sent_letters")

    def __str__(self):
        return f"{self.enterprise}: {self.get_kind_display()} ({self.sent_at:%Y-%m-%d})"


class DecisionLetter(LetterRecord):
    """A letter about an expression of interest's decision (a regret letter)."""

    expression_of_interest = models.ForeignKey(
        ExpressionOfInterest, on_delete=models.CASCADE, related_name="decision_letters"
    )

    def __str__(self):
        return f"{self.expression_of_interest.reference}: {self.get_kind_display()} ({self.sent_at:%Y-%m-%d})"


class ConsultantAssignment(models.Model):
    """A consultant assigned by an officer to an enterprise: what the consultant may see."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="consultant_assignments")
    consultant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["enterprise", "consultant__username"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "consultant"], name="one_assignment_per_consultant"),
        ]

    def __str__(self):
        return f"{self.consultant} → {self.enterprise}"


class EnterpriseContact(models.Model):
    """A person of the enterprise with a log-in: sees the enterprise's own data only."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enterprise_contact")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="contacts")
    position = models.CharField(_("position"), max_length=120, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["enterprise", "user__username"]

    def __str__(self):
        return f"{self.user} ({self.enterprise})"


def new_pseudonym() -> str:
    return "SCORE-" + secrets.token_hex(6).upper()


class DataSharingConsent(models.Model):
    """What an enterprise agreed to share beyond the programme: its indicators in the global SCORE
    database (under a pseudonym unless it allows its name) and a view of its progress for its buyers
    (raw figures only if it says so). Recorded by an officer from the enterprise's signed word;
    every change is kept in the history with who and when."""

    enterprise = models.OneToOneField(
        Enterprise, on_delete=models.CASCADE, related_name="sharing_consent", verbose_name=_("enterprise")
    )
    global_database = models.BooleanField(_("share indicators with the global SCORE database"), default=False)
    global_database_named = models.BooleanField(_("the global database may show the enterprise's name"), default=False)
    buyer_view = models.BooleanField(_("a progress summary may be shown to its buyers"), default=False)
    buyer_raw_figures = models.BooleanField(_("the buyer view may show raw figures"), default=False)
    given_by = models.CharField(_("consent given by (name and position)"), max_length=200)
    given_on = models.DateField(_("consent given on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    # Stable for ever, so that the global database can follow an enterprise over years without its name.
    pseudonym = models.CharField(max_length=20, unique=True, default=new_pseudonym, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("data sharing consent")
        verbose_name_plural = _("data sharing consents")
        constraints = [
            models.CheckConstraint(
                condition=Q(global_database=True) | Q(global_database_named=False), name="named_only_when_shared"
            ),
            models.CheckConstraint(
                condition=Q(buyer_view=True) | Q(buyer_raw_figures=False), name="raw_figures_only_with_buyer_view"
            ),
        ]

    def __str__(self):
        return f"{self.enterprise}: consent of {self.given_on}"
