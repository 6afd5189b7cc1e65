from django import template

register = template.Library()


@register.filter
def tally(value, key):
    """A tally's count for one screening result."""
    return value.get(key)
