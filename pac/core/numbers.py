"""Numbers as French and English users type them or spreadsheets hold them: what the rows of
the diagnosis read, in its forms as in its imports."""

import re
from decimal import Decimal

# What people write around an amount: grouping spaces of every width, apostrophes (12'500),
# the currency, the percent sign.
DECORATIONS = re.compile(r"\s|['’]|€|%|(?i:euros?|eur)\b")
NUMBER = re.compile(r"[+-]?[\d.,]*\d[\d.,]*")


def number_text(value, places):
    """A number as the row form reads it ("12500.50"), from what people type ("12 500,50 €",
    "12.500,50", "1 234.5", "(3 000)", "12,5 %") or what a sheet holds (12500.5). What is not a
    number is handed on as it is, for the form to say so."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int | float | Decimal):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite():
            return str(value)
        if number.as_tuple().exponent < -places:
            # A computed cell (=B2*0.3) holds 3750.0000000001 where the sheet shows 3 750,00.
            number = number.quantize(Decimal(1).scaleb(-places))
        return format(number, "f")
    text = str(value).strip().replace("\u2212", "-")
    negative = text.startswith("(") and text.endswith(")")
    bare = DECORATIONS.sub("", text[1:-1] if negative else text)
    if not NUMBER.fullmatch(bare):
        return text
    if bare[0] in "+-":
        negative ^= bare[0] == "-"
        bare = bare[1:]
    return ("-" if negative else "") + decimal_point(bare)


def decimal_point(digits):
    """ "12.500,50" → "12500.50": with both marks, the last one is the decimal mark; a mark
    repeated in groups of three digits groups them ("1,234,567"); a single one is the decimal
    mark, a comma in French as a point in English."""
    if "," in digits and "." in digits:
        point = "," if digits.rfind(",") > digits.rfind(".") else "."
        grouping = "." if point == "," else ","
        digits = digits.replace(grouping, "")
        return digits.replace(point, ".") if digits.count(point) == 1 else digits
    for mark in ",.":
        if digits.count(mark) > 1:
            grouped = re.fullmatch(rf"\d{{1,3}}(\{mark}\d{{3}})+", digits)
            return digits.replace(mark, "") if grouped else digits
    return digits.replace(",", ".")
