"""The .xlsx exports read back with openpyxl: real dates, amounts and percentages with their
formats, the figures the pages show (computed by hand here), headers in the reader's language."""

import io
import re
from datetime import date, time, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from actions import services as action_services
from actions.models import Action
from kpis import services as kpi_services
from pac.exports.workbook import FORMATS, XLSX
from pac.steering import services as steering_services
from targets import services as target_services
from tests.actions.factories import ActionFactory
from tests.builders import kpi_fields, objective_fields, sheet
from tests.targets.factories import TargetFactory

pytestmark = pytest.mark.django_db

# 90 days into the plan's period (01/01 – 30/06/2027): values are in the past, some work late.
APRIL = date(2027, 4, 1)
# The reader's language is the request's: headers in English for the tests that read new ones.
ENGLISH = {"accept-language": "en"}


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: APRIL)
    return APRIL


def read(response):
    """The workbook of a download, its sheets by title."""
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == XLSX
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return {sheet.title: sheet for sheet in book.worksheets}


def value(cell):
    """A cell's value; a date cell's as a date (openpyxl reads every Excel date as a datetime,
    at midnight for a day)."""
    if cell.is_date and cell.value is not None:
        assert cell.value.time() == time(0)
        return cell.value.date()
    return cell.value


def table(sheet):
    """The rows of a sheet below its header, as values."""
    return [[value(cell) for cell in row] for row in sheet.iter_rows(min_row=2)]


def headers(sheet):
    return [cell.value for cell in sheet[1]]


def column(sheet, header):
    """The cells of a column below its header."""
    index = headers(sheet).index(header)
    return [row[index] for row in sheet.iter_rows(min_row=2)]


def url(name, plan):
    return reverse(f"exports:{name}", args=[plan.pk])


def target_of(world, name="PME industrielles"):
    return target_services.target_create(
        actor=world.manager,
        plan=world.plan,
        data={"name": name, "kind": "segment", "priority": 1, "rationale": ""},
    )


def action_of(world, target, title, **changes):
    data = sheet(target, title, world.rep, date(2027, 1, 10), date(2027, 5, 31)) | changes
    participants = data.pop("participants", [])
    return action_services.action_create(
        actor=world.manager, plan=world.plan, data=data, participants=participants
    )


def deal_of(world, target, company, amount, probability, stage="proposal", **changes):
    data = {
        "milestone_date": date(2027, 5, 15),
        "company": company,
        "contact": "",
        "nature": "Audit",
        "amount": Decimal(amount),
        "probability": probability,
        "stage": stage,
        "target": target,
        "owner": world.rep,
    } | changes
    return target_services.deal_create(actor=world.manager, plan=world.plan, data=data)


@pytest.fixture
def plan(world):
    """A small plan whose figures the tests below compute by hand.

    Actions: "Prospection téléphonique" (sales, the rep's, with the other rep, 2 000 planned,
    2 500 spent, one step of two done, ended 28/02: late) and "Formation de l'équipe" (internal,
    nobody's, 1 500 planned, 1 000 spent). Envelope 5 000. Deals 1 000 × 20 %, 2 000 × 50 %,
    4 000 × 75 %. A KPI "Rendez-vous" on the sales action, 12 expected, with 3 then 4 recorded.
    """
    plan = world.plan
    plan.budget_envelope = Decimal("5000")
    plan.save()
    pme = target_of(world)
    sales = action_of(
        world,
        pme,
        "Prospection téléphonique",
        end_date=date(2027, 2, 28),
        budget_planned=Decimal("2000"),
        budget_actual=Decimal("2500"),
        progress=40,
        participants=[world.other_rep],
    )
    for title, done in [("Appeler", True), ("Relancer", False)]:
        action_services.step_create(
            actor=world.manager,
            action=sales,
            data={"title": title, "owner": None, "due_date": None, "done": done},
        )
    action_of(
        world,
        pme,
        "Formation de l'équipe",
        domain=Action.Domain.INTERNAL,
        sales_type="",
        owner=None,
        start_date=date(2027, 2, 1),
        status=Action.Status.PLANNED,
        budget_planned=Decimal("1500"),
        budget_actual=Decimal("1000"),
    )
    for company, amount, probability in [
        ("Alpha", 1000, 20),
        ("Bêta", 2000, 50),
        ("Gamma", 4000, 75),
    ]:
        deal_of(world, pme, company, amount, probability)
    kpi = kpi_services.kpi_create(
        actor=world.manager,
        action=sales,
        data=kpi_fields(world.rep, name="Rendez-vous", unit="rendez-vous", target_value=12),
    )
    kpi_services.kpi_value_record(
        actor=world.rep, kpi=kpi, value=Decimal("3"), on=date(2027, 1, 31), comment="Janvier"
    )
    kpi_services.kpi_value_record(
        actor=world.rep, kpi=kpi, value=Decimal("4"), on=date(2027, 2, 28)
    )
    return plan


