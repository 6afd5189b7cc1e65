"""Indicator catalogue (versioned), measurement rounds, raw monthly values, results and changes.

An indicator keeps its identity (code, kind, module); what it means lives in IndicatorVersion.
Editing an indicator adds a version: results keep pointing at the version they were computed with.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from enterprises.models import Enterprise

from . import catalogue_texts, rules


class Module(models.IntegerChoices):
    """The five SCORE modules; the training app will own richer Module records later."""

    WORKPLACE_COOPERATION = 1, rules.MODULES[1]
    QUALITY = 2, rules.MODULES[2]
    PRODUCTIVITY = 3, rules.MODULES[3]
    WORKFORCE = 4, rules.MODULES[4]
    SAFETY_HEALTH = 5, rules.MODULES[5]


class Kind(models.TextChoices):
    PRACTICE = "practice", _("Practice (yes/no)")
    KPI = "kpi", _("Key performance indicator")


class Direction(models.TextChoices):
    HIGHER = rules.HIGHER, _("Higher is better")
    LOWER = rules.LOWER, _("Lower is better")
    NEUTRAL = rules.NEUTRAL, _("No direction (context)")


class Sex(models.TextChoices):
    ALL = rules.ALL, _("All")
    WOMEN = rules.WOMEN, _("Women")
    MEN = rules.MEN, _("Men")


class Indicator(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    module = models.PositiveSmallIntegerField(_("module"), choices=Module.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    active = models.BooleanField(_("in use"), default=True)
    current_version = models.ForeignKey(
        "IndicatorVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["kind", "module", "position", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(module__gte=1, module__lte=5), name="indicator_module_1_to_5"),
        ]

    def __str__(self):
        return self.label if self.current_version_id else self.code

    @property
    def label(self) -> str:
        """The current name, in the reader's language while it is the catalogue's own."""
        return catalogue_texts.name(self.code, self.current_version.name)

    @property
    def unit_label(self) -> str:
        return catalogue_texts.unit(self.current_version.unit)


class IndicatorVersion(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    formula = models.CharField(
        _("formula"), max_length=40, blank=True, choices=rules.FORMULA_CHOICES, help_text=_("KPIs only.")
    )
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    denominator = models.CharField(_("denominator"), max_length=100, blank=True)
    direction = models.CharField(_("direction of improvement"), max_length=10, choices=Direction.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(_("reason for the change"), max_length=300, blank=True)

    class Meta:
        ordering = ["indicator", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "number"], name="indicator_version_number_unique"),
        ]

    def __str__(self):
        return f"{self.name} (v{self.number})"

    @property
    def by_sex(self) -> bool:
        return bool(self.formula) and rules.FORMULAS[self.formula].by_sex


class RoundKind(models.TextChoices):
    BASIC_BASELINE = "basic_baseline", _("Basic baseline")
    COMPREHENSIVE_BASELINE = "comprehensive_baseline", _("Comprehensive baseline")
    FOLLOW_UP = "follow_up", _("Follow-up")
    IMPACT = "impact", _("Impact assessment")


BASELINE_KINDS = (RoundKind.BASIC_BASELINE, RoundKind.COMPREHENSIVE_BASELINE)


class Round(models.Model):
    """A measurement round of one enterprise, covering some months of raw inputs."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="measurement_rounds")
    kind = models.CharField(_("kind"), max_length=30, choices=RoundKind.choices)
    number = models.PositiveSmallIntegerField(_("number"), default=1, help_text=_("Follow-ups are numbered."))
    held_on = models.DateField(_("held on"))
    first_month = models.DateField(_("first month"), help_text=_("The first month of data in this round."))
    months = models.PositiveSmallIntegerField(_("months of data"), default=3)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["enterprise", "held_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "kind", "number"], name="one_round_per_kind_and_number"),
            models.CheckConstraint(condition=Q(months__gte=1, months__lte=12), name="round_months_1_to_12"),
            models.CheckConstraint(condition=Q(kind="follow_up") | Q(number=1), name="only_follow_ups_are_numbered"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        if self.kind == RoundKind.FOLLOW_UP:
            return f"{self.get_kind_display()} {self.number}"
        return str(self.get_kind_display())

    def month_list(self) -> list:
        months = []
        year, month = self.first_month.year, self.first_month.month
        for _i in range(self.months):
            months.append(self.first_month.replace(year=year, month=month, day=1))
            month += 1
            if month > 12:
                year, month = year + 1, 1
        return months


class MonthlyValue(models.Model):
    """One raw input for one month of a round: a number, or 'not tracked' (never zero)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="values")
    month = models.DateField(_("month"))
    code = models.CharField(_("input"), max_length=40)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    not_tracked = models.BooleanField(_("not tracked"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["round", "month", "code"]
        constraints = [
            models.UniqueConstraint(fields=["round", "month", "code"], name="one_value_per_input_and_month"),
            models.CheckConstraint(
                condition=Q(not_tracked=True, value__isnull=True) | Q(not_tracked=False, value__isnull=False),
                name="value_or_not_tracked",
            ),
            models.CheckConstraint(condition=Q(value__isnull=True) | Q(value__gte=0), name="value_not_negative"),
        ]

    def __str__(self):
        return f"{self.round}: {self.month:%Y-%m} {self.code}"


class Result(models.Model):
    """An indicator's value in a round: a KPI computed from the round's inputs, or a practice answer (1/0)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="results")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="results")
    version = models.ForeignKey(IndicatorVersion, on_delete=models.PROTECT, related_name="results")
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.ALL)
    value = models.DecimalField(max_digits=16, decimal_places=2)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["round", "indicator", "sex"]
        constraints = [
            models.UniqueConstraint(fields=["round", "indicator", "sex"], name="one_result_per_round_indicator_sex"),
        ]

    def __str__(self):
        return f"{self.round}: {self.indicator.code} {self.sex} = {self.value}"


