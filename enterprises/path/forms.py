"""Forms of the path pages: filters, a step along the path, the CEO meeting, batches, shortlisting, letters."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from score_portal.roles import CONSULTANT, display_name
from score_portal.widgets import DateInput

from ..models import Enterprise, Level1Batch
from . import letters, rules


class MoveForm(forms.Form):
    """One step along the path that needs no more than a reason (and maybe a date)."""

    expected_stage = forms.CharField(widget=forms.HiddenInput)
    to_stage = forms.ChoiceField(label=_("Move to"))
    on = forms.DateField(
        label=_("Date it happened"),
        required=False,
        widget=DateInput(),
        help_text=_("For the baseline assessment, Level 1 completed and interest registered."),
    )
    comprehensive_baseline_on = forms.DateField(
        label=_("Comprehensive baseline done on"),
        required=False,
        widget=DateInput(),
        help_text=_("The comprehensive baseline at the end of Level 1, needed for Level 2."),
    )
    reason = forms.CharField(label=_("Why"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    data_justification = forms.CharField(
        label=_("Justification for going ahead without the data"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only when a round, the attendance, the visits or the first Level 2 workshop is not in the portal; "
            "recorded on the step."
        ),
    )

    def __init__(self, *args, stage: str, **kwargs):
        super().__init__(*args, **kwargs)
        targets = [s for s in rules.allowed_targets(stage) if s not in rules.RECORDED_BY_ACTION]
        self.fields["to_stage"].choices = [(s, rules.stage_label(s)) for s in targets]
        self.fields["expected_stage"].initial = stage


class CeoMeetingForm(forms.Form):
    expected_stage = forms.CharField(widget=forms.HiddenInput)
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    attendees = forms.CharField(label=_("Who attended"), max_length=300)
    commitment_shown = forms.BooleanField(label=_("The enterprise showed commitment"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, stage: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expected_stage"].initial = stage


class RegisterForm(forms.Form):
    override_justification = forms.CharField(
        label=_("Override justification"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed only if the screening did not find the enterprise eligible."),
    )


class BatchForm(forms.ModelForm):
    class Meta:
        model = Level1Batch
        fields = ["call", "name", "capacity", "starts_on", "notes"]
        widgets = {"starts_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}


class ShortlistForm(forms.Form):
    picks = forms.MultipleChoiceField(label=_("Shortlist"), widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label=_("Why these enterprises"), widget=forms.Textarea(attrs={"rows": 2}))
    override_justification = forms.CharField(
        label=_("Override justification"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed if you pick an enterprise that the screening did not find eligible."),
    )

    def __init__(self, *args, choices, capacity_left: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["picks"].choices = choices
        self.capacity_left = capacity_left

    def clean_picks(self):
        picks = self.cleaned_data["picks"]
        try:
            rules.check_capacity(len(picks), self.capacity_left)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc
        return [int(p) for p in picks]


class Level2Form(forms.Form):
    picks = forms.MultipleChoiceField(label=_("Select for Level 2"), widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label=_("Why these enterprises"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["picks"].choices = choices


class LetterTemplateForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 16}))

    def clean_subject(self):
        return self._placeholders_only("subject")

    def clean_body(self):
        return self._placeholders_only("body")

    def _placeholders_only(self, name):
        value = self.cleaned_data[name]
        try:
            letters.validate_template_text(value)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc
        return value


class AssignConsultantForm(forms.Form):
    consultant = forms.ModelChoiceField(label=_("Consultant"), queryset=None)

    def __init__(self, *args, enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultant"].queryset = (
            get_user_model()
            .objects.filter(groups__name=CONSULTANT, is_active=True)
            .exclude(assignments__enterprise=enterprise)
            .order_by("first_name", "username")
        )
        self.fields["consultant"].label_from_instance = display_name


class BulkActionForm(forms.Form):
    """What an officer does to the enterprises ticked on the list."""

    ASSIGN, MOVE, EXPORT = "assign", "move", "export"

    ids = forms.ModelMultipleChoiceField(queryset=Enterprise.objects.all(), widget=forms.MultipleHiddenInput)
    action = forms.ChoiceField(
        label=_("With the selected"),
        choices=[(ASSIGN, _("Assign a consultant")), (MOVE, _("Move a step")), (EXPORT, _("Export (CSV)"))],
    )
    consultant = forms.ModelChoiceField(label=_("Consultant"), queryset=None, required=False)
    to_stage = forms.ChoiceField(label=_("Move to"), required=False)
    on = forms.DateField(label=_("Date it happened"), required=False, widget=DateInput())
    reason = forms.CharField(label=_("Why"), required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultant"].queryset = (
            get_user_model().objects.filter(groups__name=CONSULTANT, is_active=True).order_by("first_name", "username")
        )
        self.fields["consultant"].label_from_instance = display_name
        self.fields["to_stage"].choices = [("", "—"), *((s, rules.stage_label(s)) for s in rules.bulk_move_targets())]

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action == self.ASSIGN and not cleaned.get("consultant"):
            self.add_error("consultant", _("Choose the consultant to assign."))
        if action == self.MOVE and not cleaned.get("to_stage"):
            self.add_error("to_stage", _("Choose the step to move to."))
        return cleaned
class HireForm(forms.Form):
    """Meets a hiring condition from screening."""

    name = forms.CharField(label=_("Person hired"), max_length=120)
    hired_on = forms.DateField(label=_("Hired on"), widget=DateInput())
