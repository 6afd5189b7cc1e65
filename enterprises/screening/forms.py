"""Forms of the screening: the public expression-of-interest form, then the officer pages (calls,
manual EOI entry, override and re-screening).

The public form is one ModelForm per step. Each step validates its own fields and the sums between
them, with the message next to the field concerned. Nothing is saved here: the wizard hands the
merged cleaned data of every step to services.submit_expression_of_interest. An officer's entry of a
paper EOI reuses the same steps, so it is checked exactly as an enterprise's own.
"""

import copy
from dataclasses import dataclass

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from score_portal.widgets import DateInput

from .. import consent
from ..models import Call, ExpressionOfInterest, ScreeningOutcome, StaffStatus, SubSector
from . import services

# ---------------------------------------------------------------- the public form's steps
WORKFORCE_MAX = 200_000
YEAR_MIN = 1900

YES_NO = [(True, _("Yes")), (False, _("No"))]


def _yes_no_field(label, *, help_text="", required=True) -> forms.TypedChoiceField:
    """A yes/no question that needs an explicit answer, never a silently-false checkbox."""
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        coerce=lambda value: value in (True, "True"),
        empty_value=None,
        widget=forms.RadioSelect,
        required=required,
        error_messages={"required": _("Answer yes or no.")},
    )


@dataclass(frozen=True)
class Row:
    """Two fields side by side from the breakpoint of `column` up, one above the other on a phone."""

    fields: tuple[str, str]
    column: str = "col-md-6"


@dataclass(frozen=True)
class Group:
    """Fields in a box with an id, for a script to show or hide (the nominee's fields)."""

    id: str
    items: tuple


@dataclass(frozen=True)
class Section:
    """A fieldset, with a legend when it has one. Items are field names, Rows or Groups; a form's
    `sections` may also hold those directly, outside any fieldset."""

    legend: str
    items: tuple


class ForTheDay:
    """Values that stay the same for a language and a day in this process (a step's fields, the HTML
    of an empty step): each key is kept with the language and today's date; yesterday's are dropped."""

    LIMIT = 100

    def __init__(self):
        self._values: dict = {}

    def get(self, key):
        return self._values.get((key, get_language(), timezone.localdate()))

    def put(self, key, value):
        if len(self._values) > self.LIMIT:
            self._values.clear()
        self._values[(key, get_language(), timezone.localdate())] = value
        return value


class StepForm(forms.ModelForm):
    """A step of the public form. Its layout (`sections`, `inline_radios`) is plain data, read by the
    public pages' own light renderer (public_fields.py) and turned into a crispy helper for the
    officer's one-page entry, so both show the same fieldsets and rows.

    Nothing is saved from these forms (services.submit_expression_of_interest saves the merged
    answers), so the model instance is never built nor validated here: the form fields hold the
    model's lengths and choices, and each step's clean() holds what its check constraints hold, with a
    message that names the numbers. Django's model validation would check each constraint again with
    a database query, on every step; the database enforces them on save."""

    sections: tuple = ()
    inline_radios: frozenset = frozenset()
    # The fields as shape_fields() leaves them, by form, language and day: every applicant's request
    # builds the four steps' forms (twice when sending), and building their fields anew each time cost
    # three times copying them. Labels and messages are worded in the language, years end today.
    _shaped = ForTheDay()

    def __init__(self, *args, **kwargs):
        shaped = StepForm._shaped.get(type(self))
        if shaped is not None:
            self.base_fields = shaped  # deep-copied into self.fields by BaseForm, as the class's are
        super().__init__(*args, **kwargs)
        if shaped is None:
            self.shape_fields()
            StepForm._shaped.put(type(self), copy.deepcopy(self.fields))

    def shape_fields(self):
        """Replace or adjust the model's fields: the step's own types, choices and messages."""

    def _post_clean(self):
        pass

    @property
    def helper(self) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False  # the page owns the <form>, the management form and the buttons
        helper.disable_csrf = True
        helper.layout = Layout(*(self._crispy(section) for section in self.sections))
        return helper

    def _crispy(self, item):
        if isinstance(item, Section):
            return Fieldset(item.legend, *(self._crispy(i) for i in item.items))
        if isinstance(item, Row):
            return Div(*(Div(self._crispy(name), css_class=item.column) for name in item.fields), css_class="row")
        if isinstance(item, Group):
            return Div(*(self._crispy(i) for i in item.items), css_id=item.id)
        return InlineRadios(item) if item in self.inline_radios else item


