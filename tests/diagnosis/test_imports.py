"""Paste and import of a table of the diagnosis: the preview says what each line of the
spreadsheet holds or why it cannot be saved, nothing is saved before it is confirmed, and the
confirmation reads the table again from the text the preview sent back."""

import csv
import html
import io
import re
import zipfile
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from pac.core import spreadsheets
from pac.diagnosis import imports
from pac.diagnosis.models import ClientFigure, OfferFigure, OfferSegmentFigure
from pac.diagnosis.services import figure_create
from pac.diagnosis.tables import TABLES, table_named

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# As copied from a French spreadsheet: grouping spaces (a no-break one among them), decimal
# commas, the euro sign, a negative margin.
FOUR_CLIENTS = (
    "Client\tSegment\tCA (€)\tMarge\r\n"
    "Durand SA\tIndustrie\t500 000\t100 000,50\r\n"
    "Martin SARL\tIndustrie\t12\u00a0500 €\t-3 000\r\n"
    "Petit et fils\tServices\t1 234.5\t234,5\r\n"
    '"Roux\tet Cie"\t\t12.500,50\t0\r\n'
    "\r\n"
)


def url(plan, table="clients", name="pac:figures-import"):
    return reverse(name, args=[plan.pk, table])


def words(text):
    """Text with its spaces, no-break ones included, as single spaces."""
    return " ".join(text.split())


def text_of(response):
    """The page as a person reads it: no tags, single spaces."""
    return words(html.unescape(re.sub(r"<[^>]+>", " ", response.text)))


def line_text(response, number):
    """The text of the preview's line `number`."""
    row = re.search(rf'<tr[^>]*data-line="{number}">(.*?)</tr>', response.text, re.S)
    assert row, number
    return words(html.unescape(re.sub(r"<[^>]+>", " ", row.group(1))))


def content_of(response):
    """What the confirmation form sends back."""
    found = re.search(r'name="pasted" value="([^"]*)"', response.text)
    assert found, "no confirmation form"
    return html.unescape(found.group(1))


def confirm(client, plan, response, table="clients"):
    return client.post(url(plan, table), {"pasted": content_of(response), "confirm": "1"})


