"""Choice labels (`get_<field>_display`) read from a dict made once: the same labels as Django's, in
every language, for every choice field of the portal's models."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db.models import Model
from django.utils import translation

from enterprises.models import Enterprise, Stage

PORTAL_FIELDS = [
    (model, field)
    for model in apps.get_models()
    if model._meta.app_config.name in settings.PORTAL_APPS
    for field in model._meta.concrete_fields
    if field.choices
]


def test_every_choice_field_of_the_portal_reads_its_labels_from_the_dict():
    assert len(PORTAL_FIELDS) > 20
    for model, field in PORTAL_FIELDS:
        name = f"get_{field.name}_display"
        method = next(cls.__dict__[name] for cls in model.__mro__ if name in cls.__dict__)
        # Django's own is a partialmethod of Model._get_FIELD_display
        assert getattr(method, "func", None) is not Model._get_FIELD_display, (model, field)


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_each_label_is_django_s_in_each_language(language):
    compared = 0
    with translation.override(language):
        for model, field in PORTAL_FIELDS:
            values = [value for value, _label in field.flatchoices] + ["not-a-choice"]
            for value in values:
                instance = model()
                setattr(instance, field.attname, value)
                assert instance._get_FIELD_display(field) == getattr(instance, f"get_{field.name}_display")()
                compared += 1
    assert compared > 100


def test_a_label_follows_the_language_of_the_request():
    enterprise = Enterprise(stage=Stage.SHORTLISTED)
    with translation.override("en"):
        assert enterprise.get_stage_display() == "Shortlisted for a Level 1 batch"
    with translation.override("ur"):
        assert enterprise.get_stage_display() == "لیول 1 کے بیچ کے لیے شارٹ لسٹ"
