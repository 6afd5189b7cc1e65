"""Forms of the officer pages: calls, manual EOI entry, override and re-screening."""

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .models import Call, ScreeningOutcome, SubSector
from .public_forms import STEPS

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


# The fields of an EOI that a person fills in, grouped as in the public form's steps.
EOI_GROUPS = [(title, form_class._meta.fields) for _name, form_class, title in STEPS]


class ReceivedForm(forms.Form):
    received_on = forms.DateField(
        label=_("Received on"),
        widget=DateInput(),
        help_text=_(
            "The day the expression of interest reached the ILO. After the call's close date it is marked late."
        ),
    )

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise forms.ValidationError(_("The date received cannot be in the future."), code="future")
        return received_on


class OfficerEOIEntry:
    """The public form's steps on one page, for an EOI received on paper or after the close.

    Reusing the step forms means an officer's entry is checked exactly as an enterprise's own."""

    def __init__(self, call, data=None):
        self.call = call
        self.received = ReceivedForm(data, prefix="received", initial={"received_on": timezone.localdate()})
        self.steps = [
            (title, form_class(data, prefix=name, **({"call": call} if name == "enterprise" else {})))
            for name, form_class, title in STEPS
        ]

    def is_valid(self) -> bool:
        # Validate every form, not just up to the first invalid one, so every error shows at once.
        results = [self.received.is_valid()] + [form.is_valid() for _title, form in self.steps]
        return all(results)

    @property
    def received_on(self):
        return self.received.cleaned_data["received_on"]

    def eoi_data(self) -> dict:
        data = {}
        for _title, form in self.steps:
            data.update(form.cleaned_data)
        return data

    def add_registration_error(self, message) -> None:
        self.steps[0][1].add_error("registration_number", message)


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
