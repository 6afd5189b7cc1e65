from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from score_portal.roles import ROLES


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.get_full_name() or user.get_username()} ({user.get_username()})"


class TokenForm(forms.Form):
    user = PersonChoiceField(label=_("Person"), queryset=get_user_model().objects.none())
    name = forms.CharField(label=_("What it is for"), max_length=120, help_text=_("e.g. the evaluators' dashboard"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            get_user_model().objects.filter(is_active=True, groups__name__in=ROLES).distinct().order_by("username")
        )
