"""The import of a PAC from a spreadsheet: the preview lists what each line creates or why it
cannot, nothing is saved before the manager confirms, and the confirmation creates all of it,
once, through the app's services."""

import html
import io
import re
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from actions.models import Action, ActionStep
from kpis.models import Kpi
from pac.core import spreadsheets
from pac.core.models import Role
from pac.imports import sheet as import_sheet
from targets.models import Objective, Target
from tests.pac.factories import MembershipFactory, UserFactory
from tests.targets.factories import TargetFactory

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HEADERS = [
    "Target",
    "Target type",
    "Objective",
    "Metric",
    "Unit",
    "Target value",
    "Deadline",
    "Action",
    "Domain",
    "Sales type",
    "Owner",
    "Start",
    "End",
    "Budget",
    "Step",
    "Step due date",
]


def url(plan, name="imports:plan-import"):
    return reverse(name, args=[plan.pk])


def xlsx(rows, name="plan.xlsx"):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type=XLSX)


def csv_file(text, name="plan.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Target, Objective, Action, ActionStep, Kpi)
    }


def text_of(response):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


def line_errors(response):
    """Each message of the preview's lines, as read."""
    items = re.findall(r"<li><span aria-hidden=\"true\">⚠</span>(.*?)</li>", response.text, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", item)).split()) for item in items]


def confirmation(response):
    """What the preview's confirm button sends."""
    forms = re.findall(r"<form[^>]*>(.*?)</form>", response.text, re.S)
    form = next(form for form in forms if 'name="confirm"' in form)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    return {name: html.unescape(value) for name, value in fields.items()}


def good_rows():
    return [
        HEADERS,
        [
            "Industrial SMEs",
            "Customer segment",
            "Win new clients",
            "new clients",
            "clients",
            12,
            date(2027, 6, 30),
            "Trade fair",
            "Sales actions",
            "Notoriety",
            "manager",
            date(2027, 3, 1),
            date(2027, 3, 3),
            "12 500 €",
            "Book the stand",
            date(2027, 2, 1),
        ],
        # The same target, objective and action named again: a second step of the action.
        [
            "industrial  smes",
            "",
            "",
            "",
            "",
            "",
            "",
            "TRADE FAIR",
            "",
            "",
            "",
            "",
            "",
            "",
            "Call back",
            date(2027, 3, 20),
        ],
        # A merged cell leaves the target empty: the one above; a step of the action named last.
        [None] * 14 + ["Thank the visitors", date(2027, 3, 25)],
        # An action on a target of its own, its owner by full name.
        [
            "Key accounts",
            "Client account",
            "",
            "",
            "",
            "",
            "",
            "Visits",
            "Internal development",
            "",
            "Rep Martin",
            "",
            "",
            "0",
            "",
            "",
        ],
    ]


@pytest.fixture
def manager(client, world):
    world.rep.first_name, world.rep.last_name = "Rep", "Martin"
    world.rep.save()
    client.force_login(world.manager)
    # The pages in English: the French of the new messages is compiled by the lead.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_a_good_sheet_creates_exactly_what_the_preview_lists(manager, world):
    """The preview lists 2 targets, 1 objective, 2 actions, 3 steps and saves nothing; the
    confirmation creates those, with the values of the sheet."""
    plan = world.plan
    before = counts()
    with translation.override("en"):
        response = manager.post(url(plan), {"file": xlsx(good_rows())})
        assert response.status_code == 200, line_errors(response)
        assert (
            "The import will create 2 targets, 1 objective, 2 actions, 1 indicator, 3 steps."
            in text_of(response)
        )
        assert counts() == before
        confirmed = manager.post(url(plan), confirmation(response))
    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse("pac:plan-detail", args=[plan.pk])
    assert counts() == {
        "Target": before["Target"] + 2,
        "Objective": before["Objective"] + 1,
        "Action": before["Action"] + 2,
        "ActionStep": before["ActionStep"] + 3,
        "Kpi": before["Kpi"] + 1,
    }
    smes = Target.objects.get(plan=plan, name="Industrial SMEs")
    assert (smes.kind, smes.priority) == ("segment", Target.Priority.MEDIUM)
    objective = smes.objectives.get()
    assert (objective.title, objective.metric, objective.unit) == (
        "Win new clients",
        "new clients",
        "clients",
    )
    assert objective.target_value == Decimal("12.00")
    assert objective.deadline == date(2027, 6, 30)
    # Not in euros and given no measure: measured by a KPI, which the import adds as the KPI
    # form proposes it after the objective form (what it counts, towards its figure).
    assert objective.measured_by == Objective.Measure.KPI
    kpi = objective.measure_kpi
    assert (kpi.objective, kpi.name, kpi.unit, kpi.target_value) == (
        objective,
        "new clients",
        "clients",
        Decimal("12.00"),
    )
    fair = Action.objects.get(target=smes)
    assert (fair.title, fair.domain, fair.sales_type) == ("Trade fair", "sales", "notoriety")
    assert (fair.start_date, fair.end_date) == (date(2027, 3, 1), date(2027, 3, 3))
    assert fair.budget_planned == Decimal("12500.00")
    assert fair.owner == world.manager
    assert list(fair.objectives.all()) == [objective]
    assert [(step.title, step.due_date) for step in fair.steps.order_by("order")] == [
        ("Book the stand", date(2027, 2, 1)),
        ("Call back", date(2027, 3, 20)),
        ("Thank the visitors", date(2027, 3, 25)),
    ]
    visits = Action.objects.get(target__name="Key accounts")
    assert (visits.domain, visits.owner, visits.budget_planned) == (
        "internal",
        world.rep,
        Decimal("0"),
    )
    assert visits.target.kind == "client"


def test_three_bad_lines_are_refused_with_three_messages_and_nothing_saved(manager, world):
    """An unknown rep, an end before the start, a budget in words: three messages, each naming
    its line, and nothing saved, the good line neither."""
    plan = world.plan
    TargetFactory(plan=plan, name="PME")
    before = counts()
    row = ["PME", "", "", "", "", "", "", "", "Sales actions", "Hunting", "", "", "", "", "", ""]

    def action(title, **cells):
        line = list(row)
        line[HEADERS.index("Action")] = title
        for name, value in cells.items():
            line[HEADERS.index(name)] = value
        return line

    rows = [
        HEADERS,
        action("Good one", Owner="rep", Start=date(2027, 2, 1), End=date(2027, 2, 28)),
        action("Unknown rep", Owner="nobody"),
        action("Backwards", Start=date(2027, 3, 10), End=date(2027, 3, 1)),
        action("Words", Budget="douze"),
    ]
    with translation.override("en"):
        response = manager.post(url(plan), {"file": xlsx(rows)})
    assert response.status_code == 422
    messages = line_errors(response)
    assert len(messages) == 3, messages
    assert messages[0].startswith("Line 3 — Owner: nobody is not a manager or rep")
    assert messages[1] == "Line 4 — End: The end date cannot be before the start date."
    assert messages[2] == "Line 5 — Budget: Enter a number."
    assert "3 lines hold an error: nothing is saved." in text_of(response)
    assert "Confirm the import" not in response.text
    assert counts() == before


def test_a_date_outside_the_period_is_refused_beside_its_column(manager, world):
    rows = [
        HEADERS,
        ["PME", "Customer segment", "", "", "", "", "", "Fair", "Internal development"]
        + ["", "", "2028-01-10", "", "", "", ""],
    ]
    with translation.override("en"):
        response = manager.post(url(world.plan), {"file": xlsx(rows)})
    assert line_errors(response) == [
        "Line 2 — Start: Choose a date inside the plan's period (01/01/2027 – 30/06/2027)."
    ]


def test_a_french_csv_reads_its_dates_and_amounts(manager, world):
    """ ";" between cells, French headers, dates as 31/03/2027 and 15/03/27, "12 500 €" with a
    no-break space, a cp1252 file."""
    text = (
        "Cible;Type de cible;Priorité;Action;Domaine;Type d'action commerciale;Responsable;"
        "Début;Fin;Budget;Étape;Échéance de l'étape\r\n"
        "Grands comptes;Compte client;Haute;Salon;Actions commerciales;Prospection;"
        "manager@example.com;15/03/27;31/03/2027;12\u00a0500 €;Réserver;01.03.2027\r\n"
    )
    with translation.override("en"):
        response = manager.post(url(world.plan), {"file": csv_file(text, encoding="cp1252")})
        assert response.status_code == 200, line_errors(response)
        manager.post(url(world.plan), confirmation(response))
    action = Action.objects.get(title="Salon")
    assert (action.start_date, action.end_date) == (date(2027, 3, 15), date(2027, 3, 31))
    assert action.budget_planned == Decimal("12500.00")
    assert (action.domain, action.sales_type, action.owner) == ("sales", "hunting", world.manager)
    assert action.target.priority == Target.Priority.HIGH
    assert action.steps.get().due_date == date(2027, 3, 1)


def test_real_excel_date_cells_and_numbers(manager, world):
    rows = [
        ["Cible", "Type de cible", "Action", "Domaine", "Début", "Fin", "Budget"],
        # A date cell of Excel: a datetime without a time zone, as openpyxl reads it.
        ["PME", "Segment", "Webinaire", "Interne", datetime(2027, 4, 2), 46492, 800.5],  # noqa: DTZ001
    ]
    response = manager.post(url(world.plan), {"file": xlsx(rows)})
    assert response.status_code == 200, line_errors(response)
    manager.post(url(world.plan), confirmation(response))
    action = Action.objects.get(title="Webinaire")
    # 46492 is how Excel counts 15/04/2027, in a cell not formatted as a date.
    assert (action.start_date, action.end_date) == (date(2027, 4, 2), date(2027, 4, 15))
    assert action.budget_planned == Decimal("800.50")


def test_unknown_columns_are_shown_and_missing_ones_named(manager, world):
    rows = [["Cible", "Type de cible", "Couleur", "Action"], ["PME", "Segment", "bleu", ""]]
    with translation.override("en"):
        response = manager.post(url(world.plan), {"file": xlsx(rows)})
        assert "Columns not recognised, left aside: Couleur" in text_of(response)
        missing = manager.post(url(world.plan), {"file": xlsx([["Action"], ["Salon"]])})
    assert missing.status_code == 422
    assert "Missing columns: Target, Target type." in text_of(missing)


def test_the_template_round_trips(manager, world):
    """The template read back previews with no error, and its two example lines create the
    target, objective, action, indicator and two steps they name."""
    plan = world.plan
    for language in ("fr", "en"):
        with translation.override(language):
            template = manager.get(
                url(plan, "imports:plan-import-template"), HTTP_ACCEPT_LANGUAGE=language
            )
            assert template.status_code == 200
            assert template["Content-Type"] == XLSX
            upload = SimpleUploadedFile("template.xlsx", template.content, content_type=XLSX)
            response = manager.post(url(plan), {"file": upload}, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, line_errors(response)
            assert not line_errors(response)
            headers = next(openpyxl.load_workbook(io.BytesIO(template.content)).active.values)
            assert len(headers) == len(import_sheet.COLUMNS)
    with translation.override("en"):
        assert "The import will create 1 target, 1 objective, 1 action, 1 indicator, 2 steps." in (
            text_of(response)
        )
        before = counts()
        confirmed = manager.post(url(plan), confirmation(response))
    assert confirmed.status_code == 302
    assert counts() == {
        name: number + (2 if name == "ActionStep" else 1) for name, number in before.items()
    }
    target = Target.objects.get(plan=plan)
    objective = target.objectives.get()
    assert (target.kind, target.priority) == ("segment", Target.Priority.HIGH)
    assert objective.target_value == Decimal("10")
    assert objective.measured_by == Objective.Measure.WON_COUNT
    assert objective.owner == world.manager
    action = target.actions.get()
    assert action.budget_planned == Decimal("12500")
    assert (action.domain, action.sales_type) == ("sales", "notoriety")
    assert action.kpis.get().target_value == Decimal("40")
    assert action.steps.count() == 2
    assert all(plan.contains(step.due_date) for step in action.steps.all())


def test_a_confirmation_sent_twice_creates_once(manager, world):
    """Sent again (a double click, the browser's history), the confirmation finds the plan
    moved on since its preview: nothing more is created, and the page says why."""
    with translation.override("en"):
        response = manager.post(url(world.plan), {"file": xlsx(good_rows())})
        data = confirmation(response)
        first = manager.post(url(world.plan), data)
        after = counts()
        again = {name: value for name, value in data.items() if name != "once"}
        second = manager.post(url(world.plan), again)
        assert first.status_code == 302
        assert second.status_code == 409
        assert "The plan has changed since this preview" in text_of(second)
        assert counts() == after
        # With its one-time token, it says it had been sent already.
        third = manager.post(url(world.plan), data)
    assert third.status_code == 302
    assert counts() == after


def test_a_sheet_imported_again_creates_nothing_twice(manager, world):
    """Its targets, objectives, actions, indicators and steps are the plan's now: the second
    preview says the import would create nothing, and offers no confirmation."""
    response = manager.post(url(world.plan), {"file": xlsx(good_rows())})
    manager.post(url(world.plan), confirmation(response))
    after = counts()
    again = manager.post(url(world.plan), {"file": xlsx(good_rows())})
    assert again.status_code == 422
    assert "the import would create nothing" in text_of(again)
    assert "Confirm the import" not in again.text
    assert counts() == after


def test_a_confirmation_without_the_plans_version_is_refused(manager, world):
    with translation.override("en"):
        response = manager.post(url(world.plan), {"file": xlsx(good_rows())})
        data = confirmation(response)
        data["version"] = "garbled"
        before = counts()
        refused = manager.post(url(world.plan), data)
    assert refused.status_code == 422
    assert counts() == before


HOSTILE = [
    ("empty.xlsx", b"", "The submitted file is empty."),
    ("empty.csv", b"", "The submitted file is empty."),
    ("blank.csv", b";;\r\n\r\n", "Nothing to import: the table is empty."),
    ("plan.pdf", b"%PDF-1.4", "PAC reads .xlsx and .csv files"),
    ("forged.xlsx", b"PK\x03\x04 not a zip", "This file could not be read as .xlsx"),
    ("headers.csv", b"Cible;Type de cible\r\n", "The table has headers but no line under them."),
]


@pytest.mark.parametrize(("name", "content", "message"), HOSTILE)
def test_a_hostile_file_is_told_why_without_a_500(manager, world, name, content, message):
    with translation.override("en"):
        response = manager.post(
            url(world.plan), {"file": SimpleUploadedFile(name, content, content_type=XLSX)}
        )
    assert response.status_code == 422
    assert message in text_of(response)


def test_nul_bytes_and_year_9999_are_line_errors(manager, world):
    text = (
        "Cible;Type de cible;Action;Domaine;Début\r\n"
        "PME\x00;Segment;Salon;Interne;\r\n"
        "ETI;Segment;Salon;Interne;31/12/9999\r\n"
        "TPE;Segment;Salon;Interne;31/12/99999\r\n"
    )
    before = counts()
    with translation.override("en"):
        response = manager.post(url(world.plan), {"file": csv_file(text)})
    assert response.status_code == 422
    messages = line_errors(response)
    assert messages == [
        "Line 2 — Target: Null characters are not allowed.",
        "Line 2 — Target: This text holds an invisible control character: remove it and type it "
        "again.",
        "Line 3 — Start: Choose a date inside the plan's period (01/01/2027 – 30/06/2027).",
        "Line 4 — Start: This is not a date: write it 31/12/2026.",
    ]
    assert counts() == before


def test_too_many_lines_are_refused(manager, world):
    many = "Cible;Type de cible\r\n" + "".join(
        f"T{number};Segment\r\n" for number in range(import_sheet.MAX_LINES + 1)
    )
    huge = "Cible;Type de cible\r\n" + "T;Segment\r\n" * (spreadsheets.MAX_ROWS + 1)
    with translation.override("en"):
        response = manager.post(url(world.plan), {"file": csv_file(many)})
        assert response.status_code == 422
        assert "a plan imports 200 lines at most" in text_of(response)
        response = manager.post(url(world.plan), {"file": csv_file(huge)})
    assert response.status_code == 422
    assert "PAC imports 5000 lines at most" in text_of(response)


def test_a_later_line_on_a_target_whose_line_failed_says_so(manager, world):
    rows = [
        ["Cible", "Type de cible", "Action", "Domaine"],
        ["PME", "couleur", "", ""],
        ["PME", "", "Salon", "Interne"],
    ]
    with translation.override("en"):
        response = manager.post(url(world.plan), {"file": xlsx(rows)})
    messages = line_errors(response)
    assert len(messages) == 2
    # The accepted values are said, as the page lists them.
    assert messages[0] == (
        "Line 2 — Target type: “couleur” is not one of the accepted values: Client account, "
        "Customer segment, Product or service, Product × segment."
    )
    assert messages[1] == "Line 3 — Target: Line 2, which names it first, holds an error."


def test_an_action_named_again_with_other_values_is_not_chosen_silently(manager, world):
    """The same dates again, or none, are the same action; another budget is a line error."""
    rows = [
        ["Cible", "Type de cible", "Action", "Domaine", "Début", "Budget", "Étape"],
        ["PME", "Segment", "Salon", "Interne", "01/03/2027", "5 000", "Réserver"],
        ["pme", "", "SALON", "interne", "2027-03-01", "", "Relancer"],
        ["PME", "", "Salon", "", "", "6000", "Remercier"],
    ]
    response = manager.post(url(world.plan), {"file": xlsx(rows)})
    assert line_errors(response) == [
        "Line 4 — Budget: Line 2 gives “5000”, this line “6000”: give one value, or leave this "
        "cell empty."
    ]


def test_each_objective_says_how_it_is_measured(manager, world):
    """An indicator on a line without an action measures its objective; an objective in euros
    is measured by the amount won; one without a figure is qualitative, assessed."""
    rows = [
        ["Cible", "Type de cible", "Objectif", "Métrique", "Unité", "Valeur cible", "Indicateur"],
        ["PME", "Segment", "Fidéliser", "taux de rétention", "%", "90", "Rétention"],
        ["PME", "", "Vendre plus", "chiffre d'affaires", "€", "150 000", ""],
        ["PME", "", "Être reconnus", "", "", "", ""],
    ]
    response = manager.post(url(world.plan), {"file": xlsx(rows)})
    assert response.status_code == 200, line_errors(response)
    manager.post(url(world.plan), confirmation(response))
    kept, sold, known = Objective.objects.filter(target__plan=world.plan).order_by("order")
    assert (kept.measured_by, kept.measure_kpi.name) == ("kpi", "Rétention")
    assert (kept.measure_kpi.unit, kept.measure_kpi.target_value) == ("%", Decimal("90"))
    assert (sold.measured_by, sold.target_value) == ("won_amount", Decimal("150000"))
    assert (known.kind, known.measured_by) == ("qualitative", "assessment")
    assert Kpi.objects.of_plan(world.plan).count() == 1


def test_a_closed_plan_refuses_the_import(manager, world):
    plan = world.plan
    plan.status = plan.Status.CLOSED
    plan.save()
    assert manager.get(url(plan)).status_code == 403


def lines(size):
    """`size` lines, each an action with a step on a target of its own."""
    rows = [["Cible", "Type de cible", "Action", "Domaine", "Étape"]]
    rows += [[f"Cible {n}", "Segment", f"Action {n}", "Interne", f"Étape {n}"] for n in range(size)]
    return rows


def queries(client, plan, data):
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url(plan), data)
    assert response.status_code in (200, 302), line_errors(response)
    return len(captured), response


def test_the_queries_grow_by_a_fixed_number_per_line(manager, world):
    """Each line is checked and created through the forms and services a manager uses on the
    pages, each of which reads and writes its own rows: the preview and the confirmation make a
    fixed number of queries, plus the same number for each line of the same shape."""
    plan = world.plan
    previews, confirms = [], []
    for size in (2, 4, 6):
        count, response = queries(manager, plan, {"file": xlsx(lines(size), f"p{size}.xlsx")})
        previews.append(count)
        count, _response = queries(manager, plan, confirmation(response))
        confirms.append(count)
        Target.objects.filter(plan=plan).delete()
    assert previews[1] - previews[0] == previews[2] - previews[1]
    assert confirms[1] - confirms[0] == confirms[2] - confirms[1]
    assert (previews, confirms) == (PREVIEW_QUERIES, CONFIRM_QUERIES)


# Measured on SQLite and PostgreSQL alike: two lines, four, six. Each line of a new target, an
# action on it and a step costs 91 queries (the forms' checks, the services' saves with their
# history, savepoints and revision touches, a step's with the people whose PACI shows it); the
# rest is the request's, the plan's rows read once and, for the confirmation, the plan locked and
# its version moved on.
PREVIEW_QUERIES = [195, 377, 559]
CONFIRM_QUERIES = [202, 384, 566]


def test_an_objective_named_on_two_lines_is_measured_once(manager, world):
    """Its KPI, made from its own figures on its first line, measures it; the second line,
    another action on the same objective, makes no second measure."""
    rows = [
        [
            "Cible",
            "Type de cible",
            "Objectif",
            "Métrique",
            "Unité",
            "Valeur cible",
            "Action",
            "Domaine",
        ],
        ["PME", "Segment", "Conquérir", "nouveaux clients", "clients", "12", "Salon", "Interne"],
        ["PME", "", "Conquérir", "", "", "", "Webinaire", "Interne"],
    ]
    response = manager.post(url(world.plan), {"file": xlsx(rows)})
    assert response.status_code == 200, line_errors(response)
    manager.post(url(world.plan), confirmation(response))
    [objective] = Objective.objects.filter(target__plan=world.plan)
    [kpi] = Kpi.objects.of_plan(world.plan)
    assert objective.measure_kpi == kpi
    assert (kpi.name, kpi.unit, kpi.target_value) == ("nouveaux clients", "clients", 12)
    assert sorted(Action.objects.filter(objectives=objective).values_list("title", flat=True)) == [
        "Salon",
        "Webinaire",
    ]


def test_a_name_two_people_share_is_a_line_error(manager, world):
    """Two Jean Dupont in the team: the import does not pick one of them."""
    for username in ("jdupont", "jean.dupont"):
        user = UserFactory(username=username, first_name="Jean", last_name="Dupont")
        MembershipFactory(team=world.plan.team, user=user, role=Role.REP)
    rows = [
        ["Cible", "Type de cible", "Action", "Domaine", "Responsable"],
        ["PME", "Segment", "Salon", "Interne", "Jean Dupont"],
        ["PME", "", "Webinaire", "Interne", "jdupont"],
    ]
    with translation.override("en"):
        response = manager.post(url(world.plan), {"file": xlsx(rows)})
    # The line's target fails with it; the second line names its owner by username.
    assert line_errors(response) == [
        "Line 2 — Owner: Several people of this plan's team are called Jean Dupont: give their "
        "username or e-mail.",
        "Line 3 — Target: Line 2, which names it first, holds an error.",
    ]
    assert set(counts().values()) == {0}


def test_an_action_named_first_without_an_objective_is_not_linked_silently(manager, world):
    rows = [
        ["Cible", "Type de cible", "Objectif", "Action", "Domaine"],
        ["PME", "Segment", "", "Salon", "Interne"],
        ["PME", "", "Être connus", "Salon", ""],
    ]
    with translation.override("en"):
        response = manager.post(url(world.plan), {"file": xlsx(rows)})
    assert line_errors(response) == [
        "Line 3 — Objective: The action “Salon” is named earlier without this objective: give "
        "its objectives on the line that names it first."
    ]
    assert set(counts().values()) == {0}
