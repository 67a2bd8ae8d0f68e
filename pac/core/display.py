"""Values as a person reads them: fields in conflict messages and histories, amounts in euros."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import models
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language

from pac.core.text import plain


def readable(field, value, objects=None):
    """A field's value for reading: choice labels, names for relations, French dates and numbers.

    `objects` maps primary keys to instances for relation fields given as bare keys.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, list | tuple | set):
        return ", ".join(sorted(readable(field, item, objects) for item in value))
    if isinstance(value, models.Model):
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        found = (objects or {}).get(value)
        return str(found) if found is not None else f"#{value}"
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal):
        return number_format(value.normalize(), use_l10n=True, force_grouping=True)
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)


# Plural endings that a final "s" does not mark: rendez-vous, mois, prix, bus, cas, taux...
INVARIABLE_ENDINGS = ("ss", "us", "is", "as", "os", "x", "z")


def unit_for(value, unit):
    """The unit a person typed in the plural ("clients", "réalisations"), agreed with the
    figure before it: 1 client, 0,5 jour in French (singular below 2), 1 client but 0 clients in
    English. Only a single word is changed, and never one whose final s is not a plural."""
    word = unit.strip()
    if not word or " " in word or not word.endswith("s") or word.endswith(INVARIABLE_ENDINGS):
        return unit
    try:
        figure = abs(Decimal(value))
    except (ArithmeticError, TypeError, ValueError):
        return unit
    french = (get_language() or "fr").startswith("fr")
    singular = figure < 2 if french else figure == 1
    return word[:-1] if singular else unit


def euros(value):
    """1 000 € in French, €1,000 in English; cents only when there are some."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return value
    places = 0 if amount == amount.to_integral_value() else 2
    number = number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)
    if (get_language() or "fr").startswith("fr"):
        return f"{number}\xa0€"
    if number.startswith("-"):
        return f"-€{number[1:]}"
    return f"€{number}"


# Units that name euros as people type them.
EURO_UNITS = {"€", "eur", "euro", "euros"}


def is_euros(unit):
    """Whether a unit as people type it names euros ("€", "EUR", "euros")."""
    return (unit or "").strip().lower() in EURO_UNITS


def percent(value):
    """20 % in French, 20% in English."""
    if value is None or value == "":
        return ""
    number = number_format(value, use_l10n=True)
    if (get_language() or "fr").startswith("fr"):
        return f"{number}\xa0%"
    return f"{number}%"


def share(value):
    """A share in whole percent as a reader compares them (18 %), to a tenth under 10 % (4,5 %)
    so that a small share keeps a figure of its own."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    places = Decimal("0.1") if -10 < value < 10 else Decimal("1")
    # Half up, as people round: 62,5 % reads 63 %.
    rounded = value.quantize(places, rounding=ROUND_HALF_UP)
    return percent(rounded.normalize() if rounded else Decimal("0"))


def quantity(value, unit):
    """A figure with its unit as people read it: 600 000 € (amounts as `euros`), 12,5 %,
    1 client, 3 clients."""
    if value is None or value == "":
        return ""
    if is_euros(unit):
        return euros(value)
    if unit.strip() == "%":
        return percent(Decimal(value).normalize())
    number = number_format(Decimal(value).normalize(), use_l10n=True, force_grouping=True)
    return f"{number}\xa0{unit_for(value, unit)}" if unit else number


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
