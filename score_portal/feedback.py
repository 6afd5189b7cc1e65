"""How a refused action is told to the person who tried it."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def tell_refusal(request, exc: ValidationError) -> None:
    """Show each message of a service's refusal (ValidationError) on the next page."""
    for message in exc.messages:
        messages.error(request, message)
