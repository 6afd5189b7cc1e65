"""The form renderer: Django's own templates, except <select> (single or multiple), drawn in Python.

A filter bar at national scale holds selects of every batch and every consultant (hundreds of options),
and Django draws each option through two templates: on the enterprise list that was a fifth of the page's
time. The markup is the same as the templates' (score_portal/tests/test_form_renderer.py compares them)."""

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict) -> str:
    # django/forms/widgets/attrs.html: False leaves the attribute out, True writes its name alone.
    written = []
    for name, value in attrs.items():
        if value is True:
            written.append(f" {conditional_escape(name)}")
        elif value is not False:
            written.append(f' {conditional_escape(name)}="{conditional_escape(value)}"')
    return "".join(written)


def select_html(widget: dict) -> str:
    context = Context()
    parts = [format_html('<select name="{}"{}>', widget["name"], mark_safe(_attrs(widget["attrs"])))]  # noqa: S308
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', render_value_in_context(group_name, context)))
        for option in options:
            parts.append(
                format_html(
                    '\n  <option value="{}"{}>{}</option>\n',  # the option template's own last line break
                    str(option["value"]),
                    mark_safe(_attrs(option["attrs"])),  # noqa: S308 - escaped in _attrs
                    render_value_in_context(option["label"], context),
                )
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece escaped above


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if template_name == SELECT else None
        if widget and all(o["template_name"] == OPTION for _g, options, _i in widget["optgroups"] for o in options):
            return select_html(widget)
        return super().render(template_name, context, request=request)
