"""The .xlsx files PAC hands out: each sheet a table under a bold, frozen header row in the
reader's language, its dates, amounts and percentages real Excel values with their formats.

Every export builds its sheets from `Column`s of a few kinds and hands them to `xlsx_response`;
nothing else in PAC writes a workbook cell by cell.
"""

import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

import openpyxl
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The kinds of column, each with the number format Excel shows its values in (Excel writes the
# separators of the reader's own locale: 1 000,00 € in a French Excel).
TEXT = "text"
DATE = "date"
AMOUNT = "amount"  # euros, to the cent
PERCENT = "percent"  # given in points as PAC keeps them (20 for 20 %), written as 0.2
INTEGER = "integer"
NUMBER = "number"  # a figure in a unit of its own (a KPI's), named in another column

FORMATS = {
    DATE: "DD/MM/YYYY",
    AMOUNT: '#,##0.00 "€"',
    PERCENT: "0.0 %",
    INTEGER: "#,##0",
    NUMBER: "#,##0.00",
}
# Room for a formatted value: 31/12/2026, 1 234 567,89 €, 100,0 %.
MIN_WIDTHS = {TEXT: 8, DATE: 12, AMOUNT: 14, PERCENT: 9, INTEGER: 8, NUMBER: 12}
MAX_WIDTH = 60

HUNDRED = Decimal(100)
# What a sheet's title may not hold, and its length (Excel's rules).
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_TITLE_LENGTH = 31


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = TEXT


@dataclass
class Sheet:
    """A table: its title (the sheet's tab), columns and rows of values, each row a sequence of
    values in the columns' order (None for an empty cell); `totals`, rows shown in bold below."""

    title: str
    columns: list
    rows: list = field(default_factory=list)
    totals: list = field(default_factory=list)


def cell_value(value, kind):
    """The value as Excel should hold it for its column's kind."""
    if value is None or value == "":
        return None
    if kind == DATE:
        return timezone.localtime(value).date() if isinstance(value, datetime) else value
    if kind == PERCENT:
        return float(Decimal(str(value)) / HUNDRED)
    if kind in {AMOUNT, NUMBER}:
        return float(value)
    if kind == INTEGER:
        return int(value)
    # Characters an .xlsx cannot hold (control characters typed into a title) are left out.
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def sheet_title(title, taken):
    """A tab name Excel accepts, unique in the workbook."""
    base = SHEET_TITLE_FORBIDDEN.sub(" ", str(title)).strip()[:SHEET_TITLE_LENGTH] or "Sheet"
    name, number = base, 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name = base[: SHEET_TITLE_LENGTH - len(suffix)] + suffix
        number += 1
    taken.add(name.lower())
    return name


def shown_length(value, kind):
    if value is None:
        return 0
    if kind == TEXT:
        return max(len(line) for line in str(value).splitlines() or [""])
    if kind == DATE:
        return 10
    # Digits, separators, decimals and the unit.
    return len(f"{value:,.2f}") + 2 if isinstance(value, float) else len(str(value)) + 2


def write_sheet(book_sheet, sheet):
    kinds = [column.kind for column in sheet.columns]
    widths = [max(len(str(column.header)), MIN_WIDTHS[column.kind]) for column in sheet.columns]
    bold = Font(bold=True)
    for index, column in enumerate(sheet.columns, start=1):
        book_sheet.cell(row=1, column=index, value=cell_value(column.header, TEXT)).font = bold
    lines = [(row, False) for row in sheet.rows] + [(row, True) for row in sheet.totals]
    for number, (row, total) in enumerate(lines, start=2):
        for index, (value, kind) in enumerate(zip(row, kinds, strict=True), start=1):
            written = cell_value(value, kind)
            cell = book_sheet.cell(row=number, column=index, value=written)
            if kind == TEXT and written is not None:
                # Text stays text: a title starting with "=" is not a formula.
                cell.data_type = "s"
            elif kind == NUMBER and written is not None and written == int(written):
                # 40 contacts read 40, not 40,00; a figure with cents keeps them.
                cell.number_format = FORMATS[INTEGER]
            elif kind in FORMATS:
                cell.number_format = FORMATS[kind]
            if total:
                cell.font = bold
            widths[index - 1] = max(widths[index - 1], shown_length(written, kind))
    for index, width in enumerate(widths, start=1):
        book_sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_WIDTH)
    book_sheet.freeze_panes = "A2"
    if sheet.rows:
        last = get_column_letter(len(sheet.columns))
        book_sheet.auto_filter.ref = f"A1:{last}{len(sheet.rows) + 1}"


def workbook(sheets):
    """The .xlsx file of the sheets, in their order, as bytes."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    taken = set()
    for sheet in sheets:
        write_sheet(book.create_sheet(sheet_title(sheet.title, taken)), sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def file_name(*parts, day):
    """PAC-<parts>-<day>.xlsx, in safe ASCII characters."""
    words = [slugify(str(part)) for part in parts if part]
    name = re.sub(r"-+", "-", "-".join(["PAC", *words])).strip("-")[:140]
    return f"{name}-{day:%Y-%m-%d}.xlsx"


def xlsx_response(sheets, name):
    """The workbook of the sheets, downloaded under `name`."""
    return HttpResponse(
        workbook(sheets),
        content_type=XLSX,
        headers={"Content-Disposition": content_disposition_header(True, name)},
    )