class Change(models.Model):
    """An enterprise's change on one indicator from its baseline to its latest round.

    Kept by services whenever the enterprise's results change, so that programme
    aggregates are one GROUP BY in the database."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="indicator_changes")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="changes")
    version = models.ForeignKey(IndicatorVersion, on_delete=models.PROTECT, related_name="+")
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.ALL)
    baseline_round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    latest_round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    baseline_value = models.DecimalField(max_digits=16, decimal_places=2)
    latest_value = models.DecimalField(max_digits=16, decimal_places=2)
    change = models.DecimalField(max_digits=16, decimal_places=2)
    # None when the base is zero or too small for a percentage to mean anything (rules.min_base)
    change_pct = models.DecimalField(max_digits=16, decimal_places=2, null=True)
    improved = models.BooleanField(null=True)
    # At the best value (no defects, the practice in place) at the baseline and still: not improving, yet not failing.
    at_best = models.BooleanField(default=False)

    class Meta:
        ordering = ["enterprise", "indicator", "sex"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "indicator", "sex"], name="one_change_per_indicator_sex"),
        ]
        indexes = [
            # The programme's results read every change of the active indicators, grouped by indicator and
            # sex, counted and with their medians: with the counted columns included, PostgreSQL reads them
            # from this index alone, in its order, without visiting or sorting the table's rows (SQLite
            # makes the index without them).
            models.Index(
                fields=["indicator", "sex", "change"],
                include=["id", "change_pct", "improved", "at_best", "enterprise"],
                name="change_results",
            )
        ]

    def __str__(self):
        return f"{self.enterprise}: {self.indicator.code} {self.sex} {self.change}"


class OrderStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    PIPELINE = "pipeline", _("Pipeline")


class OrderLine(models.Model):
    """One line of an enterprise's order book (criterion 2.2.3): a month's order from a buyer,
    confirmed or in the pipeline. Confidential like the KPIs."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="order_lines")
    month = models.DateField(_("month"))
    buyer = models.CharField(_("buyer"), max_length=120)
    product = models.CharField(_("product"), max_length=120)
    quantity = models.PositiveIntegerField(_("quantity"))
    value_pkr = models.DecimalField(_("value (PKR)"), max_digits=14, decimal_places=0)
    status = models.CharField(_("status"), max_length=10, choices=OrderStatus.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["enterprise", "month", "buyer", "pk"]
        verbose_name = _("order book line")
        verbose_name_plural = _("order book lines")
        indexes = [models.Index(fields=["enterprise", "month"]), models.Index(fields=["entered_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(value_pkr__gte=0), name="order_value_not_negative"),
            models.CheckConstraint(condition=Q(month__day=1), name="order_month_is_a_month"),
        ]

    def __str__(self):
        return f"{self.enterprise}: {self.month:%Y-%m} {self.buyer} {self.get_status_display()}"


class SubmissionKind(models.TextChoices):
    MONTH_VALUES = "month_values", _("Monthly indicator inputs")
    ORDER_LINES = "order_lines", _("Order book lines")


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class Submission(models.Model):
    """What an enterprise's contact sends in (a month of inputs, order book lines) for the consultant
    to accept (then it is saved as if entered) or return with a comment. Kept, with its history."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="submissions")
    kind = models.CharField(_("kind"), max_length=20, choices=SubmissionKind.choices)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, null=True, blank=True, related_name="submissions")
    month = models.DateField(_("month"), null=True, blank=True)
    payload = models.JSONField(default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.SUBMITTED
    )
    comment = models.TextField(_("comment"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        indexes = [models.Index(fields=["enterprise", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="month_values") | (Q(round__isnull=False) & Q(month__isnull=False)),
                name="month_submission_names_its_round_and_month",
            ),
        ]

    def __str__(self):
        return f"{self.enterprise}: {self.get_kind_display()} ({self.get_status_display()})"
