"""The label of a choice field's value (`get_<field>_display`), read from a dict made once per field.

Django's own `get_<field>_display` rebuilds a dict of every choice on each call, and hashing each
lazily translated label translates it: 80 µs for an enterprise's stage (13 stages), where a list page
asks for 50 to 150 labels. The labels stay lazy in the dict, so each call still answers in the active
language. Fields whose choices are a callable are left to Django: they may change between calls.
"""

from django.db.models import Model
from django.db.models.fields import Field
from django.utils.choices import CallableChoiceIterator
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


def _display(field: Field):
    # As Django's: the last label of a value that appears twice.
    labels = {make_hashable(value): label for value, label in field.flatchoices}

    def get_display(self):
        value = getattr(self, field.attname)
        try:
            label = labels.get(value, value)
        except TypeError:  # an unhashable value
            label = labels.get(make_hashable(value), value)
        return force_str(label, strings_only=True)

    get_display.__name__ = f"get_{field.name}_display"
    return get_display


def install(models) -> None:
    """Give each of `models` the dict-backed `get_<field>_display` for its fields with fixed choices.
    A method the model wrote itself stays."""
    for model in models:
        for field in model._meta.concrete_fields:
            name = f"get_{field.name}_display"
            django_s = model.__dict__.get(name)
            # Django's is a partialmethod of Model._get_FIELD_display.
            if getattr(django_s, "func", None) is not Model._get_FIELD_display:
                continue
            if field.choices and not isinstance(field.choices, CallableChoiceIterator):
                setattr(model, name, _display(field))
