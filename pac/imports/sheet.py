"""A PAC written in a spreadsheet, one line per row: the target it is on, and maybe an objective
of that target, an action on it (serving the objective of its line), a KPI that follows the
action (else the objective) and a step of the action. The first filled line holds the headers,
recognised in French and English with the synonyms such spreadsheets use; what each cell means
is read here, and checked by the app's own forms in pac.imports.services.

Nothing here touches the database."""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles import Font

from pac.core.numbers import number_text
from pac.core.spreadsheets import header_key, is_blank, missing_columns, unknown_columns
from pac.core.text import plain

# A plan holds a few dozen lines: past this, a file is not a PAC but a dump. Each line is
# checked and created through the forms and services (some 90 queries a line, about 90 ms on
# SQLite): 200 lines keep a preview, and its confirmation, under 20 seconds.
MAX_LINES = 200


@dataclass(frozen=True)
class Column:
    name: str
    label: object  # lazy: the header the template writes, in the reader's language
    kind: str = "text"  # "text", "date", "amount", "number", "people"
    synonyms: tuple = ()  # other headers recognised, as written in the spreadsheets met
    required: bool = False


COLUMNS = [
    Column("target", gettext_lazy("Target"), synonyms=("Cible",), required=True),
    Column(
        "target_kind",
        gettext_lazy("Target type"),
        synonyms=("Type de cible", "Nature de la cible", "Target kind"),
        required=True,
    ),
    Column("priority", gettext_lazy("Priority"), synonyms=("Priorité",)),
    Column(
        "rationale", gettext_lazy("Rationale"), synonyms=("Justification", "Pourquoi", "Raison")
    ),
    Column("objective", gettext_lazy("Objective"), synonyms=("Objectif",)),
    Column(
        "objective_kind",
        gettext_lazy("Objective type"),
        synonyms=("Type d'objectif", "Nature de l'objectif"),
    ),
    Column(
        "metric",
        gettext_lazy("Metric"),
        synonyms=("Métrique", "Mesure", "Ce qui est compté", "Critère"),
    ),
    Column("unit", gettext_lazy("Unit"), synonyms=("Unité",)),
    Column(
        "baseline",
        gettext_lazy("Baseline"),
        kind="number",
        synonyms=("Valeur de départ", "Point de départ", "Base", "Situation actuelle"),
    ),
    Column(
        "target_value",
        gettext_lazy("Target value"),
        kind="number",
        synonyms=("Valeur cible", "Objectif chiffré", "Valeur visée", "Cible chiffrée", "Goal"),
    ),
    Column(
        "deadline",
        gettext_lazy("Deadline"),
        kind="date",
        synonyms=("Échéance", "Échéance de l'objectif", "Date butoir", "Due date"),
    ),
    Column(
        "measured_by",
        gettext_lazy("Measured by"),
        synonyms=("Mesuré par", "Mesure de l'objectif"),
    ),
    Column(
        "objective_owner",
        gettext_lazy("Objective owner"),
        kind="people",
        synonyms=("Responsable de l'objectif", "Porteur de l'objectif"),
    ),
    Column("action", gettext_lazy("Action"), synonyms=("Action commerciale", "Intitulé")),
    Column("domain", gettext_lazy("Domain"), synonyms=("Domaine", "Thème")),
    Column(
        "sales_type",
        gettext_lazy("Sales type"),
        synonyms=(
            "Type d'action commerciale",
            "Type d'action",
            "Type de vente",
            "Nature de l'action",
        ),
    ),
    Column("description", gettext_lazy("Description"), synonyms=("Description",)),
    Column(
        "means",
        gettext_lazy("Means"),
        synonyms=("Moyens", "Moyens mis en œuvre", "Supports", "Outils"),
    ),
    Column(
        "owner",
        gettext_lazy("Owner"),
        kind="people",
        synonyms=("Responsable", "Pilote", "Porteur", "Qui", "Owner"),
    ),
    Column(
        "participants",
        gettext_lazy("Participants"),
        kind="people",
        synonyms=("Intervenants", "Participants", "Acteurs"),
    ),
    Column(
        "start_date",
        gettext_lazy("Start"),
        kind="date",
        synonyms=("Début", "Date de début", "Start date"),
    ),
    Column(
        "end_date", gettext_lazy("End"), kind="date", synonyms=("Fin", "Date de fin", "End date")
    ),
    Column(
        "budget_planned",
        gettext_lazy("Budget"),
        kind="amount",
        synonyms=("Budget", "Budget prévu", "Budget prévisionnel", "Coût", "Planned budget"),
    ),
    Column(
        "occurrences_planned",
        gettext_lazy("Occurrences planned"),
        kind="number",
        synonyms=("Occurrences prévues", "Nombre prévu", "Fréquence prévue"),
    ),
    Column("kpi", gettext_lazy("Indicator"), synonyms=("Indicateur", "KPI", "Indicateur de suivi")),
    Column(
        "kpi_unit",
        gettext_lazy("Indicator unit"),
        synonyms=("Unité de l'indicateur", "KPI unit"),
    ),
    Column(
        "kpi_target",
        gettext_lazy("Indicator target"),
        kind="number",
        synonyms=("Cible de l'indicateur", "Valeur cible de l'indicateur", "KPI target"),
    ),
    Column("step", gettext_lazy("Step"), synonyms=("Étape", "Jalon", "Tâche")),
    Column(
        "step_due_date",
        gettext_lazy("Step due date"),
        kind="date",
        synonyms=("Échéance de l'étape", "Date de l'étape", "Date du jalon"),
    ),
    Column(
        "step_owner",
        gettext_lazy("Step owner"),
        kind="people",
        synonyms=("Responsable de l'étape", "Qui pour l'étape"),
    ),
]
BY_NAME = {column.name: column for column in COLUMNS}


