"""A table of the diagnosis read from a spreadsheet: cells pasted from Excel or LibreOffice, or an
.xlsx or .csv file. Its first line holds the headers, matched to the table's columns; each line
is then checked by the table's own row form, and the preview says what would be saved, line by
line, before anything is (pac.diagnosis.import_views).

Nothing here touches the database but the row forms' own checks."""

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import openpyxl
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.styles import Font

from pac.core.text import plain
from pac.diagnosis.models import Figures
from pac.diagnosis.numbers import number_text

MAX_MEGABYTES = 2
MAX_BYTES = MAX_MEGABYTES * 1024 * 1024
MAX_ROWS = 5000  # under the headers
# Lines read, empty ones included: a sheet may run to a million formatted empty lines.
MAX_LINES = 2 * MAX_ROWS
# A table of the diagnosis has five columns: what lies further right is not read.
MAX_COLUMNS = 50
# An .xlsx is a zip archive: a small file could unpack to gigabytes.
MAX_UNPACKED = 50 * 1024 * 1024
# The amounts every row of the diagnosis has; its other numbers are percentages.
AMOUNTS = {field.name for field in Figures._meta.fields if isinstance(field, models.DecimalField)}

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
        _(
            "This file could not be read as %(kind)s: save it again from the spreadsheet, or "
            "paste its cells."
        )
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
        _("This file is larger than %(size)s MB: keep only the table in it, or paste its cells.")
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
            _(
                "PAC reads .xlsx and .csv files: save the table in one of these formats, or "
                "paste its cells."
            ),
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


def accepted_headers(table):
    """Each header key → the field it names: the table's headers, then each field's name in
    every language of PAC, which is what the template writes (template_workbook)."""
    names = {name: list(headers) for name, headers in table.headers.items()}
    for code, _language in settings.LANGUAGES:
        with translation.override(code):
            for name in names:
                names[name].append(str(table.model._meta.get_field(name).verbose_name))
    keys = {}
    for name, headers in names.items():
        for header in headers:
            keys.setdefault(header_key(header), name)
    return keys


@dataclass
class Column:
    name: str  # the field
    index: int  # in the spreadsheet's rows
    header: str  # as the spreadsheet writes it
    label: str
    kind: str  # "text", "amount" or "percent": how the preview shows it


@dataclass
class Cell:
    kind: str
    value: object
    wrong: bool


@dataclass
class Line:
    """A line of the spreadsheet under the headers."""

    number: int  # in the spreadsheet, the headers' line being 1 when they open it
    cells: dict  # field → the text handed to the row form
    values: dict | None = None  # field → its value, when the row form accepts the line
    errors: list = field(default_factory=list)
    wrong: set = field(default_factory=set)  # the fields in error
    shown: list = field(default_factory=list)  # Cells, in the order of the columns


@dataclass
class Preview:
    columns: list
    lines: list
    unknown_columns: list

    @property
    def wrong_lines(self):
        return [line for line in self.lines if line.errors]

    @property
    def valid(self):
        return bool(self.lines) and not self.wrong_lines

    def rows_data(self):
        """What services.figures_replace takes: each line's values."""
        return [line.values for line in self.lines]

    def content(self):
        """The table as tab-separated text, its cells as the row forms read them: what the
        confirmation sends back, read again without the file."""
        out = io.StringIO()
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow([column.header for column in self.columns])
        for line in self.lines:
            writer.writerow([line.cells[column.name] for column in self.columns])
        return out.getvalue()


def columns_of(table, headers):
    """The columns the header line gives the table's fields, and the headers it does not know;
    a ValidationError when a required column is missing or two give the same field."""
    keys = accepted_headers(table)
    fields = table.form.base_fields
    found, unknown, doubles = {}, [], {}
    for index, header in enumerate(headers):
        if is_blank(header):
            continue
        # Shown back to the reader: no direction mark left open to reverse what follows.
        text = plain(header, multiline=False)
        name = keys.get(header_key(text))
        if name is None:
            unknown.append(text)
        elif name in found:
            doubles.setdefault(name, [found[name].header]).append(text)
        else:
            found[name] = Column(name, index, text, str(fields[name].label), kind_of(name, fields))
    problems = [
        ValidationError(
            _("The columns %(headers)s all give %(field)s: keep one of them.")
            % {"headers": ", ".join(given), "field": fields[name].label},
            code="double",
        )
        for name, given in doubles.items()
    ]
    missing = [
        str(fields[name].label)
        for name in table.form.Meta.fields
        if fields[name].required and name not in found
    ]
    if missing:
        problems.append(
            ValidationError(
                ngettext(
                    "Missing column: %(names)s. The first line must hold the column headers.",
                    "Missing columns: %(names)s. The first line must hold the column headers.",
                    len(missing),
                )
                % {"names": ", ".join(missing)},
                code="missing",
            )
        )
    if problems and unknown:
        problems.append(ValidationError(unknown_text(unknown), code="unknown"))
    if problems:
        raise ValidationError(problems)
    ordered = [found[name] for name in table.form.Meta.fields if name in found]
    return ordered, unknown


