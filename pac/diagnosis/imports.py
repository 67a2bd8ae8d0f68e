"""A table of the diagnosis read from a spreadsheet: cells pasted from Excel or LibreOffice, or an
.xlsx or .csv file. Its first line holds the headers, matched to the table's columns; each line
is then checked by the table's own row form, and the preview says what would be saved, line by
line, before anything is (pac.diagnosis.import_views).

Nothing here touches the database but the row forms' own checks."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time

import openpyxl
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from pac.core.numbers import number_text
from pac.core.spreadsheets import (
    SPREADSHEET_ERRORS,
    TOTALS,
    header_key,
    is_blank,
    missing_columns,
    unknown_columns,
)
from pac.core.text import plain
from pac.diagnosis.models import Figures

# The amounts every row of the diagnosis has; its other numbers are percentages.
AMOUNTS = {field.name for field in Figures._meta.fields if isinstance(field, models.DecimalField)}


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
        problems.append(missing_columns(missing))
    if problems and unknown:
        problems.append(unknown_columns(unknown))
    if problems:
        raise ValidationError(problems)
    ordered = [found[name] for name in table.form.Meta.fields if name in found]
    return ordered, unknown


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