def accepted_headers():
    """Each header key → the column it names: each column's header in every language of PAC,
    then its synonyms (a header two columns could claim goes to the first)."""
    keys = {}
    for code, _language in settings.LANGUAGES:
        with translation.override(code):
            for column in COLUMNS:
                keys.setdefault(header_key(str(column.label)), column.name)
    for column in COLUMNS:
        for synonym in column.synonyms:
            keys.setdefault(header_key(synonym), column.name)
    return keys


@dataclass
class Line:
    """A line of the spreadsheet under the headers, as the forms read it."""

    number: int  # in the spreadsheet, the headers' line being 1 when they open it
    cells: dict  # column → the text handed on
    errors: list = field(default_factory=list)
    # What the line creates ("target", "objective", "action", "kpi", "step") when it is checked.
    creates: list = field(default_factory=list)
    measured: object = None  # the KPI made to measure its objective (pac.imports.services)

    def get(self, name):
        return self.cells.get(name, "")


@dataclass
class Sheet:
    columns: list  # Column, in the order of the spreadsheet
    indexes: dict  # column name → its index in the rows
    lines: list
    unknown_columns: list

    def content(self):
        """The lines as tab-separated text, their cells as read: what the confirmation sends
        back, read again without the file. Each line keeps its number: the empty lines between
        stay."""
        out = io.StringIO()
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow([str(BY_NAME[column.name].label) for column in self.columns])
        number = 1
        for line in self.lines:
            while number < line.number - 1:
                writer.writerow([])
                number += 1
            writer.writerow([line.get(column.name) for column in self.columns])
            number = line.number
        return out.getvalue()


def columns_of(headers):
    """The columns the header line names, and the headers it does not know; a ValidationError
    when a required column is missing or two give the same column."""
    keys = accepted_headers()
    found, unknown, doubles = {}, [], {}
    for index, header in enumerate(headers):
        if is_blank(header):
            continue
        text = plain(str(header), multiline=False)
        name = keys.get(header_key(text))
        if name is None:
            unknown.append(text)
        elif name in found:
            doubles.setdefault(name, [found[name][1]]).append(text)
        else:
            found[name] = (index, text)
    problems = [
        ValidationError(
            _("The columns %(headers)s all give %(field)s: keep one of them.")
            % {"headers": ", ".join(given), "field": BY_NAME[name].label},
            code="double",
        )
        for name, given in doubles.items()
    ]
    missing = [str(c.label) for c in COLUMNS if c.required and c.name not in found]
    if missing:
        problems.append(missing_columns(missing))
    if problems and unknown:
        problems.append(unknown_columns(unknown))
    if problems:
        raise ValidationError(problems)
    ordered = sorted(found, key=lambda name: found[name][0])
    return [BY_NAME[name] for name in ordered], {n: found[n][0] for n in ordered}, unknown


FRENCH_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})")
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
# Where Excel counts its days from: 1 is 1 January 1900, with its famous 29 February 1900.
EXCEL_EPOCH = date(1899, 12, 30)


def date_text(value):
    """A date as the forms read it (ISO), from what a sheet holds (a date cell, a day number)
    or what French users type: 31/12/2026, 31/12/26, 31.12.2026, 2026-12-31. The day comes
    first, as in French. What is not a date is handed on as it is, for the form to say so."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # the days Excel counts: up to 31/12/9999
            return (EXCEL_EPOCH + timedelta(days=int(value))).isoformat()
        return str(value)
    text = " ".join(str(value or "").split())
    match = ISO_DATE.fullmatch(text)
    if match:
        year, month, day = match.groups()
    else:
        match = FRENCH_DATE.fullmatch(text)
        if not match:
            return text
        day, month, year = match.groups()
        if len(year) == 2:
            year = f"20{year}"
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"


def cell_text(value, kind):
    if value is None:
        return ""
    if kind == "date":
        return date_text(value)
    if kind in ("amount", "number"):
        return number_text(value, 2)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        value = value.isoformat()
    # A name wrapped over two lines in its cell is still one name; NUL bytes and control
    # characters are the forms' to refuse, beside the field.
    return " ".join(str(value).split())


def read(rows):
    """The sheet `rows` hold (the first filled one the headers); a ValidationError when the
    headers do not give the required columns, or nothing lies under them."""
    filled = [index for index, row in enumerate(rows) if row]
    if not filled:
        raise ValidationError(_("Nothing to import: the table is empty."), code="empty")
    start = filled[0]
    columns, indexes, unknown = columns_of(rows[start])
    lines = []
    for number, row in enumerate(rows[start + 1 :], start=start + 2):
        cells = {
            column.name: cell_text(
                row[indexes[column.name]] if indexes[column.name] < len(row) else None,
                column.kind,
            )
            for column in columns
        }
        if not any(cells.values()):
            continue
        lines.append(Line(number=number, cells=cells))
    if not lines:
        raise ValidationError(_("The table has headers but no line under them."), code="no_rows")
    if len(lines) > MAX_LINES:
        raise ValidationError(
            _("This table has more than %(count)s lines: a plan imports %(count)s lines at most.")
            % {"count": MAX_LINES},
            code="too_long",
        )
    return Sheet(columns=columns, indexes=indexes, lines=lines, unknown_columns=unknown)


def name_key(text):
    """A name as compared: "Grands comptes" and "grands  COMPTES" are one target, as are
    "Société Générale" and "Societe generale"."""
    text = unicodedata.normalize("NFKD", str(text)).casefold()
    text = "".join(character for character in text if not unicodedata.combining(character))
    return " ".join(text.split())


AMOUNT_FORMAT = "#,##0.00 €"
NUMBER_FORMAT = "#,##0.##"
DATE_FORMAT = "DD/MM/YYYY"


def template_workbook(examples):
    """An .xlsx whose first line holds every column's header in the active language, its
    date and amount columns formatted, and under it the `examples` (lists of dicts column →
    value): what a manager fills in and imports back."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = _("PAC")[:31]
    for index, column in enumerate(COLUMNS, start=1):
        header = sheet.cell(row=1, column=index, value=str(column.label))
        header.font = Font(bold=True)
        sheet.column_dimensions[header.column_letter].width = 24 if column.kind == "text" else 16
        for number, example in enumerate(examples, start=2):
            cell = sheet.cell(row=number, column=index, value=example.get(column.name))
            if column.kind == "date":
                cell.number_format = DATE_FORMAT
            elif column.kind == "amount":
                cell.number_format = AMOUNT_FORMAT
            elif column.kind == "number":
                cell.number_format = NUMBER_FORMAT
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
