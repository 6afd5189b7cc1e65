"""The public form's fields, prepared for one plain template (enterprises/public/_fields.html).

The public steps are the portal's busiest pages: every applicant renders each of them at least
once, and crispy-forms spent most of a step's time in its template per field, on top of Django's
template per widget and per radio option. Here each field becomes a small dict of ready values
(ids, attributes, options, messages) built from the widget's own context, so the page is one
template with a loop, not a template per field, widget and option. The markup is crispy's
Bootstrap 5 markup, unchanged: a label tied to its input, a message next to the field with its id
in aria-describedby, a fieldset with a legend for each radio group.

The officer's one-page entry still renders the same forms with crispy, from the same `sections`.
"""

import secrets

from django import forms
from django.template.loader import render_to_string
from django.utils.html import format_html_join

from .forms import ForTheDay, Group, Row, Section


def _attrs(attrs: dict) -> str:
    """HTML attributes as Django's widget templates write them: True alone, False and None left out."""
    plain = [(name, value) for name, value in attrs.items() if value is not True and value not in (False, None)]
    flags = [(name,) for name, value in attrs.items() if value is True]
    return format_html_join("", ' {}="{}"', plain) + format_html_join("", " {}", flags)


def _kind(widget) -> str:
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    return "input"


# The classes crispy's Bootstrap 5 pack gives each kind of input.
INPUT_CLASSES = {
    "text": "textinput form-control",
    "email": "emailinput form-control",
    "number": "numberinput form-control",
    "tel": "textinput form-control",
    "select": "select form-select",
    "checkbox": "checkboxinput form-check-input",
}


def field_view(bound: forms.BoundField, *, inline: bool = False) -> dict:
    field, widget = bound.field, bound.field.widget
    kind = _kind(widget)
    errors = list(bound.errors)
    html_id = bound.auto_id
    described = []
    if field.help_text:
        described.append(f"{html_id}_helptext")
    if errors:
        described.append(f"{html_id}_error")
    attrs = {**widget.attrs, **bound.build_widget_attrs({})}
    view = {
        "kind": kind,
        "id": html_id,
        "name": bound.html_name,
        "label": bound.label,
        "required": field.required,
        "help": field.help_text,
        "errors": errors,
        "describedby": " ".join(described),
        "inline": inline,
    }
    if kind == "radios":
        selected = bound.value()
        selected = "" if selected is None else str(selected)
        view["options"] = [
            {"id": f"{html_id}_{i}", "value": value, "label": label, "checked": str(value) == selected}
            for i, (value, label) in enumerate(field.choices)
        ]
        return view
    input_type = "select" if kind == "select" else getattr(widget, "input_type", "text")
    css = INPUT_CLASSES.get(input_type, "form-control") + (" is-invalid" if errors else "")
    context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
    shown = {"type": input_type} if kind != "select" else {}
    shown["name"] = bound.html_name
    if kind == "input" and context["value"] is not None:
        shown["value"] = context["value"]
    if kind == "checkbox" and context["attrs"].get("checked"):
        shown["checked"] = True
    shown.update({name: value for name, value in context["attrs"].items() if name not in ("checked", "id")})
    shown["class"] = css
    if errors:
        shown["aria-invalid"] = "true"
    if described and kind != "radios":
        shown["aria-describedby"] = view["describedby"]
    shown["id"] = html_id
    view["attrs"] = _attrs(shown)
    if kind == "select":
        value = context["value"]  # a list of the chosen values, as strings
        view["options"] = [
            {"value": option_value, "label": label, "selected": str(option_value) in value}
            for option_value, label in field.choices
        ]
    return view


def layout(form) -> list[dict]:
    """The form's `sections` as nested dicts the template walks: sections, rows, groups and fields."""

    def item(entry):
        if isinstance(entry, Section):
            return {"section": True, "legend": entry.legend, "items": [item(i) for i in entry.items]}
        if isinstance(entry, Row):
            return {"row": True, "column": entry.column, "fields": [item(name) for name in entry.fields]}
        if isinstance(entry, Group):
            return {"group": True, "id": entry.id, "items": [item(i) for i in entry.items]}
        return {"field": field_view(form[entry], inline=entry in form.inline_radios)}

    return [item(entry) for entry in form.sections]


def fields_in_layout(sections) -> list[str]:
    """The field names of a layout in order (a test holds each step to show each field once)."""
    names = []
    for entry in sections:
        if isinstance(entry, Section | Group):
            names.extend(fields_in_layout(entry.items))
        elif isinstance(entry, Row):
            names.extend(entry.fields)
        else:
            names.append(entry)
    return names


# The HTML of a step nobody has answered yet, by form (the year field's range ends this year, so by day
# too). Every visitor's first page holds all four steps empty: the same HTML for all of them.
_EMPTY_STEPS = ForTheDay()


def step_html(form_class, prefix: str, build, *, empty: bool) -> str:
    """A step's fields as HTML, from the form `build()` makes. `empty`: an unbound form with no stored
    answers, drawn once a day and language (without building the form again)."""
    html = _EMPTY_STEPS.get((form_class, prefix)) if empty else None
    if html is None:
        html = render_to_string("enterprises/public/_fields.html", {"layout": layout(build())})
        if empty:
            _EMPTY_STEPS.put((form_class, prefix), html)
    return html


# The whole first page of a call's form as every new visitor sees it: no answers, no message, no account.
# Only the CSRF token is the visitor's own; the page is drawn once a day and language, with this marker
# where the token goes (random, so that no answer or title can contain it).
_FIRST_PAGES = ForTheDay()
TOKEN_MARKER = f"csrf{secrets.token_hex(16)}"


def first_page_html(key, draw, token: str) -> str:
    """The first page for `key` (the call and what the page shows of it) with the visitor's `token`;
    `draw(marker)` draws it with the marker for a token when it is not kept yet."""
    html = _FIRST_PAGES.get(key)
    if html is None:
        html = draw(TOKEN_MARKER)
        if TOKEN_MARKER not in html:
            raise ValueError("the first page of the form holds no CSRF token")
        _FIRST_PAGES.put(key, html)
    return html.replace(TOKEN_MARKER, token)
