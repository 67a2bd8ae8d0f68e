"""What user text may hold, and how PAC writes it out where nothing escapes it for us.

Forms refuse control characters (a NUL, a backspace, an escape: invisible, and forbidden in
calendar feeds by RFC 5545), line breaks in one-line fields, and direction marks left open: an
unclosed right-to-left override in a team name reverses every word PAC prints after it. Text
saved before these rules, or typed elsewhere (the admin), is made safe again where it leaves PAC
as raw text: the calendar feeds and the e-mails.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LINE_BREAKS = {"\r", "\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"}
# Explicit embeddings and overrides close with PDF; isolates close with PDI (Unicode UAX #9).
OPENERS = {"\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c", "\u202e": "\u202c"}
OPENERS |= {"\u2066": "\u2069", "\u2067": "\u2069", "\u2068": "\u2069"}
CLOSERS = {"\u202c", "\u2069"}


def is_control(character, multiline):
    """A character nobody types on purpose: C0 and C1 controls, save the tab (pasted from a
    spreadsheet, harmless) and the line feed of a multi-line text (the carriage return of a
    browser's CRLF is dropped before this check)."""
    if character == "\t" or (multiline and character == "\n"):
        return False
    return unicodedata.category(character) == "Cc"


def open_directions(text):
    """The positions of direction marks that close nothing or are never closed."""
    stack, stray = [], []
    for position, character in enumerate(text):
        if character in OPENERS:
            stack.append((position, OPENERS[character]))
        elif character in CLOSERS:
            if stack and stack[-1][1] == character:
                stack.pop()
            else:
                stray.append(position)
    return sorted(stray + [position for position, _closer in stack])


def _check(value, multiline):
    if not isinstance(value, str) or not value:
        return
    text = value.replace("\r\n", "\n") if multiline else value
    if not multiline and any(character in LINE_BREAKS for character in text):
        raise ValidationError(
            _("Write this on one line: it cannot hold a line break."), code="line_break"
        )
    if any(is_control(character, multiline) for character in text):
        raise ValidationError(
            _("This text holds an invisible control character: remove it and type it again."),
            code="control_character",
        )
    if open_directions(text):
        raise ValidationError(
            _(
                "This text holds a writing-direction mark that is never closed, which would "
                "reverse the text after it: remove it."
            ),
            code="open_direction",
        )


def one_line(value):
    """Validator of a one-line field (a title, a name)."""
    _check(value, multiline=False)


def multi_line(value):
    """Validator of a multi-line text (a description, the strategy)."""
    _check(value, multiline=True)


def plain(value, *, multiline=True):
    """The text with what forms refuse taken out: line breaks as "\\n" (or a space on one line),
    no other control character, no direction mark left open."""
    text = str(value).replace("\r\n", "\n")
    breaks = "\n" if multiline else " "
    text = "".join(breaks if character in LINE_BREAKS else character for character in text)
    if not multiline:
        text = text.strip()
    text = "".join(character for character in text if not is_control(character, multiline))
    stray = set(open_directions(text))
    return "".join(character for position, character in enumerate(text) if position not in stray)
