"""Forms of the classroom delivery pages."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from score_portal.roles import CONSULTANT, OFFICER
from score_portal.widgets import DateInput, TimeInput

from ..models import Level1Course, Participant, PublicHoliday, TrainingGroup, default_short_weekdays
from . import module_order, rules

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


def trainers():
    """People who may train: consultants and officers."""
    return (
        get_user_model()
        .objects.filter(Q(groups__name__in=[CONSULTANT, OFFICER]) | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class TrainerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class Level1CourseForm(forms.ModelForm):
    class Meta:
        model = Level1Course
        fields = ["consultancy_months", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class Level1DayForm(forms.Form):
    day = forms.TypedChoiceField(label=_("Classroom day"), choices=[(1, "1"), (2, "2"), (3, "3")], coerce=int)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Starts at"), widget=TimeInput(), required=False)
    end_time = forms.TimeField(label=_("Ends at"), widget=TimeInput(), required=False)
    venue = forms.CharField(label=_("Venue"), max_length=200)
    trainer = TrainerChoiceField(label=_("Trainer"), queryset=None)
    accept = forms.BooleanField(label=_("Keep this date although it is a holiday or non-working day"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainer"].queryset = trainers()

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The day ends after it starts."))
        return data


class GroupForm(forms.ModelForm):
    non_working_weekdays = forms.TypedMultipleChoiceField(
        label=_("Non-working weekdays"),
        choices=WEEKDAYS,
        coerce=int,
        initial=[6],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    short_weekdays = forms.TypedMultipleChoiceField(
        label=_("Short working days (avoided when possible)"),
        choices=WEEKDAYS,
        coerce=int,
        initial=default_short_weekdays,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    trainer = TrainerChoiceField(label=_("Trainer"), queryset=None, required=False)

    class Meta:
        model = TrainingGroup
        fields = [
            "name",
            "trainer",
            "venue",
            "starts_on",
            "ends_on",
            "min_gap_days",
            "non_working_weekdays",
            "short_weekdays",
        ]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainer"].queryset = trainers()

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends <= starts:
            self.add_error("ends_on", _("The window ends after it starts."))
        if len(data.get("non_working_weekdays") or []) > 5:
            self.add_error("non_working_weekdays", _("Leave at least two working days in the week."))
        return data


class MemberForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.none())
    priorities = forms.CharField(
        label=_("Priority modules"),
        required=False,
        help_text=_("As agreed at the baseline assessment, most urgent first, e.g. 3, 5."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.filter(
            stage__in=rules.LEVEL2_MEMBER_STAGES, training_group_member__isnull=True
        ).order_by("legal_name")

    def clean_priorities(self):
        return _parse_priorities(self.cleaned_data["priorities"])


def _parse_priorities(text):
    parsed = module_order.parse_priorities(text or "")
    if parsed is None:
        raise forms.ValidationError(_("Module numbers from 2 to 5, each at most once, e.g. 3, 5."))
    return parsed


class PrioritiesForm(forms.Form):
    priorities = forms.CharField(label=_("Priority modules"), required=False)

    def clean_priorities(self):
        return _parse_priorities(self.cleaned_data["priorities"])


class OrderForm(forms.Form):
    order = forms.CharField(label=_("Module order"), help_text=_("Modules 2 to 5, each once, e.g. 3, 2, 5, 4."))
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}))

    def clean_order(self):
        parsed = module_order.parse_order(self.cleaned_data["order"])
        if parsed is None:
            raise forms.ValidationError(_("Give each of modules 2, 3, 4 and 5 exactly once, e.g. 3, 2, 5, 4."))
        return parsed


class MoveForm(forms.Form):
    date = forms.DateField(label=_("New date"), widget=DateInput())
    shift_workshop = forms.BooleanField(
        label=_("Move the workshop's other days by as many days"), required=False, initial=True
    )
    accept = forms.BooleanField(label=_("Move it although it breaks the constraints listed"), required=False)


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["name", "position", "level", "sex", "phone", "decision_maker"]
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})}


class HolidayForm(forms.ModelForm):
    class Meta:
        model = PublicHoliday
        fields = ["date", "name"]
        widgets = {"date": DateInput()}


class MonthForm(forms.Form):
    month = forms.DateField(input_formats=["%Y-%m"], required=False)
    view = forms.ChoiceField(choices=[("month", "month"), ("list", "list")], required=False)