# The action list.


def test_the_action_list_exports_every_action_with_real_values(world, login, plan):
    sheets = read(login(world.manager).get(url("action-list", plan), headers=ENGLISH))
    actions = sheets["Actions"]
    assert headers(actions) == [
        "Action",
        "Domain",
        "Sales type",
        "Target",
        "Owner",
        "Participants",
        "Start date",
        "End date",
        "Status",
        "Late",
        "Progress",
        "Steps done",
        "Steps total",
        "Occurrences planned",
        "Occurrences done",
        "Planned",
        "Spent",
    ]
    # The list's order: by domain (information, internal, sales), then start date.
    assert table(actions) == [
        [
            "Formation de l'équipe",
            "Internal development",
            None,
            "PME industrielles",
            None,
            None,
            date(2027, 2, 1),
            date(2027, 5, 31),
            "Planned",
            "No",
            0,
            0,
            0,
            None,
            0,
            1500,
            1000,
        ],
        [
            "Prospection téléphonique",
            "Sales actions",
            "Hunting (new clients)",
            "PME industrielles",
            str(world.rep),
            str(world.other_rep),
            date(2027, 1, 10),
            date(2027, 2, 28),
            "In progress",
            "Yes",  # ended on 28/02, not done on 01/04
            0.4,
            1,
            2,
            None,
            0,
            2000,
            2500,
        ],
    ]
    first = [cell.number_format for cell in actions[2]]
    assert first[6] == first[7] == "DD/MM/YYYY"
    assert first[10] == FORMATS["percent"]
    assert first[15] == first[16] == FORMATS["amount"] == '#,##0.00 "€"'
    assert actions.freeze_panes == "A2"
    assert all(cell.font.bold for cell in actions[1])
    assert actions.column_dimensions["A"].width >= len("Prospection téléphonique")


def test_the_action_list_export_keeps_the_lists_filters(world, login, plan):
    """The same query string as the list gives the same rows: the rep's work (owned or taken
    part in) in the sales domain is the one sales action; the other rep takes part in it too;
    nobody's internal action is nobody's work."""
    client = login(world.manager)
    for query, expected in [
        ("?domain=sales", ["Prospection téléphonique"]),
        ("?domain=internal", ["Formation de l'équipe"]),
        (f"?owner={world.other_rep.pk}", ["Prospection téléphonique"]),
        (f"?owner={world.manager.pk}", []),
        ("?status=planned&month=2027-05", ["Formation de l'équipe"]),
        ("?month=2027-03", ["Formation de l'équipe"]),  # the sales action ended in February
        ("?group=none&domain=sales&page=2", ["Prospection téléphonique"]),
    ]:
        rows = table(read(client.get(url("action-list", plan) + query))["Actions"])
        assert [row[0] for row in rows] == expected, query
        listed = client.get(reverse("actions:action-list", args=[plan.pk]) + query)
        assert listed.context["count"] == len(expected), query


