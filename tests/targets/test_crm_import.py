"""Deals imported from a CRM's export: the preview says which deals each line creates or
updates, or why it cannot be saved; nothing is saved before it is confirmed, then all of it; a
second import of the same export updates the deals the first created."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from pac.core.models import Plan
from targets import crm
from targets.models import Deal
from tests.targets.factories import DealFactory

pytestmark = pytest.mark.django_db

HUBSPOT = (
    "Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Deal probability,"
    "Associated Company,Create Date\r\n"
    "18001,Infogérance 2027,Contract Sent,2027-03-31 10:00,rep@example.com,12500.50,0.9,"
    "Durand SA,2026-11-02\r\n"
    "18002,Audit sécurité,Closed Won,2027-02-15,manager@example.com,4000,1,Martin SARL,"
    "2026-10-01\r\n"
    "18003,Licences,Appointment Scheduled,2027-05-01,REP@example.com,800,0.2,Petit et fils,"
    "2026-12-01\r\n"
)


def english(client):
    """The client reading PAC in English."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def url(plan):
    return reverse("targets:deals-import", args=[plan.pk])


def upload(text, name="export.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding) if isinstance(text, str) else text)


def send(client, plan, text, **kwargs):
    return client.post(url(plan), {"file": upload(text, **kwargs)})


def confirm(client, plan, response):
    """The preview's confirmation, as its form sends it."""
    content = response.context["preview"].content()
    return client.post(url(plan), {"pasted": content, "confirm": "1"})


def imported(client, plan, text, **kwargs):
    preview = send(client, plan, text, **kwargs)
    assert preview.status_code == 200, errors_of(preview)
    return confirm(client, plan, preview)


def errors_of(response):
    preview = response.context["preview"] if response.context else None
    form = response.context["form"] if response.context else None
    return {
        "lines": [line.errors for line in preview.lines] if preview else None,
        "form": form.errors if form else None,
    }


def deals(plan):
    return {deal.external_id: deal for deal in Deal.objects.filter(plan=plan)}


def test_two_imports_of_the_same_export_create_once_then_update(world, login):
    """The first import creates the three deals of a HubSpot export, the second finds them by
    their CRM id and updates them: still three deals, each one version and one history row
    further, their values those of the export."""
    client = english(login(world.manager))
    with translation.override("en"):
        first = send(client, world.plan, HUBSPOT)
        assert first.context["summary"] == "3 deals will be created."
        assert Deal.objects.count() == 0  # a preview saves nothing
        assert confirm(client, world.plan, first).status_code == 302
        again = send(client, world.plan, HUBSPOT)
        assert again.context["summary"] == "3 deals will be updated."
        response = confirm(client, world.plan, again)
    assert response.status_code == 302
    assert response["Location"] == reverse("pac:plan-detail", args=[world.plan.pk]) + "#deals"
    with translation.override("en"):
        assert [str(m) for m in get_messages(response.wsgi_request)][-1] == "3 deals updated."
    saved = deals(world.plan)
    assert sorted(saved) == ["18001", "18002", "18003"]
    infogerance = saved["18001"]
    assert infogerance.amount == Decimal("12500.50")
    assert infogerance.probability == 90  # HubSpot's 0.9
    assert infogerance.stage == Deal.Stage.NEGOTIATION
    assert infogerance.milestone_date == date(2027, 3, 31)
    assert infogerance.owner == world.rep
    assert infogerance.company == "Durand SA"
    assert infogerance.nature == "Infogérance 2027"
    won = saved["18002"]
    assert (won.stage, won.probability, won.owner) == (Deal.Stage.WON, 100, world.manager)
    assert won.amount == Decimal("4000")
    lead = saved["18003"]
    assert (lead.stage, lead.probability, lead.owner) == (Deal.Stage.LEAD, 20, world.rep)
    for deal in saved.values():
        assert deal.version == 2
        assert [row.history_type for row in deal.history.all()] == ["~", "+"]
        assert deal.history.first().history_user == world.manager


def test_a_second_export_changes_what_the_crm_changed_and_keeps_the_rest(world, login):
    """An update writes the columns the export gives: the amount, stage and owner moved in the
    CRM move in PAC; the contact (not in the export) and the target stay."""
    deal = DealFactory(
        plan=world.plan, owner=world.rep, external_id="18001", contact="Mme Durand", amount=1
    )
    client = english(login(world.manager))
    changed = (
        "Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Associated Company\n"
        "18001,Infogérance,Closed Lost,2027-04-30,rep_b@example.com,9 000,Durand SA\n"
        "18009,Nouveau,Qualified To Buy,2027-01-31,rep_b@example.com,100,Roux\n"
    )
    with translation.override("en"):
        first = send(client, world.plan, changed)
        assert first.context["summary"] == ("1 deal will be created. 1 deal will be updated.")
    assert confirm(client, world.plan, first).status_code == 302
    deal.refresh_from_db()
    assert (deal.stage, deal.probability) == (Deal.Stage.LOST, 0)
    assert deal.amount == Decimal("9000")
    assert deal.milestone_date == date(2027, 4, 30)
    assert deal.owner == world.other_rep
    assert deal.contact == "Mme Durand"
    assert deal.version == 2
    new = Deal.objects.get(external_id="18009")
    assert (new.stage, new.probability, new.contact) == (Deal.Stage.QUALIFIED, 40, "")


def test_a_salesforce_report_is_read_with_its_american_dates_and_amounts(world, login):
    """Salesforce writes its dates month first and its amounts with grouping commas."""
    salesforce = (
        "Opportunity ID,Opportunity Name,Account Name,Amount,Probability (%),Stage,"
        "Close Date,Opportunity Owner,Contact,Fiscal Period\n"
        '006A000001,Maintenance,Fonderie Lemaire,"12,500.00",90,Negotiation/Review,'
        "3/31/2027,manager@example.com,Paul Roux,Q1-2027\n"
        '006A000002,Formation,Garage Martin,"1,200",,Proposal/Price Quote,'
        "12/15/2026,rep@example.com,,Q4-2026\n"
    )
    client = english(login(world.manager))
    with translation.override("en"):
        response = send(client, world.plan, salesforce)
    assert response.status_code == 200, errors_of(response)
    assert response.context["preview"].unknown_columns == ["Fiscal Period"]
    confirm(client, world.plan, response)
    saved = deals(world.plan)
    first, second = saved["006A000001"], saved["006A000002"]
    assert (first.amount, first.probability, first.stage) == (
        Decimal("12500.00"),
        90,
        Deal.Stage.NEGOTIATION,
    )
    assert first.milestone_date == date(2027, 3, 31)
    assert (first.company, first.contact, first.owner) == (
        "Fonderie Lemaire",
        "Paul Roux",
        world.manager,
    )
    # No probability: Salesforce's for its stage.
    assert (second.amount, second.probability, second.stage) == (
        Decimal("1200"),
        75,
        Deal.Stage.PROPOSAL,
    )
    assert second.milestone_date == date(2026, 12, 15)


def test_a_pipedrive_export_in_french_excel_is_read_with_its_status(world, login):
    """Pipedrive's "Deal - " headers, as a French Excel saves a CSV: semicolons, cp1252,
    decimal commas; its status column says which deals are won, its owners are named."""
    manager_name = world.manager.get_full_name().upper()
    pipedrive = (
        "Deal - ID;Deal - Title;Deal - Value;Deal - Expected close date;Deal - Stage;"
        "Deal - Status;Deal - Probability;Deal - Organization;Deal - Contact person;"
        "Deal - Owner\r\n"
        "41;Contrat cadre;12 500,50 €;2027-04-30;Negotiations Started;Won;;Société Générale "
        "d'Électricité;Éric Dupré;rep@example.com\r\n"
        f"42;Étude;3 000;31/01/2027;Proposal Made;Open;60;Garage Martin;;{manager_name}\r\n"
    )
    client = english(login(world.manager))
    response = send(client, world.plan, pipedrive, encoding="cp1252")
    assert response.status_code == 200, errors_of(response)
    confirm(client, world.plan, response)
    saved = deals(world.plan)
    won, open_deal = saved["41"], saved["42"]
    assert (won.stage, won.probability, won.amount) == (
        Deal.Stage.WON,
        100,
        Decimal("12500.50"),
    )
    assert (won.company, won.contact) == ("Société Générale d'Électricité", "Éric Dupré")
    assert won.nature == "Contrat cadre"
    assert (open_deal.stage, open_deal.probability) == (Deal.Stage.PROPOSAL, 60)
    assert open_deal.milestone_date == date(2027, 1, 31)
    assert (won.owner, open_deal.owner) == (world.rep, world.manager)


def test_pac_own_french_headers_and_an_xlsx_file_are_read(world, login):
    """A table headed as PAC's deal form in French, in an .xlsx with real dates; without a
    stage, the stage follows the probability."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        ["Identifiant CRM", "Société", "Montant", "Probabilité", "Date jalon", "Responsable"]
    )
    sheet.append(["A-1", "Durand SA", 5000, 55, date(2027, 2, 28), "manager@example.com"])
    # A computed amount, as a formula leaves it.
    sheet.append(["A-2", "Roux", 3750.0000000001, 20, date(2027, 3, 1), "rep@example.com"])
    # A number with three decimals is an amount to the cent, not 35 175 (as "35.175" typed).
    sheet.append(["A-3", "Morin", 35.175, 20, date(2027, 3, 1), "rep@example.com"])
    out = io.BytesIO()
    book.save(out)
    client = english(login(world.manager))
    response = send(client, world.plan, out.getvalue(), name="deals.xlsx")
    assert response.status_code == 200, errors_of(response)
    confirm(client, world.plan, response)
    deal = Deal.objects.get(external_id="A-1")
    assert (deal.amount, deal.probability, deal.stage) == (Decimal("5000"), 55, Deal.Stage.PROPOSAL)
    assert deal.milestone_date == date(2027, 2, 28)
    assert Deal.objects.get(external_id="A-2").amount == Decimal("3750")
    assert Deal.objects.get(external_id="A-3").amount == Decimal("35.18")


BAD = (
    "Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Deal probability,"
    "Associated Company\n"
    "1,Un,Qualified To Buy,2027-03-31,inconnu@example.com,100,20,Durand SA\n"
    "2,Deux,Qualified To Buy,2027-03-31,rep@example.com,abc,20,Durand SA\n"
    "3,Trois,Qualified To Buy,2027-03-31,rep@example.com,100,150,Durand SA\n"
    "4,Quatre,Qualified To Buy,31/02/2027,rep@example.com,100,20,Durand SA\n"
    "5,Cinq,Qualified To Buy,2027-03-31,rep@example.com,100,20,Durand SA\n"
    "6,Six,Qualified To Buy,2027-03-31,viewer@example.com,100,20,Durand SA\n"
)


def test_bad_lines_are_refused_with_their_reasons_and_nothing_is_saved(world, login):
    """Each bad line says why, with its number; the import cannot be confirmed, and a
    confirmation sent anyway saves nothing, not even the good line."""
    client = english(login(world.manager))
    with translation.override("en"):
        response = send(client, world.plan, BAD)
    assert response.status_code == 422
    preview = response.context["preview"]
    errors = {line.number: line.errors for line in preview.lines}
    assert errors == {
        2: ["Owner: No manager or rep of this team has the e-mail inconnu@example.com."],
        3: ["Amount: Enter a number."],
        4: ["Probability: Ensure this value is less than or equal to 100."],
        5: ["Close date: 31/02/2027 is not a date: write it 31/12/2026 or 2026-12-31."],
        6: [],
        # A viewer reads the plan without working on it: no deal of theirs.
        7: ["Owner: No manager or rep of this team has the e-mail viewer@example.com."],
    }
    assert b"Confirm the import" not in response.content
    assert "Line 4" in response.text
    sent = client.post(url(world.plan), {"pasted": preview.content(), "confirm": "1"})
    assert sent.status_code == 422
    assert Deal.objects.count() == 0


def test_the_same_id_twice_and_a_missing_id_are_refused(world, login):
    client = english(login(world.manager))
    text = (
        "Record ID,Deal Stage,Close Date,Deal owner,Amount,Associated Company\n"
        "7,Closed Won,2027-03-31,rep@example.com,100,Durand SA\n"
        "7,Closed Won,2027-03-31,rep@example.com,200,Durand SA\n"
        ",Closed Won,2027-03-31,rep@example.com,300,Durand SA\n"
    )
    with translation.override("en"):
        response = send(client, world.plan, text)
    errors = {line.number: line.errors for line in response.context["preview"].lines}
    assert errors == {
        2: [],
        3: ["CRM id: Already given on line 2."],
        4: ["CRM id: Give each line the deal's id in the CRM: a second import then updates it."],
    }
    assert Deal.objects.count() == 0


def test_missing_columns_are_named(world, login):
    client = english(login(world.manager))
    with translation.override("en"):
        response = send(client, world.plan, "Deal Name,Amount,Colour\nUn,100,bleu\n")
    assert response.status_code == 422
    assert response.context["form"].errors["file"] == [
        "Missing columns: CRM id, Company, Close date, Owner, Stage or Probability. The first "
        "line must hold the column headers.",
        "Column not recognised, left aside: Colour.",
    ]


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"", "deals.csv"),
        (b"\n\n", "deals.csv"),
        (b"%PDF-1.4 not a table", "deals.pdf"),
        (b"PK\x03\x04broken", "deals.xlsx"),
        (b"Record ID\x00,Amount\n\x00\x00,\x00\n", "deals.csv"),
        (b"\xff\xfe\x00garbage\x00", "deals.csv"),
        (
            b"Record ID,Deal Stage,Close Date,Deal owner,Amount,Associated Company\n"
            b"1\x00,Won,31/12/9999,rep@example.com,1e999,Dur\x00and\n"
            b"2,Won,9999-12-31,rep@example.com,99999999999999999999,Durand\n"
            b"3,Won,31/12/10000,rep@example.com,-5,Durand\n",
            "deals.csv",
        ),
    ],
)
def test_hostile_files_are_refused_without_a_server_error(world, login, content, name):
    client = english(login(world.manager))
    response = client.post(url(world.plan), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 422
    assert Deal.objects.count() == 0


def test_year_9999_and_a_nul_are_line_errors(world, login):
    client = english(login(world.manager))
    text = (
        "Record ID,Deal Stage,Close Date,Deal owner,Amount,Associated Company\n"
        "1,Won,31/12/9999,rep@example.com,10,Durand\n"
        "2,Won,2027-03-31,rep@example.com,10,Dur\x00and\n"
    )
    with translation.override("en"):
        response = send(client, world.plan, text)
    errors = {line.number: line.errors for line in response.context["preview"].lines}
    assert errors[2][0].startswith("Close date: Choose a date between 01/12/2026 and 30/09/2027")
    assert errors[3] and all(error.startswith("Company: ") for error in errors[3])


def test_an_empty_post_asks_for_the_file(world, login):
    client = english(login(world.manager))
    with translation.override("en"):
        response = client.post(url(world.plan), {})
        assert response.status_code == 422
        assert response.context["form"].errors["file"] == [
            "Choose the file the CRM exported, or paste its cells."
        ]


def test_reps_and_viewers_may_not_import_nor_another_team(world, login):
    for person in (world.rep, world.viewer):
        assert login(person).get(url(world.plan)).status_code == 403
    assert login(world.foreign_manager).get(url(world.plan)).status_code == 404
    assert login(world.manager).get(url(world.plan)).status_code == 200


def test_a_closed_plan_takes_no_import(world, login):
    Plan.objects.filter(pk=world.plan.pk).update(status=Plan.Status.CLOSED)
    response = login(world.manager).post(
        url(world.plan), {"pasted": HUBSPOT.replace(",", "\t"), "confirm": "1"}
    )
    assert response.status_code == 403
    assert Deal.objects.count() == 0


@pytest.mark.parametrize("size", [3, 30])
def test_a_confirmed_import_runs_as_many_queries_whatever_its_size(
    world, login, django_assert_num_queries, size
):
    """Half the lines update deals of an earlier import, half create new ones. Session, user,
    plan with the reader's role; reading the lines: the team's people and the plan's imported
    deals; then the service: the savepoint pair around it, the plan locked, the team's people
    again, the deals locked, the new deals and their history, the updated ones and their
    history, the plan's revision. The lines are checked without a query each."""
    header = "Record ID,Deal Stage,Close Date,Deal owner,Amount,Associated Company\n"
    lines = [
        f"{i},Closed Won,2027-03-31,rep@example.com,{100 + i},Client {i}\n" for i in range(size)
    ]
    client = english(login(world.manager))
    client.post(
        url(world.plan),
        {"pasted": (header + "".join(lines[::2])).replace(",", "\t"), "confirm": "1"},
    )
    assert Deal.objects.count() == len(lines[::2])
    pasted = (header + "".join(lines)).replace(",", "\t")
    with django_assert_num_queries(15):
        response = client.post(url(world.plan), {"pasted": pasted, "confirm": "1"})
    assert response.status_code == 302
    assert Deal.objects.count() == size


def test_amounts_as_french_and_english_users_write_them():
    assert crm.amount_text("12 500 €") == "12500"
    assert crm.amount_text("12 500,50 €") == "12500.50"
    assert crm.amount_text("12,500.00") == "12500.00"
    assert crm.amount_text("12,500") == "12500"
    assert crm.amount_text("12.500") == "12500"
    assert crm.amount_text("12,5") == "12.5"
    assert crm.amount_text("EUR 1,234,567.89") == "1234567.89"
    assert crm.amount_text("abc") == "abc"


def test_dates_are_read_day_first_unless_the_file_shows_otherwise():
    assert crm.read_date("31/12/2026", month_first=False) == "2026-12-31"
    assert crm.read_date("03/04/2027", month_first=False) == "2027-04-03"
    assert crm.read_date("03/04/2027", month_first=True) == "2027-03-04"
    assert crm.read_date("2027-04-03 09:30", month_first=False) == "2027-04-03"
    assert crm.read_date("31/02/2027", month_first=False) is None
    assert crm.read_date("demain", month_first=False) is None
    assert crm.months_first(["03/04/2027", "12/31/2026"])
    assert not crm.months_first(["03/04/2027", "31/12/2026"])
    assert not crm.months_first(["31/12/2026", "12/31/2026"])


@pytest.mark.parametrize(
    ("cells", "stage", "probability"),
    [
        ({"stage": "Closed Won", "probability": "30"}, Deal.Stage.WON, "100"),
        ({"stage": "Gagné"}, Deal.Stage.WON, "100"),
        ({"stage": "closedlost", "probability": "50"}, Deal.Stage.LOST, "0"),
        ({"stage": "Perdu"}, Deal.Stage.LOST, "0"),
        ({"stage": "Negotiation/Review"}, Deal.Stage.NEGOTIATION, "90"),
        ({"stage": "Négociation"}, Deal.Stage.NEGOTIATION, "75"),
        ({"stage": "Proposal sent", "probability": "40"}, Deal.Stage.PROPOSAL, "40"),
        ({"stage": "Stade maison", "probability": "60"}, Deal.Stage.PROPOSAL, "60"),
        ({"probability": "10"}, Deal.Stage.LEAD, "10"),
        ({"probability": "80 %"}, Deal.Stage.NEGOTIATION, "80"),
        ({"stage": "Demo Scheduled", "status": "Lost"}, Deal.Stage.LOST, "0"),
        ({"stage": "Demo Scheduled", "status": "Open"}, Deal.Stage.QUALIFIED, "25"),
        ({"stage": "Qualified", "probability": "1e999"}, Deal.Stage.QUALIFIED, "1e999"),
        ({"stage": "Qualified", "probability": "NaN"}, Deal.Stage.QUALIFIED, "NaN"),
    ],
)
def test_stages_and_probabilities_of_the_crms(cells, stage, probability):
    assert crm.stage_of(cells, as_fraction=False) == (stage, probability)


def test_an_unknown_stage_without_probability_is_refused():
    with translation.override("en"), pytest.raises(Exception, match="Stade maison"):
        crm.stage_of({"stage": "Stade maison"}, as_fraction=False)


def test_a_confirmation_sent_twice_creates_once(world, login):
    """The second confirmation of the same preview finds the deals of the first (the plan is
    locked while an import is saved) and updates them."""
    client = english(login(world.manager))
    preview = send(client, world.plan, HUBSPOT)
    assert confirm(client, world.plan, preview).status_code == 302
    response = confirm(client, world.plan, preview)
    assert response.status_code == 302
    assert Deal.objects.filter(plan=world.plan).count() == 3
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == "3 deals updated."


def test_the_page_says_which_exports_it_reads(world, login):
    response = english(login(world.manager)).get(url(world.plan))
    assert response.status_code == 200
    for name in ("HubSpot", "Salesforce", "Pipedrive", "Record ID", "Opportunity ID", "Deal - ID"):
        assert name in response.text


def test_an_export_longer_than_a_confirmation_can_carry_is_refused_at_once(world, login):
    """The preview sends the lines back to be confirmed: past MAX_LINES they would not fit in
    one request, so the manager is told to import the export in parts."""
    client = english(login(world.manager))
    lines = [
        f"{n},Contrat {n},Fonderie {n},1000,2027-03-31,Qualified to buy,{world.rep.email}"
        for n in range(crm.MAX_LINES + 1)
    ]
    text = (
        "Record ID,Deal Name,Associated Company,Amount,Close Date,Deal Stage,Deal owner\n"
        + "\n".join(lines)
    )
    with translation.override("en"):
        response = send(client, world.plan, text)
        assert response.status_code == 422
        assert response.context["form"].errors["file"] == [
            "This export has more than 2,000 deals: import it in parts of 2,000 at most."
        ]
    assert not Deal.objects.filter(plan=world.plan).exclude(external_id="").exists()


def test_a_cell_no_text_may_hold_is_a_line_error_whatever_its_column(world, login):
    """A direction mark left open in the stage (a column no form checks as text), a NUL in the
    company: each line says so and the preview offers no confirmation."""
    text = (
        "Record ID,Deal Name,Associated Company,Amount,Close Date,Deal Stage,Deal owner\n"
        f"1,Un,Durand SA,100,2027-03-31,\u202eClosed Won,{world.rep.email}\n"
        f"2,Deux,Roux\x00SA,100,2027-03-31,Closed Won,{world.rep.email}\n"
    )
    client = english(login(world.manager))
    with translation.override("en"):
        response = send(client, world.plan, text)
    assert response.status_code == 422
    errors = {line.number: line.errors for line in response.context["preview"].lines}
    assert any("writing-direction mark" in error for error in errors[2])
    assert any("control character" in error for error in errors[3])
    assert 'name="confirm"' not in response.text
    assert "\x00" not in response.text
