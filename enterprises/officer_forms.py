"""Forms of the officer pages: calls, manual EOI entry, override and re-screening."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .models import Call, ExpressionOfInterest, ScreeningOutcome, SubSector
from .services import normalise_phone

THRESHOLD_HELP = _("A threshold: changing it does not re-screen anything.")
THRESHOLDS_NOTE = _(
    "Changing a threshold does not re-screen anything: past screenings keep the thresholds they used. "
    "Re-screen an expression of interest from its page to apply the new ones."
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class CallForm(forms.ModelForm):
    sub_sectors = forms.MultipleChoiceField(
        label=_("Targeted sub-sectors"),
        choices=SubSector.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=format_lazy("{} {}", _("Sub-sectors eligible under this call."), THRESHOLD_HELP),
    )
    min_permanent_share = forms.DecimalField(
        label=_("Minimum permanent share (%)"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        help_text=format_lazy("{} {}", _("Between 0 and 100."), THRESHOLD_HELP),
    )

    class Meta:
        model = Call
        fields = [
            "title",
            "country",
            "description",
            "sub_sectors",
            "opens_on",
            "closes_on",
            "contact_name",
            "contact_email",
            "contact_phone",
            "first_batch_capacity",
            "min_workforce",
            "min_permanent_share",
        ]
        widgets = {
            "opens_on": DateInput(),
            "closes_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"min_workforce": THRESHOLD_HELP}

    def clean_country(self):
        country = self.cleaned_data["country"].strip().upper()
        if len(country) != 2 or not country.isalpha():
            raise forms.ValidationError(_("Enter a two-letter ISO country code, e.g. PK."))
        return country

    def clean(self):
        cleaned = super().clean()
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("The call cannot close before it opens (%(date)s).") % {"date": opens_on})
        return cleaned


# The fields of an EOI that a person fills in, grouped as on the paper form.
EOI_GROUPS = [
    (
        _("The enterprise"),
        [
            "legal_name",
            "registration_number",
            "address",
            "city",
            "province",
            "year_established",
            "products",
            "export_markets",
            "main_buyers",
            "sub_sector",
            "sub_sector_other",
        ],
    ),
    (
        _("Workforce"),
        [
            "workforce_total",
            "workforce_permanent",
            "workforce_contract",
            "workforce_women",
            "workforce_men",
            "workforce_managers",
            "workforce_workers",
        ],
    ),
    (_("Staff in place"), ["hr_officer", "compliance_officer", "industrial_engineer"]),
    (
        _("Commitment"),
        [
            "ceo_available",
            "nominee_name",
            "nominee_position",
            "nominee_has_authority",
            "shares_order_status",
            "shares_baseline_data",
        ],
    ),
    (_("Contact person"), ["contact_name", "contact_position", "contact_email", "contact_phone", "consent"]),
]
EOI_FIELDS = [name for _group, names in EOI_GROUPS for name in names]


class OfficerEOIForm(forms.ModelForm):
    """An expression of interest entered by an officer, e.g. from paper or after the call closed."""

    class Meta:
        model = ExpressionOfInterest
        fields = EOI_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Commitments may honestly be "no"; only consent must be given.
        for name in ("ceo_available", "nominee_has_authority", "shares_order_status", "shares_baseline_data"):
            self.fields[name].required = False
        self.fields["consent"].required = True
        self.fields["consent"].label = _("The enterprise consents to the ILO processing these data")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *(Fieldset(str(title), Div(*names)) for title, names in EOI_GROUPS),
        )

    def clean_year_established(self):
        year = self.cleaned_data["year_established"]
        if year is not None and not 1850 <= year <= timezone.localdate().year:
            raise forms.ValidationError(_("Enter a year between 1850 and this year."))
        return year

    def clean_contact_phone(self):
        phone = self.cleaned_data["contact_phone"]
        if normalise_phone(phone) is None:
            raise forms.ValidationError(_("Enter a Pakistani phone number, e.g. 0300-8486929 or +92 300 8486929."))
        return phone

    def clean(self):
        cleaned = super().clean()
        total = cleaned.get("workforce_total")
        permanent = cleaned.get("workforce_permanent")
        women, men = cleaned.get("workforce_women"), cleaned.get("workforce_men")
        if total is not None and permanent is not None and permanent > total:
            self.add_error(
                "workforce_permanent",
                _("Permanent workers (%(permanent)s) cannot be more than the total workforce (%(total)s).")
                % {"permanent": permanent, "total": total},
            )
        if total is not None and women is not None and men is not None and women + men != total:
            self.add_error(
                "workforce_men",
                _("Women (%(women)s) and men (%(men)s) must add up to the total workforce (%(total)s).")
                % {"women": women, "men": men, "total": total},
            )
        if cleaned.get("sub_sector") == SubSector.OTHER and not cleaned.get("sub_sector_other", "").strip():
            self.add_error("sub_sector_other", _("Name the textile sub-sector."))
        return cleaned

    def _post_clean(self):
        # The model's check constraints repeat the checks above, but as messages away from the
        # fields; the service builds and saves the EOI itself, so the model instance is not needed.
        pass

    def eoi_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in EOI_FIELDS}


class OverrideForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("New result"),
        choices=[(value, label) for value, label in ScreeningOutcome.choices if value != ScreeningOutcome.PENDING],
    )
    # Not required here: the service refuses an empty justification and says why.
    justification = forms.CharField(
        label=_("Justification"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required. Kept in the history with your name and the time."),
    )


class RescreenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Re-screening uses the call's current thresholds and replaces any override."),
    )