@pytest.mark.parametrize(
    "query",
    [
        "?target=99999999999999999999999999",
        "?owner=-1",
        "?domain=nonsense&status=planned2",
        "?month=9999-99",
        "?month=0000-01",
        "?month=99999-01",
        "?target=abc&owner=1.5",
        "?group=everything",
    ],
)
def test_the_action_list_export_leaves_out_invalid_filters_as_the_list_does(
    world, login, plan, query
):
    client = login(world.manager)
    rows = table(read(client.get(url("action-list", plan) + query))["Actions"])
    listed = client.get(reverse("actions:action-list", args=[plan.pk]) + query)
    assert listed.status_code == 200
    assert len(rows) == listed.context["count"] == 2


def test_text_that_looks_like_a_formula_stays_text(world, login, plan):
    target = plan.targets.get()
    action_of(world, target, '=HYPERLINK("http://example.com")')
    actions = read(login(world.manager).get(url("action-list", plan)))["Actions"]
    [cell] = [cell for cell in column(actions, "Action") if cell.value.startswith("=")]
    assert cell.data_type == "s"


@pytest.mark.parametrize("query", ["?month=%00", "?target=%00&owner=%00", "?group%00=none"])
def test_a_nul_byte_in_the_address_names_nothing_there_either(world, login, plan, query):
    """The list answers 404 before reading it (pac.core.middleware.refuse_nul); so does its
    export."""
    client = login(world.manager)
    assert client.get(reverse("actions:action-list", args=[plan.pk]) + query).status_code == 404
    assert client.get(url("action-list", plan) + query).status_code == 404


# The budget summary.


def test_the_budget_exports_each_table_of_its_page(world, login, plan):
    sheets = read(login(world.viewer).get(url("budget", plan), headers=ENGLISH))
    assert list(sheets) == ["Plan against envelope", "By domain", "By target", "By rep"]
    # Planned 2 000 + 1 500 = 3 500 of 5 000; spent 2 500 + 1 000 = 3 500.
    assert table(sheets["Plan against envelope"]) == [
        ["Envelope", 5000],
        ["Planned", 3500],
        ["Spent", 3500],
        ["Left to allocate", 1500],
        ["Over the envelope", 0],
        ["Spent over the envelope", 0],
    ]
    assert headers(sheets["By domain"]) == ["By domain", "Planned", "Spent", "Overrun"]
    assert table(sheets["By domain"]) == [
        ["Information gathering", 0, 0, 0],
        ["Internal development", 1500, 1000, 0],
        ["Sales actions", 2000, 2500, 500],
    ]
    assert table(sheets["By target"]) == [["PME industrielles", 3500, 3500, 0]]
    assert table(sheets["By rep"]) == [[str(world.rep), 2000, 2500, 500], ["Nobody", 1500, 1000, 0]]
    assert {cell.number_format for cell in column(sheets["By rep"], "Spent")} == {FORMATS["amount"]}


# The carnet.


def test_the_carnet_exports_every_deal_and_the_forecast(world, login, plan):
    sheets = read(login(world.rep).get(url("deals", plan)))
    # French headers: the page's own, translated already.
    carnet = sheets["Carnet commercial"]
    assert headers(carnet) == [
        "Jalon",
        "Entreprise",
        "Contact",
        "Nature",
        "Cible",
        "Responsable",
        "Étape",
        "Montant",
        "Probabilité",
        "Pondéré",
    ]
    rows = table(carnet)
    assert [row[1] for row in rows[:3]] == ["Alpha", "Bêta", "Gamma"]
    assert [row[0] for row in rows[:3]] == [date(2027, 5, 15)] * 3
    assert [(row[7], row[8], row[9]) for row in rows[:3]] == [
        (1000, 0.2, 200),
        (2000, 0.5, 1000),
        (4000, 0.75, 3000),
    ]
    # 1 000 × 20 % + 2 000 × 50 % + 4 000 × 75 % = 4 200.
    assert rows[3][:2] == [None, "Prévision"]
    assert rows[3][9] == 4200
    assert carnet.cell(row=5, column=10).font.bold
    deal = carnet[2]
    assert deal[0].number_format == "DD/MM/YYYY"
    assert deal[7].number_format == deal[9].number_format == FORMATS["amount"]
    assert deal[8].number_format == FORMATS["percent"] == "0.0 %"


