"""Template filters for numbers written for people (see baseline/formatting.py)."""

from django import template

from baseline import formatting

register = template.Library()


@register.filter
def count(value):
    return formatting.count(value)


@register.filter
def pct(value, places=1):
    return formatting.percent(value, int(places))


@register.filter
def signed_pct(value):
    return formatting.percent(value, signed=True)


@register.filter
def money(value):
    return formatting.money(value)


@register.filter
def kpi_value(value, version):
    """{{ result.value|kpi_value:result.version }} → "3.5%", "1,818 persons"."""
    return formatting.value(value, version)


@register.filter
def kpi_change(value, version):
    """{{ change.change|kpi_change:change.version }} → "−4.5 pp"."""
    return formatting.change(value, version)


@register.filter
def relative_change(change):
    """{{ change|relative_change }}: a Change's relative change, or why there is none."""
    return formatting.relative(change.change_pct, change.baseline_value, change.version)


@register.filter
def unit_of_change(version):
    return formatting.unit_of_change(version)


@register.filter
def figure(value, version):
    """A value without its unit words: "3.5%", "0.47", "1,818"."""
    return formatting.figure(value, version)


@register.filter
def change_figure(value, version):
    """A change without its unit words: "−3.6 pp", "+0.09"."""
    return formatting.change_figure(value, version)
