from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise

from .selectors import KINDS


class ActivityFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Every kind")), *KINDS.items()])
    person = forms.ModelChoiceField(
        label=_("Person"), required=False, queryset=get_user_model().objects.order_by("first_name", "username")
    )
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"),
        required=False,
        queryset=Enterprise.objects.only("pk", "legal_name").order_by("legal_name"),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].label_from_instance = lambda user: user.get_full_name() or user.username
        self.fields["enterprise"].label_from_instance = lambda enterprise: enterprise.legal_name
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )
