"""The one module that writes .xlsx files: kinds of column, titles Excel accepts, text kept text."""

import io
from datetime import UTC, date, datetime, time
from decimal import Decimal

import openpyxl

from pac.exports.workbook import (
    AMOUNT,
    DATE,
    INTEGER,
    NUMBER,
    PERCENT,
    Column,
    Sheet,
    file_name,
    workbook,
)


def book_of(*sheets):
    return openpyxl.load_workbook(io.BytesIO(workbook(list(sheets))))


def test_each_kind_of_column_is_a_real_value_with_its_format(settings):
    settings.TIME_ZONE = "Europe/Paris"
    columns = [
        Column("Texte"),
        Column("Jour", DATE),
        Column("Montant", AMOUNT),
        Column("Part", PERCENT),
        Column("Nombre", INTEGER),
        Column("Valeur", NUMBER),
        Column("Signé", DATE),
    ]
    # 23:30 UTC on 31/12 is already 01/01 in Paris: the day the reader lives.
    signed = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    row = ["Salon", date(2027, 3, 1), Decimal("1234.50"), 12.5, 3, Decimal("7.25"), signed]
    sheet = book_of(Sheet("Essai", columns, [row])).active
    cells = sheet[2]
    # openpyxl reads an Excel date back as a datetime at midnight.
    assert [cell.value.date() for cell in (cells[1], cells[6])] == [
        date(2027, 3, 1),
        date(2027, 1, 1),
    ]
    assert {cell.value.time() for cell in (cells[1], cells[6])} == {time(0)}
    assert [cell.value for cell in cells[2:6]] == [1234.5, 0.125, 3, 7.25]
    assert [cell.number_format for cell in cells] == [
        "General",
        "DD/MM/YYYY",
        '#,##0.00 "€"',
        "0.0 %",
        "#,##0",
        "#,##0.00",
        "DD/MM/YYYY",
    ]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:G2"


def test_an_empty_value_is_an_empty_cell():
    sheet = book_of(Sheet("Vide", [Column("A"), Column("B", AMOUNT)], [["", None]])).active
    assert [cell.value for cell in sheet[2]] == [None, None]


def test_text_stays_text_without_the_characters_a_workbook_cannot_hold():
    rows = [["=SUM(A1:A9)"], ["-2+3"], ["Salon\x0b \x00Industrie"]]
    sheet = book_of(Sheet("Textes", [Column("Titre")], rows)).active
    assert [(cell.value, cell.data_type) for (cell,) in sheet.iter_rows(min_row=2)] == [
        ("=SUM(A1:A9)", "s"),
        ("-2+3", "s"),
        ("Salon Industrie", "s"),
    ]


def test_sheet_titles_are_ones_excel_accepts_and_each_its_own():
    long = "Budget par cible / par domaine [2027]: prévu ou dépensé ?"
    book = book_of(Sheet(long, [Column("A")]), Sheet(long, [Column("A")]), Sheet("", []))
    titles = book.sheetnames
    assert all(len(title) <= 31 for title in titles)
    assert not any(char in title for title in titles for char in "[]:*?/\\")
    assert len(set(titles)) == 3
    assert titles[1].endswith("(2)")


def test_columns_are_wide_enough_for_their_longest_value():
    rows = [["Prospection téléphonique des PME industrielles"]]
    sheet = book_of(Sheet("Largeurs", [Column("Action")], rows)).active
    assert sheet.column_dimensions["A"].width >= len(rows[0][0])
    wide = book_of(Sheet("Large", [Column("Texte")], [["x" * 500]])).active
    assert wide.column_dimensions["A"].width == 60


def test_the_file_name_is_safe_ascii_with_the_day():
    name = file_name(
        "Ventes Nord",
        "2027-S1",
        "Grands comptes « ETI »",
        "Carnet commercial",
        day=date(2027, 4, 1),
    )
    assert name == "PAC-ventes-nord-2027-s1-grands-comptes-eti-carnet-commercial-2027-04-01.xlsx"
    assert file_name("", None, "../../etc/passwd", day=date(2027, 4, 1)) == (
        "PAC-etcpasswd-2027-04-01.xlsx"
    )
