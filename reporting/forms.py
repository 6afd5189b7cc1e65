from django import forms
from django.utils.translation import gettext_lazy as _

from baseline import rules
from baseline.models import Indicator
from enterprises.models import Call, LetterKind, Level1Batch, SubSector
from enterprises.path import letters as enterprise_letters

from .models import ENTERPRISE_KINDS, SHARE_METRICS, BusinessCase, FileFormat, ReportKind, Target, TargetMetric
from .services import OFFICER_ONLY_KINDS

ENTERPRISE_REPORT_CHOICES = [(kind.value, kind.label) for kind in ENTERPRISE_KINDS]


class ProgrammeReportForm(forms.Form):
    call = forms.ModelChoiceField(
        label=_("Call"), queryset=Call.objects.order_by("-opens_on"), required=False, empty_label=_("All calls")
    )
    file_format = forms.ChoiceField(label=_("Format"), choices=FileFormat.choices, initial=FileFormat.PDF)


class CallScreeningForm(forms.Form):
    call = forms.ModelChoiceField(label=_("Call"), queryset=Call.objects.order_by("-opens_on"))


class EnterpriseReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=ENTERPRISE_REPORT_CHOICES)
    letter_kind = forms.ChoiceField(
        label=_("Letter"),
        choices=[("", "—"), *((k, LetterKind(k).label) for k in enterprise_letters.ENTERPRISE_KINDS)],
        required=False,
        help_text=_("For a letter only."),
    )

    def __init__(self, *args, officer: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not officer:
            self.fields["kind"].choices = [c for c in ENTERPRISE_REPORT_CHOICES if c[0] not in OFFICER_ONLY_KINDS]
            del self.fields["letter_kind"]

    def clean(self):
        data = super().clean()
        if data.get("kind") == ReportKind.LETTER and not data.get("letter_kind"):
            self.add_error("letter_kind", _("Pick the kind of letter."))
        return data


class BusinessCaseForm(forms.ModelForm):
    class Meta:
        model = BusinessCase
        fields = ["title", "context", "actions", "results", "quote", "quote_by", "lessons"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in ["context", "actions", "results", "lessons"]}
        widgets["quote"] = forms.Textarea(attrs={"rows": 2})


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["call", "metric", "indicator", "value", "deadline", "note"]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"value": _("A number of enterprises, workers or participants, or a percentage (0–100).")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = Call.objects.order_by("-opens_on")
        # Only an indicator with a direction can improve.
        self.fields["indicator"].queryset = (
            Indicator.objects.filter(active=True)
            .exclude(current_version__direction=rules.NEUTRAL)
            .select_related("current_version")
            .order_by("kind", "module", "position")
        )

    def clean(self):
        data = super().clean()
        metric, indicator, value = data.get("metric"), data.get("indicator"), data.get("value")
        if metric == TargetMetric.KPI_IMPROVING and not indicator:
            self.add_error("indicator", _("Pick the indicator the enterprises should improve."))
        if metric and metric != TargetMetric.KPI_IMPROVING and indicator:
            self.add_error("indicator", _("Only “% of enterprises improving an indicator” names an indicator."))
        if metric in SHARE_METRICS and value is not None and value > 100:
            self.add_error("value", _("A percentage is at most 100."))
        if value is not None and value <= 0:
            self.add_error("value", _("The target must be above zero."))
        return data


class DataExportForm(forms.Form):
    """Which raw table, in which format, for which call, batch and sub-sector."""

    dataset = forms.ChoiceField(label=_("Data"))
    file_format = forms.ChoiceField(label=_("Format"), choices=[("csv", "CSV"), ("xlsx", _("Excel workbook"))])
    call = forms.ModelChoiceField(
        label=_("Call"), queryset=Call.objects.none(), required=False, empty_label=_("All calls")
    )
    batch = forms.ModelChoiceField(
        label=_("Level 1 batch"), queryset=Level1Batch.objects.none(), required=False, empty_label=_("All batches")
    )
    sub_sector = forms.ChoiceField(label=_("Sub-sector"), required=False)

    def __init__(self, *args, datasets, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dataset"].choices = [(d.code, d.label) for d in datasets]
        self.fields["call"].queryset = Call.objects.order_by("-opens_on")
        self.fields["batch"].queryset = (
            Level1Batch.objects.filter(pk__in=enterprises.values("batch")).select_related("call").order_by("name")
        )
        self.fields["sub_sector"].choices = [("", _("All sub-sectors")), *SubSector.choices]