def test_an_empty_carnet_exports_its_headers_alone(world, login):
    sheets = read(login(world.manager).get(url("deals", world.plan)))
    assert table(sheets["Carnet commercial"]) == []


# KPIs.


def test_the_kpis_export_with_their_standing_and_every_value(world, login, plan):
    sheets = read(login(world.rep).get(url("kpis", plan), headers=ENGLISH))
    kpis = sheets["KPIs"]
    assert headers(kpis) == [
        "KPI",
        "Follows",
        "Unit",
        "Target value",
        "Target per period",
        "Direction",
        "Frequency",
        "Owner",
        "Latest value",
        "Date",
        "Reached",
        "Expected pace",
        "Standing",
    ]
    # 4 of 12 (33.3 %) on 28/02, the day its action (10/01 – 28/02) ended: all 12 were
    # expected by then (100 %), so it is off track.
    [row] = table(kpis)
    assert row[:10] == [
        "Rendez-vous",
        "Prospection téléphonique",
        "rendez-vous",
        12,
        None,
        "Higher is better",
        "Monthly",
        str(world.rep),
        4,
        date(2027, 2, 28),
    ]
    assert row[10] == pytest.approx(0.333)
    assert row[11] == 1
    assert row[12] == "Off track"
    assert kpis["J2"].number_format == "DD/MM/YYYY"
    assert kpis["K2"].number_format == FORMATS["percent"]
    values = sheets["Values"]
    assert headers(values) == ["KPI", "Unit", "Date", "Value", "Recorded by", "Comment"]
    assert table(values) == [
        ["Rendez-vous", "rendez-vous", date(2027, 1, 31), 3, str(world.rep), "Janvier"],
        ["Rendez-vous", "rendez-vous", date(2027, 2, 28), 4, str(world.rep), None],
    ]
    assert values["C2"].number_format == "DD/MM/YYYY"
    # Whole figures read 3, not 3,00 (a figure with cents keeps them: test_workbook).
    assert values["D2"].number_format == FORMATS["integer"]


def test_a_colleague_downloads_the_latest_value_only_as_the_plan_page_shows_it(world, login, plan):
    """The values with their comments and the standing are on the owner's PACI, which another
    rep cannot open: their export holds the latest value, as the plan's pages do."""
    sheets = read(login(world.other_rep).get(url("kpis", plan), headers=ENGLISH))
    [row] = table(sheets["KPIs"])
    assert row[8:] == [4, date(2027, 2, 28), None, None, None]
    assert table(sheets["Values"]) == []
    # The team's viewer oversees it, as on the cockpit.
    sheets = read(login(world.viewer).get(url("kpis", plan), headers=ENGLISH))
    assert table(sheets["KPIs"])[0][12] == "Off track"
    assert len(table(sheets["Values"])) == 2


def test_an_action_sheet_exports_its_own_kpis(world, login, plan):
    target = plan.targets.get()
    other = action_of(world, target, "Salon Industrie")
    kpi_services.kpi_create(
        actor=world.manager, action=other, data=kpi_fields(world.rep, name="Contacts")
    )
    client = login(world.viewer)
    sales = plan.targets.get().actions.get(title="Prospection téléphonique")
    for action, names, values in [(sales, ["Rendez-vous"], 2), (other, ["Contacts"], 0)]:
        address = reverse("exports:action-kpis", args=[plan.pk, action.pk])
        sheets = read(client.get(address, headers=ENGLISH))
        assert [row[0] for row in table(sheets["KPIs"])] == names
        assert len(table(sheets["Values"])) == values
    html = client.get(reverse("actions:action-detail", args=[plan.pk, sales.pk]), headers=ENGLISH)
    href = reverse("exports:action-kpis", args=[plan.pk, sales.pk])
    assert export_link(html.text, href) == (
        "Export (.xlsx) (the KPIs of this action and their values)"
    )


