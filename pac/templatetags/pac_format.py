"""Formats PAC shows everywhere: amounts in euros per the active language."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils import formats
from django.utils.translation import get_language

register = template.Library()


@register.filter
def euros(value):
    """1 000 € in French, €1,000 in English; cents only when there are some."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return value
    places = 0 if amount == amount.to_integral_value() else 2
    number = formats.number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)
    if (get_language() or "fr").startswith("fr"):
        return f"{number}\xa0€"
    if number.startswith("-"):
        return f"-€{number[1:]}"
    return f"€{number}"


@register.filter
def percent(value):
    """20 % in French, 20% in English."""
    if value is None or value == "":
        return ""
    number = formats.number_format(value, use_l10n=True)
    if (get_language() or "fr").startswith("fr"):
        return f"{number}\xa0%"
    return f"{number}%"
