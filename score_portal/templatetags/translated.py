"""`{{ value|translated }}`: a text kept in the database in English (a module's title, a holiday's name),
in the reader's language when the translation files have it (see training/catalogue_texts.py)."""

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def translated(value):
    text = str(value or "")
    return gettext(text) if text else text
