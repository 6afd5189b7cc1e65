from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.models import DataSharingConsent
from score_portal.widgets import DateInput

from .models import Buyer, EventKind, Linkage
from .services import MAX_LINK_DAYS


class BuyerForm(forms.ModelForm):
    class Meta:
        model = Buyer
        fields = ["brand", "country", "contact_name", "contact_email", "contact_phone"]


class ConsentForm(forms.ModelForm):
    class Meta:
        model = DataSharingConsent
        fields = [
            "global_database",
            "global_database_named",
            "buyer_view",
            "buyer_raw_figures",
            "given_by",
            "given_on",
            "note",
        ]
        widgets = {"given_on": DateInput()}
        help_texts = {
            "global_database": _("Its indicators go into the global SCORE database under a pseudonym."),
            "global_database_named": _("Only if it agreed to be named there."),
            "buyer_view": _("Officers may share a read-only view of its profile, progress and business case."),
            "buyer_raw_figures": _("Otherwise buyers see the changes, not the figures themselves."),
            "note": _("e.g. where the signed consent is filed"),
        }

    def clean(self):
        data = super().clean()
        # A name or raw figures without the sharing they belong to mean nothing: dropped, not refused.
        data["global_database_named"] = bool(data.get("global_database") and data.get("global_database_named"))
        data["buyer_raw_figures"] = bool(data.get("buyer_view") and data.get("buyer_raw_figures"))
        return data


class LinkForm(forms.Form):
    buyer = forms.ModelChoiceField(label=_("Buyer"), queryset=Buyer.objects.none())
    since = forms.DateField(label=_("Buying since"), required=False, widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buyer"].queryset = Buyer.objects.exclude(linkages__enterprise=enterprise).order_by("brand")


class _LinkageChoice(forms.ModelChoiceField):
    def label_from_instance(self, linkage):
        return linkage.buyer.brand


class EventForm(forms.Form):
    linkage = _LinkageChoice(label=_("Buyer"), queryset=Linkage.objects.none())
    kind = forms.ChoiceField(label=_("What"), choices=EventKind.choices)
    held_on = forms.DateField(label=_("On"), widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["linkage"].queryset = Linkage.objects.filter(enterprise=enterprise).select_related("buyer")


class ShareForm(forms.Form):
    linkage = _LinkageChoice(label=_("Share with"), queryset=Linkage.objects.none())
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=MAX_LINK_DAYS, initial=30)

    def __init__(self, *args, enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["linkage"].queryset = Linkage.objects.filter(enterprise=enterprise).select_related("buyer")
