"""Formats PAC shows everywhere: amounts in euros per the active language."""

from decimal import Decimal

from django import template
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from pac.core.display import euros, unit_for
from pac.core.text import plain
from targets.models import Assessment, is_euros

register = template.Library()


register.filter("euros", euros)


@register.filter
def percent(value):
    """20 % in French, 20% in English."""
    if value is None or value == "":
        return ""
    number = formats.number_format(value, use_l10n=True)
    if (get_language() or "fr").startswith("fr"):
        return f"{number}\xa0%"
    return f"{number}%"


@register.filter
def quantity(value, unit):
    """A figure with its unit as people read it: 600 000 € (amounts as `euros`), 12,5 %,
    1 client, 3 clients."""
    if value is None or value == "":
        return ""
    if is_euros(unit):
        return euros(value)
    if unit.strip() == "%":
        return percent(Decimal(value).normalize())
    number = formats.number_format(Decimal(value).normalize(), use_l10n=True, force_grouping=True)
    return f"{number}\xa0{unit_for(value, unit)}" if unit else number


@register.filter
def verdict(value):
    """The label of an assessment's verdict ("partly" → "Partly reached")."""
    return Assessment.Verdict(value).label if value in Assessment.Verdict.values else ""


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
def shorten(value, length):
    """At most `length` characters, cut between two words and ended with "…": an item's name in
    the label of its buttons ("Modifier « Expertise reconnue en… »")."""
    text = str(value or "")
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    # The cut may fall between a direction mark and its closing one: the label goes into
    # attributes, where no <bdi> isolates it, so no mark is left open.
    return plain(cut.rstrip(" ,;:·-–"), multiline=False) + "…"


@register.filter
def css_string(value):
    """Text as a quoted CSS string, every character but ASCII letters, digits and spaces
    escaped: a plan's title goes into the running header of its documents, inside a <style>."""
    escaped = "".join(
        char if char.isascii() and (char.isalnum() or char == " ") else f"\\{ord(char):06x}"
        for char in str(value)
    )
    return mark_safe(f'"{escaped}"')


@register.filter
def slices(rows, size):
    """Rows in slices of at most `size`: a long table printed as page-sized tables, each with
    its header (WeasyPrint lays out one long table in time that grows with its pages)."""
    rows = list(rows)
    return [rows[index : index + int(size)] for index in range(0, len(rows), int(size))] or [[]]
