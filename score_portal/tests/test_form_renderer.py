"""The portal's form renderer draws a <select> exactly as Django's templates do, only faster."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy, override

from score_portal.form_renderer import FormRenderer


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=[("", "—"), ("a", "Alpha & <b>"), ("q", 'Say "hi"')])
    grouped = forms.ChoiceField(
        choices=[("Knitwear", [("k1", "Knit one"), ("k2", "Knit two")]), ("Woven", [(3, "Denim")]), ("x", "Other")],
        required=False,
    )
    lazy = forms.ChoiceField(choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))])
    numbers = forms.TypedChoiceField(choices=[(2024, 2024), (2025, 2025)], coerce=int)
    disabled = forms.ChoiceField(choices=[("a", "A")], disabled=True)
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")])


@pytest.mark.parametrize(
    "data",
    [None, {"plain": "q", "grouped": "3", "lazy": "no", "numbers": "2025", "many": ["a", "b"]}, {"plain": "nope"}],
)
@pytest.mark.parametrize("language", ["en", "ur"])
def test_every_select_is_drawn_as_djangos_templates_draw_it(data, language):
    with override(language):
        for name in Everything.base_fields:
            ours = Everything(data, renderer=FormRenderer())[name]
            django = Everything(data, renderer=DjangoTemplates())[name]
            attrs = {"class": "form-select form-select-sm", "data-x": 'a"b'}
            assert ours.as_widget(attrs=attrs) == django.as_widget(attrs=attrs), name
            assert str(ours) == str(django), name


def test_the_portal_uses_it(settings):
    from django.forms.renderers import get_default_renderer

    get_default_renderer.cache_clear()
    try:
        assert isinstance(get_default_renderer(), FormRenderer)
        assert isinstance(Everything().renderer, FormRenderer)
    finally:
        get_default_renderer.cache_clear()
