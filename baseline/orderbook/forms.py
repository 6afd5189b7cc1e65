from django import forms
from django.utils.translation import gettext_lazy as _

from score_portal.widgets import DateInput

from .. import imports
from ..forms import ImportForm
from ..models import OrderStatus
from . import services


class OrderLineForm(forms.Form):
    month = forms.DateField(label=_("Month"), widget=DateInput(), help_text=_("Any day of the month."))
    buyer = forms.CharField(label=_("Buyer"), max_length=120)
    product = forms.CharField(label=_("Product"), max_length=120)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=0, max_value=services.MAX_QUANTITY)
    value_pkr = forms.DecimalField(label=_("Value (PKR)"), min_value=0, max_digits=14, decimal_places=0)
    status = forms.ChoiceField(label=_("Status"), choices=OrderStatus.choices)


class OrderImportForm(ImportForm):
    """The indicator import's upload-or-paste form, read into order book rows."""

    def clean(self):
        data = forms.Form.clean(self)
        upload, text = data.get("file"), (data.get("text") or "").strip()
        if bool(upload) == bool(text):
            raise forms.ValidationError(_("Upload a file or paste the rows (one of the two)."))
        rows = imports.read_upload(upload) if upload else imports.read_text(text)
        data["rows"] = services.parse_rows(rows)
        return data
