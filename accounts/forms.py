from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from score_portal.roles import ROLE_LABELS, ROLES

from .models import InvitedRole


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=InvitedRole.choices)
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"),
        queryset=Enterprise.objects.order_by("legal_name"),
        required=False,
        help_text=_("An enterprise contact's own enterprise; a consultant is assigned to it on accepting."),
    )
    position = forms.CharField(label=_("Position"), max_length=120, required=False)

    def clean(self):
        data = super().clean()
        if data.get("role") == InvitedRole.ENTERPRISE_CONTACT and not data.get("enterprise"):
            self.add_error("enterprise", _("Choose the contact's enterprise."))
        if data.get("role") == InvitedRole.OFFICER and data.get("enterprise"):
            self.add_error("enterprise", _("An officer sees every enterprise; leave this empty."))
        return data


class AcceptInvitationForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150, help_text=_("What you will log in with."))
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, invitation=None, **kwargs):
        self.invitation = invitation
        super().__init__(*args, **kwargs)

    def clean_username(self):
        from django.contrib.auth import get_user_model

        username = get_user_model().normalize_username(self.cleaned_data["username"].strip())
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This user name is taken; choose another."))
        return username

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            from django.contrib.auth import get_user_model

            # The validators compare the password with the person's name and email, as for any account.
            probe = get_user_model()(
                username=data.get("username", ""),
                email=self.invitation.email if self.invitation else "",
                first_name=self.invitation.first_name if self.invitation else "",
                last_name=self.invitation.last_name if self.invitation else "",
            )
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class PeopleFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, widget=forms.TextInput(attrs={"class": "form-control", "type": "search"})
    )
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("Any role")), *((role, ROLE_LABELS[role]) for role in ROLES), ("none", _("No role"))],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), ("active", _("Active")), ("deactivated", _("Deactivated"))],
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=500, required=False)


class HandOverForm(forms.Form):
    to_consultant = forms.ModelChoiceField(
        label=_("Hand over to"), queryset=None, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, consultants=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_consultant"].queryset = consultants
        self.fields["to_consultant"].label_from_instance = lambda user: user.get_full_name() or user.username


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_token(self):
        return self.cleaned_data["token"].replace(" ", "")