def test_an_action_of_another_plan_is_not_found_through_this_one(world, login, plan):
    foreign = TargetFactory(plan=world.foreign_plan)
    action = ActionFactory(target=foreign)
    client = login(world.manager)
    for args in [(plan.pk, action.pk), (plan.pk, 2**63), (world.foreign_plan.pk, action.pk)]:
        assert client.get(reverse("exports:action-kpis", args=args)).status_code == 404


# The cockpit.


def test_the_cockpit_exports_its_tables(world, login, plan):
    """A revenue objective of the rep's on PME: 0 → 10 000 €, measured by the deals won there;
    one deal of 1 000 € won. 10 % of the way at 01/04, when 49.4 % was expected: off track."""
    target = plan.targets.get()
    target_services.objective_create(
        actor=world.manager,
        target=target,
        data=objective_fields(
            world.rep,
            title="Chiffre d'affaires PME",
            metric="CA",
            unit="€",
            baseline=Decimal("0"),
            target_value=Decimal("10000"),
            measured_by="won_amount",
        ),
    )
    deal_of(world, target, "Delta", 1000, 100, stage="won", milestone_date=date(2027, 3, 1))
    sheets = read(login(world.manager).get(url("cockpit", plan), headers=ENGLISH))
    assert list(sheets) == [
        "Objectives",
        "Reps",
        "Late actions",
        "KPIs off track",
        "By domain",
        "By target",
        "Pipeline by month",
    ]
    [objective] = table(sheets["Objectives"])
    assert objective[:7] == [
        "Chiffre d'affaires PME",
        "PME industrielles",
        str(world.rep),
        "€",
        10000,
        1000,
        0.1,
    ]
    assert objective[9] == "Off track"
    reps = {row[0]: row for row in table(sheets["Reps"])}
    # The rep: 10 % attained, one late action, 200 + 1 000 + 3 000 = 4 200 € weighted open
    # deals against 9 000 € left to win: 47 % coverage.
    assert reps[str(world.rep)][:6] == [str(world.rep), 0.1, 1, 4200, 9000, 0.47]
    assert reps[str(world.other_rep)][:5] == [str(world.other_rep), None, 1, 0, None]
    assert table(sheets["Late actions"]) == [
        [
            "Prospection téléphonique",
            "PME industrielles",
            str(world.rep),
            date(2027, 2, 28),
            "due to end on 28/02/2027",
        ]
    ]
    assert [row[0] for row in table(sheets["KPIs off track"])] == ["Rendez-vous"]
    # May: 7 000 € in play, 4 200 € forecast; March: the won deal, whole.
    assert table(sheets["Pipeline by month"]) == [
        ["March 2027", 1000, 1000],
        ["May 2027", 7000, 4200],
        ["Forecast", None, 5200],
    ]


def test_reps_do_not_download_the_cockpit(world, login, plan):
    assert login(world.rep).get(url("cockpit", plan)).status_code == 404


# Names, access and the buttons.


def test_the_file_is_named_after_the_plan_and_the_day(world, login, plan):
    response = login(world.manager).get(url("budget", plan))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="PAC-ventes-nord-2027-s1-budget-2027-04-01.xlsx"' in disposition, disposition


@pytest.mark.parametrize("name", ["action-list", "budget", "deals", "kpis", "cockpit"])
def test_another_teams_plan_is_not_found(world, login, plan, name):
    client = login(world.foreign_manager)
    assert client.get(url(name, plan)).status_code == 404
    assert client.get(reverse(f"exports:{name}", args=[2**63])).status_code == 404


def export_link(html, href):
    """The accessible name of the link to `href` in a page: its text, hidden words included."""
    match = re.search(rf'<a [^>]*href="{re.escape(href)}"[^>]*>(.*?)</a>', html)
    assert match, href
    return re.sub(r"<[^>]+>", "", match[1])