def spreadsheet(rows, formats=None):
    """An .xlsx file of `rows`, cells at (row, column) given a number format by `formats`."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for (row, column), number_format in (formats or {}).items():
        sheet.cell(row=row, column=column).number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def add_client(world, name, sales, margin):
    table = table_named("clients")
    return figure_create(
        actor=world.manager,
        plan=world.plan,
        table=table,
        data={"name": name, "segment": "", "sales": Decimal(sales), "margin": Decimal(margin)},
    )


def saved(model=ClientFigure):
    return sorted((row.name, row.sales, row.margin) for row in model.objects.order_by("name", "pk"))


def test_a_pasted_table_of_french_amounts_is_previewed_then_saved_exactly(world, login):
    client = login(world.manager)
    add_client(world, "Ancien client", "10", "1")
    response = client.post(url(world.plan), {"pasted": FOUR_CLIENTS})
    assert response.status_code == 200
    assert ClientFigure.objects.filter(name="Durand SA").count() == 0  # a preview saves nothing
    page = text_of(response)
    expected = ngettext(
        "%(count)s line will be imported and will replace the current lines of the table "
        "(%(current)s).",
        "%(count)s lines will be imported and will replace the current lines of the table "
        "(%(current)s).",
        4,
    ) % {"count": 4, "current": 1}
    assert words(expected) in page
    assert "500 000 €" in line_text(response, 2)
    assert "Roux et Cie" in line_text(response, 5)  # the tab of a quoted cell, as a space

    response = confirm(client, world.plan, response)
    assert response.status_code == 302
    assert response["Location"] == reverse("pac:diagnosis", args=[world.plan.pk]) + "#clients"
    assert saved() == [
        ("Durand SA", Decimal("500000.00"), Decimal("100000.50")),
        ("Martin SARL", Decimal("12500.00"), Decimal("-3000.00")),
        ("Petit et fils", Decimal("1234.50"), Decimal("234.50")),
        ("Roux et Cie", Decimal("12500.50"), Decimal("0.00")),
    ]
    assert ClientFigure.objects.get(name="Durand SA").segment == "Industrie"
    # In the spreadsheet's order, and with their history.
    assert [row.name for row in ClientFigure.objects.order_by("order")][0] == "Durand SA"
    assert ClientFigure.history.filter(name="Durand SA").exists()
    [message] = get_messages(response.wsgi_request)
    assert str(message) == ngettext(
        "%(table)s: %(count)s line imported.", "%(table)s: %(count)s lines imported.", 4
    ) % {"table": gettext("Clients"), "count": 4}


def test_headers_are_recognised_by_their_synonyms_whatever_their_case_and_accents(world, login):
    client = login(world.manager)
    pasted = (
        "  RAISON SOCIALE \tClientèle\tChiffre d’affaires\tMCV (€)\n"
        "Durand SA\tIndustrie\t1000\t100\n"
    )
    response = client.post(url(world.plan), {"pasted": pasted})
    assert response.status_code == 200, text_of(response)
    assert confirm(client, world.plan, response).status_code == 302
    figure = ClientFigure.objects.get()
    assert (figure.name, figure.segment, figure.sales, figure.margin) == (
        "Durand SA",
        "Industrie",
        Decimal("1000"),
        Decimal("100"),
    )


def test_bad_lines_are_shown_with_their_line_number_and_nothing_is_saved(world, login):
    client = login(world.manager)
    add_client(world, "Ancien client", "10", "1")
    before = saved()
    pasted = (
        "Client\tCA\tMarge\n"
        "Durand SA\t1000\t100\n"
        "Martin\t-5\t0\n"  # line 3: negative sales
        "Petit\t100\t150\n"  # line 4: a margin above the sales
        "\t100\t10\n"  # line 5: no name
        "\n"
        "durand sa\t50\t5\n"  # line 7: Durand SA again
    )
    response = client.post(url(world.plan), {"pasted": pasted})
    assert response.status_code == 422
    assert 'name="confirm"' not in response.text
    assert "Durand SA" in line_text(response, 2)
    assert "supérieure ou égale à 0" in line_text(response, 3)
    assert "Ligne 3" in line_text(response, 3)
    assert "La marge de contribution ne peut" in line_text(response, 4)
    assert "Ce champ est obligatoire" in line_text(response, 5)
    assert "Déjà présent à la ligne 2." in line_text(response, 7)
    assert 'data-line="6"' not in response.text  # an empty line is skipped
    assert [line.number for line in response.context["preview"].wrong_lines] == [3, 4, 5, 7]
    assert saved() == before


def test_an_xlsx_file_is_read_with_its_numbers_and_percentage_cells(world, login):
    client = login(world.manager)
    content = spreadsheet(
        [
            ["Offre", "CA", "Marge", "Part de marché", "Croissance du marché (%)"],
            ["Maintenance", 120000, 30000.25, 0.125, 3.5],
            ["Formation", 45000.5, 0.1 + 0.2, 0.3, None],
            ["Conseil", 10000, 1000, None, -2],
        ],
        formats={(2, 4): "0.0%", (3, 4): "0%", (4, 5): '0.0" %"'},
    )
    response = client.post(url(world.plan, "offers"), {"file": upload("offres.xlsx", content)})
    assert response.status_code == 200, text_of(response)
    assert confirm(client, world.plan, response, "offers").status_code == 302
    offers = {offer.name: offer for offer in OfferFigure.objects.all()}
    assert offers["Maintenance"].margin == Decimal("30000.25")
    assert offers["Maintenance"].market_share == Decimal("12.5")
    assert offers["Maintenance"].market_growth == Decimal("3.5")
    assert offers["Formation"].sales == Decimal("45000.5")
    assert offers["Formation"].margin == Decimal("0.30")  # 0.30000000000000004 computed
    assert offers["Formation"].market_share == Decimal("30")
    assert offers["Formation"].market_growth is None
    # A " %" written in quotes in the format is printed, not applied: -2 stays -2.
    assert offers["Conseil"].market_growth == Decimal("-2")
    assert offers["Conseil"].market_share is None


def test_a_semicolon_csv_in_windows_1252_is_read(world, login):
    client = login(world.manager)
    content = "Client;Segment;CA;Marge\r\nCafé Hélène;Commerce;12 500,50;3 000\r\n"
    response = client.post(
        url(world.plan), {"file": upload("clients.csv", content.encode("cp1252"))}
    )
    assert response.status_code == 200, text_of(response)
    assert confirm(client, world.plan, response).status_code == 302
    assert saved() == [("Café Hélène", Decimal("12500.50"), Decimal("3000"))]


def test_a_comma_csv_in_utf8_with_its_byte_order_mark_is_read(world, login):
    client = login(world.manager)
    content = 'Offre,Segment,CA,Marge\n"Maintenance, niveau 2",PME,1000.5,100\n'
    response = client.post(
        url(world.plan, "offer-segments"),
        {"file": upload("cellules.csv", content.encode("utf-8-sig"))},
    )
    assert response.status_code == 200, text_of(response)
    assert confirm(client, world.plan, response, "offer-segments").status_code == 302
    cell = OfferSegmentFigure.objects.get()
    assert (cell.offer, cell.segment, cell.sales) == (
        "Maintenance, niveau 2",
        "PME",
        Decimal("1000.5"),
    )


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("table", list(TABLES))
def test_the_template_is_read_back_in_every_language(world, login, language, table):
    client = login(world.viewer)  # any reader downloads it
    response = client.get(
        url(world.plan, table, "pac:figures-template"), HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"-{table}.xlsx" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    headers = [cell.value for cell in sheet[1]]
    columns = TABLES[table].form.Meta.fields
    assert len(headers) == len(columns)
    keys = imports.accepted_headers(TABLES[table])
    assert [keys[spreadsheets.header_key(header)] for header in headers] == columns
    if table == "clients":
        assert (
            headers
            == {
                "fr": ["Client", "Segment", "CA (€)", "Marge de contribution (€)"],
                "en": ["Client", "Segment", "Sales (€)", "Contribution margin (€)"],
            }[language]
        )


def test_the_clients_template_filled_in_is_imported(world, login):
    client = login(world.manager)
    response = client.get(url(world.plan, "clients", "pac:figures-template"))
    assert response["Content-Disposition"] == 'attachment; filename="diagnostic-clients.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert sheet["C1"].value == "CA (€)"
    sheet.append(["Durand SA", "Industrie", 500000, 100000])
    sheet.append(["Martin SARL", None, 1200.5, 300])
    out = io.BytesIO()
    book.save(out)
    response = client.post(
        url(world.plan), {"file": upload("diagnostic-clients.xlsx", out.getvalue())}
    )
    assert response.status_code == 200, text_of(response)
    assert confirm(client, world.plan, response).status_code == 302
    assert saved() == [
        ("Durand SA", Decimal("500000"), Decimal("100000")),
        ("Martin SARL", Decimal("1200.5"), Decimal("300")),
    ]


def test_unknown_columns_are_listed_and_left_aside(world, login):
    client = login(world.manager)
    pasted = "Client\tCA\tMarge\tCommercial\tRemarques\nDurand SA\t1000\t100\tJean\tBon client\n"
    response = client.post(url(world.plan), {"pasted": pasted})
    assert response.status_code == 200
    listed = re.search(r'data-testid="unknown-columns">(.*?)</p>', response.text, re.S).group(1)
    assert "Commercial" in listed and "Remarques" in listed
    assert "Commercial" not in content_of(response)  # not carried to the confirmation
    assert confirm(client, world.plan, response).status_code == 302
    assert saved() == [("Durand SA", Decimal("1000"), Decimal("100"))]


def test_a_missing_column_is_named(world, login):
    client = login(world.manager)
    response = client.post(url(world.plan), {"pasted": "Client\tChiffre 2025\nDurand SA\t1000\n"})
    assert response.status_code == 422
    page = text_of(response)
    missing = ngettext(
        "Missing column: %(names)s. The first line must hold the column headers.",
        "Missing columns: %(names)s. The first line must hold the column headers.",
        2,
    ) % {"names": "CA (€), Marge de contribution (€)"}
    assert words(missing) in page
    # The header it did not know, beside: the reader sees which one to rename.
    assert words(spreadsheets.unknown_columns(["Chiffre 2025"]).message) in page
    assert "invalid-feedback" in response.text
    assert not ClientFigure.objects.exists()


def bad_file_cases():
    big = b"Client;CA;Marge\n" + b"x;1;1\n" * (spreadsheets.MAX_BYTES // 6 + 1)
    many = "Client;CA;Marge\n" + "x;1;1\n" * (spreadsheets.MAX_ROWS + 1)
    return {
        "junk named .xlsx": upload("clients.xlsx", b"PK\x03\x04 not a zip at all \x00\xff" * 50),
        "a zip that is no workbook": upload("clients.xlsx", zip_of_nothing()),
        "a file too large": upload("clients.csv", big),
        "too many lines": upload("clients.csv", many.encode()),
        "an unknown format": upload("clients.pdf", b"%PDF-1.7"),
        "bytes that are no text": upload("clients.csv", bytes(range(256)) * 4),
        "an empty file": upload("clients.csv", b""),
    }


def zip_of_nothing():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "bonjour")
    return out.getvalue()


@pytest.mark.parametrize("case", list(bad_file_cases()))
def test_a_file_that_cannot_be_read_is_refused_beside_the_field(world, login, case):
    client = login(world.manager)
    client.raise_request_exception = False
    response = client.post(url(world.plan), {"file": bad_file_cases()[case]})
    assert response.status_code == 422, case
    assert "invalid-feedback" in response.text
    assert not ClientFigure.objects.exists()


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([["Client", "CA", "Marge"], ["Durand", "#DIV/0!", 1]], "#DIV/0!"),
        ([["Client", "CA", "Marge"], ["Durand", 10**30, 1]], "14"),
        ([["Client", "CA", "Marge"], ["Durand", date(2025, 1, 1), 1]], "Saisissez un nombre"),
        ([["Client", "CA", "Marge"], ["Total", 10, 1]], "Total"),
    ],
    ids=["formula error", "10^30", "a date", "a total line"],
)
def test_a_bad_cell_of_an_xlsx_is_shown_on_its_line(world, login, rows, expected):
    client = login(world.manager)
    response = client.post(url(world.plan), {"file": upload("c.xlsx", spreadsheet(rows))})
    assert response.status_code == 422
    assert expected in line_text(response, 2)
    assert not ClientFigure.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"pasted": ""},
        {"pasted": "   \n\t\n"},
        {"pasted": "Client\tCA\tMarge\n"},
        {"pasted": "Client\tCA\tMarge\nDurand\x00\t1\t1\n"},
        {"pasted": "Client\tCA\tMarge\nDurand\t1\t1\n", "confirm": "1", "file": ""},
        {"pasted": "\u202eClient\tCA\tMarge\nDurand\t1\t1\n"},
        {"pasted": "Client\tCA\tCA\tMarge\nDurand\t1\t1\t1\n"},
        {"pasted": '"' + "x" * 200_000 + "\n"},
    ],
    ids=[
        "nothing",
        "empty",
        "blank",
        "headers only",
        "a NUL",
        "confirmed at once",
        "direction mark",
        "two sales",
        "a huge cell",
    ],
)
def test_hostile_posts_are_answered_with_a_reason_never_a_server_error(world, login, data):
    client = login(world.manager)
    client.raise_request_exception = False
    response = client.post(url(world.plan), data)
    assert response.status_code in (200, 302, 400, 422), data
    if response.status_code == 422:
        assert "invalid-feedback" in response.text or "table-danger" in response.text


def test_a_confirmation_is_read_and_checked_again(world, login):
    client = login(world.manager)
    add_client(world, "Ancien client", "10", "1")
    before = saved()
    tampered = "Client\tCA\tMarge\nDurand SA\t1000\t100\nMartin\t-5\t0\n"
    response = client.post(url(world.plan), {"pasted": tampered, "confirm": "1"})
    assert response.status_code == 422
    assert "supérieure ou égale à 0" in line_text(response, 3)
    assert saved() == before


def test_a_confirmation_sent_twice_replaces_the_table_with_the_same_rows(world, login):
    client = login(world.manager)
    preview = client.post(url(world.plan), {"pasted": FOUR_CLIENTS})
    assert confirm(client, world.plan, preview).status_code == 302
    assert confirm(client, world.plan, preview).status_code == 302
    assert ClientFigure.objects.count() == 4


def test_the_form_and_the_template_link_are_shown(world, login):
    response = login(world.manager).get(url(world.plan))
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.text
    assert url(world.plan, "clients", "pac:figures-template") in response.text
    assert reverse("pac:diagnosis", args=[world.plan.pk]) + "#clients" in response.text


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    ("who", "status"),
    [("rep", 403), ("viewer", 403), ("foreign_manager", 404), (None, 302)],
)
def test_only_the_teams_managers_import(world, method, who, status):
    client = Client()
    if who:
        client.force_login(getattr(world, who))
    response = getattr(client, method)(url(world.plan), {"pasted": FOUR_CLIENTS})
    assert response.status_code == status
    if who is None:
        assert response["Location"].startswith(reverse("login"))
    assert not ClientFigure.objects.exists()


def test_another_teams_template_is_a_404_and_an_anonymous_visitor_signs_in(world, login):
    assert (
        login(world.foreign_manager)
        .get(url(world.plan, "clients", "pac:figures-template"))
        .status_code
        == 404
    )
    anonymous = Client().get(url(world.plan, "clients", "pac:figures-template"))
    assert anonymous.status_code == 302


def test_an_unknown_table_is_a_404(world, login):
    client = login(world.manager)
    assert client.get(url(world.plan, "nothing")).status_code == 404
    assert client.get(url(world.plan, "nothing", "pac:figures-template")).status_code == 404


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12 500", "12500"),
        ("12 500,50 €", "12500.50"),
        ("12\u00a0500", "12500"),
        ("12\u202f500", "12500"),
        ("12.500,50", "12500.50"),
        ("1,234,567", "1234567"),
        ("-3 000", "-3000"),
        ("(3 000)", "-3000"),
        ("1 234.5", "1234.5"),
        ("12,5 %", "12.5"),
        ("12.5", "12.5"),
        ("1 200 EUR", "1200"),
        ("", ""),
        ("abc", "abc"),
        (12500.5, "12500.5"),
        (3750.0000000001, "3750.00"),
        (1e30, "1" + "0" * 30),
        (7, "7"),
    ],
)
def test_amounts_are_read_as_people_type_them(typed, expected):
    assert imports.number_text(typed, 2) == expected


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Chiffre d’affaires (€)", "chiffre d affaires"),
        ("  CHIFFRE D'AFFAIRES ", "chiffre d affaires"),
        ("C.A. HT", "ca ht"),
        ("Part de marché (%)", "part de marche"),
        ("Marge [en €]", "marge"),
    ],
)
def test_headers_compare_without_case_accents_or_units(header, key):
    assert spreadsheets.header_key(header) == key


def test_pasted_cells_keep_what_excel_quotes():
    pasted = 'Client\tCA\r\n"Durand\r\nSA"\t"1 000"\r\n\r\n'
    assert spreadsheets.read_pasted(pasted) == [["Client", "CA"], ["Durand\r\nSA", "1 000"]]


def test_the_preview_content_reads_back_to_the_same_rows():
    table = table_named("clients")
    first = imports.preview(table, spreadsheets.read_pasted(FOUR_CLIENTS))
    again = imports.preview(table, spreadsheets.read_pasted(first.content()))
    assert again.valid
    assert again.rows_data() == first.rows_data()
    rows = list(csv.reader(io.StringIO(first.content()), delimiter="\t"))
    assert rows[0] == ["Client", "Segment", "CA (€)", "Marge"]


@pytest.mark.parametrize("size", [5, 50])
def test_a_confirmed_import_runs_as_many_queries_whatever_its_size(
    world, login, django_assert_num_queries, size
):
    """Session, user, plan and role; the savepoint pair around the save; the plan locked; the
    rows read, their deletions' history, one DELETE, the new rows, their history; the plan's
    revision. The lines are checked without a query each."""
    client = login(world.manager)
    url = reverse("pac:figures-import", args=[world.plan.pk, "clients"])
    lines = "".join(f"Client {i}\tPME\t{1000 + i}\t{i}\n" for i in range(size))
    pasted = "Client\tSegment\tCA\tMarge\n" + lines
    assert client.post(url, {"pasted": pasted, "confirm": "1"}).status_code == 302
    with django_assert_num_queries(12):
        response = client.post(url, {"pasted": pasted.replace("PME", "ETI"), "confirm": "1"})
    assert response.status_code == 302
    assert ClientFigure.objects.filter(plan=world.plan, segment="ETI").count() == size
