from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.models import Call, LetterKind

from .models import BusinessCase, FileFormat, ReportKind

ENTERPRISE_REPORT_CHOICES = [
    (ReportKind.ENTERPRISE_BASELINE.value, ReportKind.ENTERPRISE_BASELINE.label),
    (ReportKind.ENTERPRISE_PROGRESS.value, ReportKind.ENTERPRISE_PROGRESS.label),
    (ReportKind.BUSINESS_CASE.value, ReportKind.BUSINESS_CASE.label),
    (ReportKind.LETTER.value, ReportKind.LETTER.label),
]


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
        label=_("Letter"), choices=[("", "—"), *LetterKind.choices], required=False, help_text=_("For a letter only.")
    )

    def __init__(self, *args, officer: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not officer:
            allowed = (ReportKind.ENTERPRISE_BASELINE, ReportKind.ENTERPRISE_PROGRESS)
            self.fields["kind"].choices = [c for c in ENTERPRISE_REPORT_CHOICES if c[0] in allowed]
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