@pytest.mark.parametrize(
    ("page", "name", "query", "words"),
    [
        ("actions:action-list", "action-list", "", "every action of the plan"),
        ("pac:plan-budget", "budget", "", "the budget summary, each of its tables"),
        ("pac:cockpit", "cockpit", "", "the cockpit's tables"),
        ("pac:cockpit", "kpis", "", "every KPI of the plan and its values"),
        ("pac:plan-detail", "deals", "", "every deal of the carnet, with the forecast"),
    ],
)
def test_each_page_offers_its_export(world, login, plan, page, name, query, words):
    html = login(world.manager).get(reverse(page, args=[plan.pk]), headers=ENGLISH).text
    assert export_link(html, url(name, plan)) == f"Export (.xlsx) ({words})"


def test_the_plan_page_offers_the_kpis_beside_its_objectives(world, login, plan):
    html = login(world.viewer).get(reverse("pac:plan-detail", args=[plan.pk]), headers=ENGLISH)
    assert export_link(html.text, url("kpis", plan)) == "Export (.xlsx) · KPIs and their values"


def test_the_action_lists_export_follows_its_filters(world, login, plan):
    """The link carries the list's query, in the page and in the results htmx refreshes."""
    client = login(world.manager)
    listing = reverse("actions:action-list", args=[plan.pk])
    query = f"domain=sales&owner={world.rep.pk}"
    for headers in [ENGLISH, ENGLISH | {"HX-Request": "true"}]:
        html = client.get(f"{listing}?{query}", headers=headers).text
        href = f"{url('action-list', plan)}?{query.replace('&', '&amp;')}"
        assert export_link(html, href) == "Export (.xlsx) (the actions matching these filters)"


# Query counts: the same whatever the size of the plan.


def grow(world, size):
    """`size` of everything: targets each with an objective, actions (late ones with steps and
    participants), KPIs with values, deals."""
    plan = world.plan
    for index in range(size):
        target = target_of(world, f"Segment {index}")
        target_services.objective_create(
            actor=world.manager,
            target=target,
            data=objective_fields(world.rep, title=f"Objectif {index}"),
        )
        action = action_of(
            world,
            target,
            f"Action {index}",
            end_date=date(2027, 3, 1) + timedelta(days=index % 60),
            participants=[world.other_rep],
        )
        action_services.step_create(
            actor=world.manager,
            action=action,
            data={"title": "Appeler", "owner": world.rep, "due_date": None, "done": False},
        )
        kpi = kpi_services.kpi_create(
            actor=world.manager, action=action, data=kpi_fields(world.rep)
        )
        kpi_services.kpi_value_record(
            actor=world.rep, kpi=kpi, value=Decimal(index), on=date(2027, 2, 1)
        )
        deal_of(world, target, f"Client {index}", 1000 + index, index % 100)
    # A signed PACI: the cockpit checks it against the rep's work of now.
    steering_services.paci_sign(actor=world.rep, plan=plan, rep=world.rep)
    return plan


# Each begins with the session, the user, the plan with the reader's role.
EXPORT_QUERIES = {
    # The rep of the filter, the actions with their step counts, their participants.
    "action-list": 6,
    # The grouped budget rows.
    "budget": 4,
    # The carnet's summary, its deals.
    "deals": 5,
    # The KPIs with their latest value, every value.
    "kpis": 5,
    # The action, its KPIs with their latest value, every value.
    "action-kpis": 6,
    # Deals won, objectives, reps, their late work, their pipelines, their actions for the
    # signatures, late actions, KPIs, budget rows, deals by month.
    "cockpit": 13,
}


@pytest.mark.parametrize("size", [2, 12])
@pytest.mark.parametrize("name", sorted(EXPORT_QUERIES))
def test_export_queries_do_not_grow(world, login, django_assert_num_queries, size, name):
    plan = grow(world, size)
    client = login(world.manager)
    query = f"?owner={world.rep.pk}&domain=sales" if name == "action-list" else ""
    args = [plan.pk, Action.objects.of_plan(plan).last().pk] if name == "action-kpis" else [plan.pk]
    with django_assert_num_queries(EXPORT_QUERIES[name]):
        response = client.get(reverse(f"exports:{name}", args=args) + query)
    assert response.status_code == 200
