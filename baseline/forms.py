"""Forms of the baseline pages. The checks themselves live in rules.py and services.py."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import imports, rules, services
from .models import Direction, Indicator, IndicatorVersion, Kind, Module, RoundKind

MONTH_FORMAT = "%Y-%m"


class MonthField(forms.DateField):
    """A month typed as YYYY-MM (the browser's month picker), stored as its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format=MONTH_FORMAT)
    input_formats = [MONTH_FORMAT, "%Y-%m-%d"]

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace(day=1) if value else value


# ---------------------------------------------------------------- indicators
def _add_definition_errors(form: forms.Form, kind: str, data: dict) -> None:
    """The service's rule for a definition (KPI with a formula, practice without), shown on the form."""
    try:
        services.check_definition(kind, data)
    except ValidationError as exc:
        form.add_error(None, exc)


class IndicatorForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=60, help_text=_("Short and unique, e.g. defect_rate."))
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    module = forms.TypedChoiceField(label=_("Module"), choices=Module.choices, coerce=int)
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    formula = forms.ChoiceField(
        label=_("Formula"), choices=[("", _("— none (yes/no practice) —")), *rules.FORMULA_CHOICES], required=False
    )
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    denominator = forms.CharField(label=_("Denominator"), max_length=100, required=False)
    direction = forms.ChoiceField(label=_("Direction of improvement"), choices=Direction.choices)

    def clean(self):
        data = super().clean()
        if data.get("kind"):
            _add_definition_errors(self, data["kind"], data)
        return data


class IndicatorEditForm(forms.ModelForm):
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=300,
        help_text=_("Saved with the new version. Results computed earlier keep the version they used."),
    )
    active = forms.BooleanField(label=_("In use"), required=False)

    class Meta:
        model = IndicatorVersion
        fields = ["name", "description", "formula", "unit", "denominator", "direction"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, instance=indicator.current_version, **kwargs)
        self.indicator = indicator
        self.fields["active"].initial = indicator.active
        if indicator.kind == Kind.PRACTICE:
            del self.fields["formula"]

    def clean(self):
        data = super().clean()
        _add_definition_errors(self, self.indicator.kind, data)
        return data

    def definition(self) -> dict:
        return {name: self.cleaned_data[name] for name in services.VERSIONED_FIELDS if name in self.cleaned_data}


# ---------------------------------------------------------------- rounds and values
class RoundForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of round"), choices=RoundKind.choices)
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    first_month = MonthField(label=_("First month of data"))
    months = forms.IntegerField(label=_("Months of data"), min_value=1, max_value=12, initial=3)

    def clean(self):
        data = super().clean()
        first, held = data.get("first_month"), data.get("held_on")
        if first and held and first > held:
            self.add_error("first_month", _("The data cannot start after the round is held."))
        return data


class MonthValuesForm(forms.Form):
    """One month of raw inputs: a number or 'not tracked' per input; blank leaves it unrecorded."""

    confirm = forms.BooleanField(label=_("I have checked the values flagged above and they are right."), required=False)

    def __init__(self, *args, round_, month: datetime.date, existing: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round_
        self.month = month
        self.warnings: dict[str, str] = {}
        existing = existing or {}
        # An input no longer asked for shows only in a round that has it, so it can still be corrected.
        self.codes = [code for code, spec in rules.INPUTS.items() if not spec.legacy or code in existing]
        for code in self.codes:
            spec = rules.INPUTS[code]
            current = existing.get(code)
            self.fields[code] = forms.DecimalField(
                label=spec.label,
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
                help_text=spec.unit,
                initial=current if current is not rules.NOT_TRACKED else None,
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
            )
            self.fields[f"{code}__nt"] = forms.BooleanField(
                label=_("not tracked"), required=False, initial=current is rules.NOT_TRACKED
            )

    def groups(self):
        """(label, [(value field, not-tracked field)]) per base input, for the template."""
        out = []
        for spec in rules.INPUT_SPECS:
            codes = [spec.code] + ([f"{spec.code}_women", f"{spec.code}_men"] if spec.by_sex else [])
            codes = [code for code in codes if code in self.fields]
            if codes:
                out.append((spec, [(self[code], self[f"{code}__nt"], self.warnings.get(code)) for code in codes]))
        return out

    def split_groups(self, tracked: set[str]):
        """The groups the enterprise tracks first, the others after ("more"). A group of the others that
        holds a value or a problem comes first too, so that nothing typed or wrong is hidden."""
        first, more = [], []
        for spec, fields in self.groups():
            holds = any(
                field.value() not in (None, "") or field.errors or warning or nt.value()
                for field, nt, warning in fields
            )
            (first if not tracked or spec.code in tracked or holds else more).append((spec, fields))
        return first, more

    def error_list(self):
        """Every problem, named, for the list at the top of the form."""
        out = []
        for name, messages in self.errors.items():
            if name in ("__all__", "confirm"):
                continue
            label = self.fields[name].label if name in self.fields else ""
            out += [(name, label, message) for message in messages]
        return out

    def values(self) -> dict:
        values = {}
        for code in self.codes:
            if self.cleaned_data.get(f"{code}__nt") and self.cleaned_data.get(code) is None:
                values[code] = rules.NOT_TRACKED
            else:
                values[code] = self.cleaned_data.get(code)
        return values

    def clean(self):
        data = super().clean()
        for code in self.codes:
            if data.get(code) is not None and data.get(f"{code}__nt"):
                self.add_error(code, _("Enter a value or mark it as not tracked, not both."))
        # The other checks run too, on the values that are readable, so every problem shows at once.
        values = {code: value for code, value in self.values().items() if code not in self.errors}
        errors, warnings = services.check_values(self.round, self.month, values)
        for code, messages in errors.items():
            for message in messages:
                self.add_error(code if code in self.fields else None, message)
        if warnings and not data.get("confirm") and not self.errors:
            self.warnings = warnings
            self.add_error(
                "confirm",
                _("Some values are more than 3× the previous round's. Check them, then tick this box to save."),
            )
        return data


PRACTICE_CHOICES = [("yes", _("Yes")), ("no", _("No")), ("", _("Not known"))]


class PracticesForm(forms.Form):
    def __init__(self, *args, practices, existing: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.practices = list(practices)
        for indicator in self.practices:
            value = existing.get(indicator.pk)
            self.fields[f"p{indicator.pk}"] = forms.ChoiceField(
                label=indicator.current_version.name,
                choices=PRACTICE_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                initial="" if value is None else ("yes" if value else "no"),
                help_text=indicator.current_version.description,
            )

    def by_module(self):
        groups: dict[int, list] = {}
        for indicator in self.practices:
            groups.setdefault(indicator.module, []).append(self[f"p{indicator.pk}"])
        return [(Module(module).label, fields) for module, fields in sorted(groups.items())]

    def answers(self) -> dict[int, bool | None]:
        mapping = {"yes": True, "no": False}
        return {i.pk: mapping.get(self.cleaned_data.get(f"p{i.pk}") or "") for i in self.practices}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX, at most 1 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    text = forms.CharField(
        label=_("Or paste the rows (with the header row)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "class": "font-monospace"}),
    )

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), (data.get("text") or "").strip()
        if bool(upload) == bool(text):
            raise ValidationError(_("Upload a file or paste the rows (one of the two)."))
        rows = imports.read_upload(upload) if upload else imports.read_text(text)
        data["headers"], data["data"] = imports.table(rows)
        return data
