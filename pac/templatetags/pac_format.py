"""Formats PAC shows everywhere: amounts in euros per the active language."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from pac.core.display import euros, percent, quantity, share, shorten
from targets.models import Assessment

register = template.Library()


register.filter("euros", euros)
register.filter("percent", percent)
register.filter("share", share)
register.filter("quantity", quantity)
register.filter("shorten", shorten)


@register.filter
def verdict(value):
    """The label of an assessment's verdict ("partly" → "Partly reached")."""
    return Assessment.verdict_label(value)


@register.filter
def has_error_code(form, code):
    """Whether one of the form's errors has this code: what to offer next depends on it."""
    return any(error.code == code for errors in form.errors.as_data().values() for error in errors)


@register.filter
def bidi(value):
    """User text isolated from the sentence around it (<bdi>), for a translated sentence that
    names it: a right-to-left override left open in a name must not reverse PAC's own words."""
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def css_string(value):
    """Text as a quoted CSS string, every character but ASCII letters and digits escaped: a
    plan's title goes into the running header of its documents, inside a <style>. Spaces too: a
    space right after an escape would be read as its end."""
    escaped = "".join(
        char if char.isascii() and char.isalnum() else f"\\{ord(char):06x}" for char in str(value)
    )
    return mark_safe(f'"{escaped}"')


@register.filter
def slices(rows, size):
    """Rows in slices of at most `size`: a long table printed as page-sized tables, each with
    its header (WeasyPrint lays out one long table in time that grows with its pages)."""
    rows = list(rows)
    return [rows[index : index + int(size)] for index in range(0, len(rows), int(size))] or [[]]
