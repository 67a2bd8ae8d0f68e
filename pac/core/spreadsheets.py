"""Tables read from a spreadsheet: cells pasted from Excel or LibreOffice, or an .xlsx or .csv
file, as lists of cells, within limits that keep a forged file from holding a worker. What the
cells mean is the concern of each import (the diagnosis's tables, a plan, the carnet's deals);
headers are compared by `header_key`."""

import csv
import io
import re
import unicodedata
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MAX_MEGABYTES = 2
MAX_BYTES = MAX_MEGABYTES * 1024 * 1024
MAX_ROWS = 5000  # under the headers
# Lines read, empty ones included: a sheet may run to a million formatted empty lines.
MAX_LINES = 2 * MAX_ROWS
# A table of the diagnosis has five columns: what lies further right is not read.
MAX_COLUMNS = 50
# An .xlsx is a zip archive: a small file could unpack to gigabytes.
MAX_UNPACKED = 50 * 1024 * 1024


# What a spreadsheet shows in a cell whose formula failed.
SPREADSHEET_ERRORS = {
    "#NULL!",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#N/A",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
}
# A line naming one of these is the spreadsheet's sum of the others (keys of header_key).
TOTALS = {"total", "totaux", "sous total", "total general", "grand total"}

BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
# Quoted text and escaped characters of a number format: a "%" there is printed, not applied.
FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.')


def unreadable(kind):
    return ValidationError(
        _("This file could not be read as %(kind)s: save it again from the spreadsheet.")
        % {"kind": kind},
        code="unreadable",
    )


def too_long():
    return ValidationError(
        _("This table has more than %(count)s lines: PAC imports %(count)s lines at most.")
        % {"count": MAX_ROWS},
        code="too_long",
    )


def too_large():
    return ValidationError(
        _("This file is larger than %(size)s MB: keep only the table in it.")
        % {"size": MAX_MEGABYTES},
        code="too_large",
    )


def is_blank(cell):
    return cell is None or (isinstance(cell, str) and not cell.strip())


def bounded(rows):
    """The rows as lists of cells, empty cells and empty lines at the end left out; the empty
    lines between stay, for each line to keep its number in the spreadsheet. Lines past the
    MAX_LINES-th are not read, and refused when the first of them is filled."""
    kept, blank, filled = [], 0, 0
    for number, row in enumerate(rows, start=1):
        cells = list(row)[:MAX_COLUMNS]
        while cells and is_blank(cells[-1]):
            cells.pop()
        if number > MAX_LINES:
            if cells:
                raise too_long()
            break
        if not cells:
            blank += 1  # kept only once a filled line follows
            continue
        filled += 1
        if filled > MAX_ROWS + 1:
            raise too_long()
        kept.extend([] for _blank in range(blank))
        blank = 0
        kept.append(cells)
    return kept


def read_pasted(text):
    """The rows of cells pasted from a spreadsheet: tab-separated, a cell holding a tab, a line
    break or a quote between the quotes Excel puts around it."""
    try:
        return bounded(csv.reader(io.StringIO(text, newline=""), delimiter="\t"))
    except csv.Error:
        raise ValidationError(
            _("These cells could not be read: copy them again from the spreadsheet."),
            code="unreadable",
        ) from None


def read_file(uploaded):
    """The rows of an .xlsx file's first sheet, or of a .csv file; a ValidationError that says
    why for anything else."""
    if uploaded.size > MAX_BYTES:
        raise too_large()
    readers = {".xlsx": read_xlsx, ".csv": read_csv}
    reader = readers.get(Path(uploaded.name or "").suffix.lower())
    if reader is None:
        raise ValidationError(
            _("PAC reads .xlsx and .csv files: save the table in one of these formats."),
            code="format",
        )
    uploaded.seek(0)
    return reader(uploaded)


def read_xlsx(uploaded):
    try:
        with zipfile.ZipFile(uploaded) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                raise too_large()
        uploaded.seek(0)
        book = openpyxl.load_workbook(uploaded, read_only=True, data_only=True)
        try:
            if not book.worksheets:
                raise unreadable(".xlsx")
            sheet = book.worksheets[0]
            # Some writers record a wrong size for the sheet: read it to its end.
            sheet.reset_dimensions()
            rows = sheet.iter_rows(max_col=MAX_COLUMNS)
            return bounded([xlsx_value(cell) for cell in row] for row in rows)
        finally:
            book.close()
    except ValidationError:
        raise
    except Exception:
        # Whatever a damaged or forged file makes the zip and XML readers raise, the person
        # sending it reads one reason.
        raise unreadable(".xlsx") from None


def xlsx_value(cell):
    """A cell's value as the sheet shows it: a cell formatted as a percentage holds 0.125 for
    the 12.5 % it shows."""
    value = cell.value
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and is_percent_format(getattr(cell, "number_format", ""))
    ):
        return Decimal(repr(value)) * 100
    return value


def is_percent_format(number_format):
    return "%" in FORMAT_LITERALS.sub("", number_format or "")


def read_csv(uploaded):
    data = uploaded.read()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise unreadable(".csv")
    # French spreadsheets write ";" between cells (the comma is their decimal mark), others ",".
    first = text.split("\n", 1)[0]
    delimiter = max(("\t", ";", ","), key=first.count)
    try:
        return bounded(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        raise unreadable(".csv") from None


def header_key(text):
    """A header as compared: without case, accents, punctuation, or what brackets hold (a unit,
    a note): "Chiffre d’affaires (€)" and "chiffre d'affaires" are the same column."""
    text = unicodedata.normalize("NFKD", str(text)).casefold()
    text = "".join(character for character in text if not unicodedata.combining(character))
    bare = BRACKETS.sub(" ", text)
    if any(character.isalnum() for character in bare):
        text = bare
    text = text.replace(".", "")  # "C.A." is "CA"
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def missing_columns(names):
    """The refusal of a header line that lacks the columns an import needs."""
    return ValidationError(
        ngettext(
            "Missing column: %(names)s. The first line must hold the column headers.",
            "Missing columns: %(names)s. The first line must hold the column headers.",
            len(names),
        )
        % {"names": ", ".join(names)},
        code="missing",
    )


def unknown_columns(headers):
    """What a preview says of the columns no import reads: left aside, not guessed."""
    return ValidationError(
        ngettext(
            "Column not recognised, left aside: %(names)s.",
            "Columns not recognised, left aside: %(names)s.",
            len(headers),
        )
        % {"names": ", ".join(headers)},
        code="unknown",
    )
