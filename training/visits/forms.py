from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from score_portal.widgets import DateInput, TimeInput

from ..models import (
    ActionStatus,
    EitMeeting,
    EitMember,
    PlanItem,
    Suggestion,
    SuggestionDecision,
    Visit,
    VisitAction,
    VisitPurpose,
)
from . import photos

# Phones offer the camera or the gallery for these (no `capture`: that would force the camera, and a
# "before" photo taken earlier could not be chosen); the content is checked by photos.clean_photo anyway.
PHOTO_INPUT = forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})


def _small_textarea(rows=3):
    return forms.Textarea(attrs={"rows": rows})


class VisitForm(forms.ModelForm):
    """The visit log. Everything may be missing in a draft; submitting needs a complete visit."""

    class Meta:
        model = Visit
        fields = [
            "date",
            "start_time",
            "end_time",
            "purpose",
            "module",
            "people_met",
            "topics",
            "findings",
            "next_visit_on",
        ]
        widgets = {
            "date": DateInput(),
            "start_time": TimeInput(),
            "end_time": TimeInput(),
            "next_visit_on": DateInput(),
            "people_met": _small_textarea(2),
            "topics": _small_textarea(3),
            "findings": _small_textarea(5),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start_time", "end_time", "purpose", "findings"):
            self.fields[name].required = True

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The visit must end after it starts."))
        purpose, module = data.get("purpose"), data.get("module")
        if purpose == VisitPurpose.LEVEL2_FOLLOW_UP and not module:
            self.add_error("module", _("Choose the module this follow-up is about."))
        next_visit, date = data.get("next_visit_on"), data.get("date")
        if next_visit and date and next_visit < date:
            self.add_error("next_visit_on", _("The next visit cannot be before this one."))
        return data


class AmendmentForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the visit amended?"),
        widget=_small_textarea(2),
        help_text=_("The earlier version is kept in the visit's history."),
    )


class VisitActionForm(forms.ModelForm):
    class Meta:
        model = VisitAction
        fields = ["what", "owner", "due_on", "status"]
        widgets = {"due_on": DateInput()}


ActionFormSet = inlineformset_factory(
    Visit, VisitAction, form=VisitActionForm, extra=1, can_delete=True, min_num=0, validate_min=False
)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=ActionStatus.choices)


class PhotoPairForm(forms.Form):
    area = forms.CharField(label=_("Area"), max_length=120, help_text=_("For example: cutting section, fabric store."))
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)
    before = forms.FileField(
        label=_("Before photo"),
        help_text=_("JPEG, PNG or WebP, up to %(mb)d MB.") % {"mb": photos.MAX_UPLOAD_BYTES // (1024 * 1024)},
        widget=PHOTO_INPUT,
    )
    before_taken_on = forms.DateField(label=_("Before photo taken on"), required=False, widget=DateInput())
    after = forms.FileField(
        label=_("After photo"),
        required=False,
        help_text=_("Optional now: add it when the area has been improved."),
        widget=PHOTO_INPUT,
    )
    after_taken_on = forms.DateField(label=_("After photo taken on"), required=False, widget=DateInput())


class AfterPhotoForm(forms.Form):
    after = forms.FileField(
        label=_("After photo"),
        widget=PHOTO_INPUT,
    )
    after_taken_on = forms.DateField(label=_("Taken on"), required=False, widget=DateInput())


class EitMemberForm(forms.ModelForm):
    class Meta:
        model = EitMember
        fields = ["name", "level", "sex", "department", "active"]


class EitMeetingForm(forms.ModelForm):
    class Meta:
        model = EitMeeting
        fields = ["held_on", "attendees", "decisions"]
        widgets = {"held_on": DateInput(), "attendees": forms.CheckboxSelectMultiple, "decisions": _small_textarea(4)}

    def __init__(self, *args, enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = EitMember.objects.filter(enterprise=enterprise, active=True)


class PlanItemForm(forms.ModelForm):
    class Meta:
        model = PlanItem
        fields = ["problem", "action", "owner", "due_on", "status", "module", "indicator_code"]
        widgets = {"due_on": DateInput(), "problem": _small_textarea(2), "action": _small_textarea(2)}
        help_texts = {"indicator_code": _("Optional: the code of the baseline indicator this item should move.")}


class SuggestionForm(forms.ModelForm):
    class Meta:
        model = Suggestion
        fields = [
            "text",
            "submitted_by_level",
            "submitted_by_sex",
            "submitted_on",
            "decision",
            "reward",
            "estimated_savings",
        ]
        widgets = {"submitted_on": DateInput(), "text": _small_textarea(2)}


class SuggestionDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("adopted?"), choices=SuggestionDecision.choices)
    reward = forms.CharField(label=_("reward"), max_length=120, required=False)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)


class ContactSuggestionForm(SuggestionForm):
    """What the enterprise's contact logs: the suggestion, who made it and when; the decision, reward
    and savings stay with the consultant."""

    class Meta(SuggestionForm.Meta):
        fields = ["text", "submitted_by_level", "submitted_by_sex", "submitted_on"]