class EnterpriseForm(StepForm):
    sections = (
        Section(
            "",
            ("legal_name", "registration_number", "address", Row(("city", "province")), "year_established"),
        ),
        Section("", ("products", "export_markets", "main_buyers", "sub_sector", "sub_sector_other")),
    )

    class Meta:
        model = ExpressionOfInterest
        fields = [
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
        ]
        labels = {"sub_sector_other": _("Other textile sub-sector: say what")}
        help_texts = {
            "sub_sector_other": _("Only if you chose “Other textile”, e.g. home textiles or spinning."),
            "export_markets": _("Countries or regions, e.g. EU, UK, USA. Leave empty if you do not export."),
            "main_buyers": _("The brands or buyers you supply most."),
        }

    def __init__(self, *args, call=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call

    def shape_fields(self):
        this_year = timezone.localdate().year
        self.fields["year_established"] = forms.IntegerField(
            label=self.fields["year_established"].label,
            min_value=YEAR_MIN,
            max_value=this_year,
            error_messages={
                "invalid": _("Enter the year as a number, e.g. 1998."),
                "min_value": _("Enter a year between %(min)s and %(max)s.") % {"min": YEAR_MIN, "max": this_year},
                "max_value": _("Enter a year between %(min)s and %(max)s.") % {"min": YEAR_MIN, "max": this_year},
            },
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        )
        self.fields["sub_sector"].choices = [("", _("Choose a sub-sector")), *SubSector.choices]
        self.fields["province"].choices = [("", _("Choose a province")), *self.fields["province"].choices[1:]]

    def clean_registration_number(self):
        number = self.cleaned_data["registration_number"]
        if not services.registration_key(number):
            raise ValidationError(_("Enter the registration number (NTN)."), code="required")
        if self.call is not None:
            try:
                services.check_not_duplicate(self.call, number)
            except services.DuplicateExpressionOfInterest as exc:
                raise ValidationError(exc.messages, code="duplicate") from None
        return number

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("sub_sector") == SubSector.OTHER:
            if not cleaned.get("sub_sector_other"):
                self.add_error("sub_sector_other", ValidationError(_("Say which textile sub-sector."), code="required"))
        elif "sub_sector_other" in cleaned:
            cleaned["sub_sector_other"] = ""
        return cleaned


WORKFORCE_FIELDS = [
    "workforce_total",
    "workforce_permanent",
    "workforce_contract",
    "workforce_women",
    "workforce_men",
    "workforce_managers",
    "workforce_workers",
]


class WorkforceForm(StepForm):
    sections = (
        "workforce_total",
        Section(_("By type of contract"), (Row(("workforce_permanent", "workforce_contract"), "col-sm-6"),)),
        Section(_("By sex"), (Row(("workforce_women", "workforce_men"), "col-sm-6"),)),
        Section(_("By role"), (Row(("workforce_managers", "workforce_workers"), "col-sm-6"),)),
    )

    class Meta:
        model = ExpressionOfInterest
        fields = WORKFORCE_FIELDS

    def shape_fields(self):
        for name in WORKFORCE_FIELDS:
            model_field = self.fields[name]
            minimum = 1 if name == "workforce_total" else 0
            self.fields[name] = forms.IntegerField(
                label=model_field.label,
                min_value=minimum,
                max_value=WORKFORCE_MAX,
                error_messages={
                    "required": _("Enter a number (0 if none)."),
                    "invalid": _("Enter a whole number, e.g. 350."),
                    "min_value": _("Enter a number of %(min)s or more.") % {"min": minimum},
                    "max_value": _("That is more than %(max)s people; check the number.")
                    % {"max": f"{WORKFORCE_MAX:,}"},
                },
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
        self.fields["workforce_total"].help_text = _("Everyone who works at the enterprise or unit.")

    def clean(self):
        cleaned = super().clean()
        values = {name: cleaned.get(name) for name in WORKFORCE_FIELDS}
        total = values["workforce_total"]
        if total is None:
            return cleaned
        permanent = values["workforce_permanent"]
        if permanent is not None and permanent > total:
            self.add_error(
                "workforce_permanent",
                ValidationError(
                    _("Permanent workers (%(permanent)s) cannot be more than the total workforce (%(total)s).")
                    % {"permanent": permanent, "total": total},
                    code="permanent_above_total",
                ),
            )
        else:
            self._parts_add_up(
                values,
                "workforce_permanent",
                "workforce_contract",
                _(
                    "Permanent (%(permanent)s) and contract or temporary (%(contract)s) workers add up to "
                    "%(sum)s, but the total workforce is %(total)s. Every worker is either permanent or "
                    "contract/temporary."
                ),
                code="contract_sum",
            )
        self._parts_add_up(
            values,
            "workforce_women",
            "workforce_men",
            _("Women (%(women)s) and men (%(men)s) add up to %(sum)s, but the total workforce is %(total)s."),
            code="sex_sum",
        )
        self._parts_add_up(
            values,
            "workforce_managers",
            "workforce_workers",
            _(
                "Managers and supervisors (%(managers)s) and workers (%(workers)s) add up to %(sum)s, "
                "but the total workforce is %(total)s."
            ),
            code="role_sum",
        )
        return cleaned

    def _parts_add_up(self, values: dict, first: str, second: str, message, *, code: str) -> None:
        """Two parts of the workforce (by contract, sex or role) must add up to the total; the error
        goes next to the second, with both numbers, their sum and the total."""
        total, a, b = values["workforce_total"], values[first], values[second]
        if a is None or b is None or a + b == total:
            return
        numbers = {first.removeprefix("workforce_"): a, second.removeprefix("workforce_"): b, "sum": a + b}
        self.add_error(second, ValidationError(message % {**numbers, "total": total}, code=code))


STAFF_FIELDS = ["hr_officer", "compliance_officer", "industrial_engineer"]


class CommitmentForm(StepForm):
    sections = (
        Section(_("Are these staff in place at the enterprise or unit?"), tuple(STAFF_FIELDS)),
        Section(
            _("Decision-maker at the workshops"),
            (
                "ceo_available",
                Group("nominee-fields", (Row(("nominee_name", "nominee_position")), "nominee_has_authority")),
            ),
        ),
        Section(_("Commitment"), ("shares_order_status", "shares_baseline_data")),
    )
    inline_radios = frozenset({"ceo_available", "nominee_has_authority", "shares_order_status", "shares_baseline_data"})

    class Meta:
        model = ExpressionOfInterest
        fields = [
            *STAFF_FIELDS,
            "ceo_available",
            "nominee_name",
            "nominee_position",
            "nominee_has_authority",
            "shares_order_status",
            "shares_baseline_data",
        ]

    def shape_fields(self):
        for name in STAFF_FIELDS:
            model_field = self.fields[name]
            self.fields[name] = forms.ChoiceField(
                label=model_field.label,
                choices=StaffStatus.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose one answer.")},
            )
        self.fields["ceo_available"] = _yes_no_field(
            _("Is the CEO available to attend the SCORE training workshops?"),
            help_text=_("If not, name a senior officer with direct decision-making authority below."),
        )
        self.fields["nominee_name"].help_text = _("Only if the CEO is not available.")
        self.fields["nominee_has_authority"] = _yes_no_field(
            _("Does the nominee have direct decision-making authority?"), required=False
        )
        self.fields["shares_order_status"] = _yes_no_field(
            _("Are you willing to share your order status (confirmed and in the pipeline) for the next 12 months?")
        )
        self.fields["shares_baseline_data"] = _yes_no_field(
            _(
                "Are you willing to share your actual data on productivity and working conditions with the ILO "
                "for the baseline?"
            ),
            help_text=_("The ILO keeps these data confidential."),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("ceo_available") is False:
            if not cleaned.get("nominee_name"):
                self.add_error(
                    "nominee_name",
                    ValidationError(_("The CEO is not available: name the person who will attend."), code="required"),
                )
            if not cleaned.get("nominee_position"):
                self.add_error("nominee_position", ValidationError(_("Give the nominee's position."), code="required"))
            if cleaned.get("nominee_has_authority") is None and "nominee_has_authority" not in self.errors:
                self.add_error("nominee_has_authority", ValidationError(_("Answer yes or no."), code="required"))
        elif cleaned.get("ceo_available") is True:
            # The CEO attends: a nominee named by mistake is not kept.
            cleaned["nominee_name"] = ""
            cleaned["nominee_position"] = ""
            cleaned["nominee_has_authority"] = False
        return cleaned


class ContactForm(StepForm):
    sections = (Row(("contact_name", "contact_position")), Row(("contact_email", "contact_phone")), "consent")

    class Meta:
        model = ExpressionOfInterest
        fields = ["contact_name", "contact_position", "contact_email", "contact_phone", "consent"]
        labels = {"contact_name": _("Your name"), "contact_position": _("Your position")}
        widgets = {
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        }

    def shape_fields(self):
        self.fields["contact_email"].help_text = _("We send the acknowledgement and your status link here.")
        self.fields["consent"] = forms.BooleanField(
            label=consent.EOI_CONSENT_TEXTS[consent.EOI_CONSENT_VERSION],
            required=True,
            error_messages={
                "required": _("Tick this box to give your consent; without it the ILO cannot consider your interest.")
            },
        )

    def clean_contact_phone(self):
        phone = self.cleaned_data["contact_phone"]
        if services.normalise_phone(phone) is None:
            raise ValidationError(
                _("Enter a Pakistani phone number, e.g. 0300-8486929 or +92 300 8486929."), code="invalid_phone"
            )
        return phone


# A field that people never see or reach (hidden by CSS, aria-hidden, out of the tab order) and that
# robots filling every input do fill: the wizard then stores and sends nothing (views.py).
HONEYPOT_FIELD = "website"

# The wizard's steps, in order: (name, form, title shown in the step indicator).
STEPS = [
    ("enterprise", EnterpriseForm, _("Enterprise")),
    ("workforce", WorkforceForm, _("Workforce")),
    ("commitment", CommitmentForm, _("Staff and commitment")),
    ("contact", ContactForm, _("Contact and consent")),
]


# ---------------------------------------------------------------- officer pages
THRESHOLD_HELP = _("A threshold: changing it does not re-screen anything.")
THRESHOLDS_NOTE = _(
    "Changing a threshold does not re-screen anything: past screenings keep the thresholds they used. "
    "Re-screen an expression of interest from its page to apply the new ones."
)


# How long an enterprise may stay at each step (the worklist's limits); optional on the form.
STEP_LIMIT_FIELDS = (
    "days_to_shortlist",
    "days_to_ceo_meeting",
    "days_to_baseline",
    "days_to_acceptance",
    "days_to_level2_interest",
    "days_to_level2_selection",
    "days_to_level2_start",
)


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
            "code",
            "country",
            "description",
            "sub_sectors",
            "opens_on",
            "closes_on",
            "contact_name",
            "contact_email",
            "contact_phone",
            "first_batch_capacity",
            "min_consultancy_visits",
            "hire_within_days",
            "min_workforce",
            "min_permanent_share",
            *STEP_LIMIT_FIELDS,
        ]
        widgets = {
            "opens_on": DateInput(),
            "closes_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"min_workforce": THRESHOLD_HELP}

    # The path's call settings: left empty, they keep the programme's default.
    PATH_SETTINGS = ("min_consultancy_visits", "hire_within_days")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in (*STEP_LIMIT_FIELDS, *self.PATH_SETTINGS):
            self.fields[name].required = False

    def clean_country(self):
        country = self.cleaned_data["country"].strip().upper()
        if len(country) != 2 or not country.isalpha():
            raise forms.ValidationError(_("Enter a two-letter ISO country code, e.g. PK."))
        return country

    def clean(self):
        cleaned = super().clean()
        for name in (*STEP_LIMIT_FIELDS, *self.PATH_SETTINGS):
            if cleaned.get(name) is None and name not in self.errors:
                # Left empty: the call keeps (or takes) the programme's usual value.
                cleaned[name] = getattr(self.instance, name, None) or Call._meta.get_field(name).default
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