def unknown_text(headers):
    return ngettext(
        "Column not recognised, left aside: %(names)s.",
        "Columns not recognised, left aside: %(names)s.",
        len(headers),
    ) % {"names": ", ".join(headers)}


def kind_of(name, fields):
    if name in AMOUNTS:
        return "amount"
    if isinstance(fields[name], forms.DecimalField):
        return "percent"
    return "text"


def cell_text(value, kind, places):
    if kind != "text":
        return number_text(value, places)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date | time):
        value = value.isoformat()
    # A name wrapped over two lines in its cell is still one name.
    return " ".join(str(value).split())


def line_of(table, columns, number, row):
    fields = table.form.base_fields
    cells = {}
    for column in columns:
        value = row[column.index] if column.index < len(row) else None
        places = getattr(fields[column.name], "decimal_places", None) or 0
        cells[column.name] = cell_text(value, column.kind, places)
    line = Line(number=number, cells=cells)
    labels = {column.name: column.label for column in columns}
    form = table.form(data=cells, instance=table.model())
    failed = {
        name: _("This cell holds a spreadsheet error (%(error)s): correct it in the spreadsheet.")
        % {"error": text}
        for name, text in cells.items()
        if text.upper() in SPREADSHEET_ERRORS
    }
    if form.is_valid() and not failed:
        line.values = {name: form.cleaned_data[name] for name in table.form.Meta.fields}
    errors = {name: list(messages) for name, messages in form.errors.items()}
    errors |= {name: [message] for name, message in failed.items()}
    for name, messages in errors.items():
        for message in messages:
            add_error(line, labels.get(name, ""), message)  # none for the line as a whole
        line.wrong.add(name)
    first = table.form.key[0]
    if header_key(cells.get(first, "")) in TOTALS:
        add_error(
            line,
            labels[first],
            _("This line looks like a total: remove it, the diagnosis adds the lines up itself."),
        )
        line.wrong.add(first)
    return line


def add_error(line, label, message):
    line.errors.append(
        _("%(label)s: %(message)s") % {"label": label, "message": message} if label else message
    )


def show(line, columns):
    for column in columns:
        value = line.values[column.name] if line.values else line.cells[column.name]
        kind = column.kind if line.values else "text"
        line.shown.append(Cell(kind, value, column.name in line.wrong))


def preview(table, rows):
    """What importing `rows` (the first filled one the headers) would save, each line of the
    spreadsheet with its values or its errors; a ValidationError when the headers do not give
    the table's columns, or nothing lies under them."""
    filled = [index for index, row in enumerate(rows) if row]
    if not filled:
        raise ValidationError(_("Nothing to import: the table is empty."), code="empty")
    start = filled[0]
    columns, unknown = columns_of(table, rows[start])
    lines, seen = [], {}
    key = table.form.key
    for number, row in enumerate(rows[start + 1 :], start=start + 2):
        if all(is_blank(row[c.index]) for c in columns if c.index < len(row)):
            continue
        line = line_of(table, columns, number, row)
        if line.values:
            names = tuple(str(line.values[name]).casefold() for name in key)
            if names in seen:
                label = next(column.label for column in columns if column.name == key[-1])
                add_error(line, label, _("Already given on line %(line)s.") % {"line": seen[names]})
                line.wrong.add(key[-1])
            else:
                seen[names] = number
        show(line, columns)
        lines.append(line)
    if not lines:
        raise ValidationError(_("The table has headers but no line under them."), code="no_rows")
    return Preview(columns=columns, lines=lines, unknown_columns=unknown)


AMOUNT_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.00"  # in %, as the form takes them: 12.5 for 12.5 %


def template_workbook(table):
    """An .xlsx whose first line holds the table's headers in the active language, the amount
    and percentage columns formatted: what a person fills in and imports back."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = str(table.title)[:31]
    fields = table.form.base_fields
    for index, name in enumerate(table.form.Meta.fields, start=1):
        title = capfirst(str(table.model._meta.get_field(name).verbose_name))
        header = sheet.cell(row=1, column=index, value=title)
        header.font = Font(bold=True)
        letter = header.column_letter
        kind = kind_of(name, fields)
        sheet.column_dimensions[letter].width = 30 if kind == "text" else 22
        if kind != "text":
            number_format = AMOUNT_FORMAT if kind == "amount" else PERCENT_FORMAT
            sheet.column_dimensions[letter].number_format = number_format
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
