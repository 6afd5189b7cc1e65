"""How a refused action is told to the person who tried it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext as _


def tell_refusal(request, exc: ValidationError) -> None:
    """Show each message of a service's refusal (ValidationError) on the next page."""
    for message in exc.messages:
        messages.error(request, message)
    # A refusal that names missing data (enterprises.path.rules.MissingData) also says where to enter it.
    for need in getattr(exc, "needs", ()):
        if getattr(need, "url", ""):
            messages.info(request, format_html('{}: <a href="{}">{}</a>', need, need.url, _("enter it here")))
