"""Every door of the plan editor, tried by every role.

Anonymous visitors go to the login page; another team's manager gets a 404, exactly like a missing
plan; reps and viewers read but a forged POST is refused (403) with nothing changed; the team's
manager edits, with or without htmx; an invalid POST shows its errors (422) and saves nothing.
"""

from dataclasses import dataclass, field
from datetime import date

import pytest
from django.db.models import Sum
from django.urls import reverse

from actions.models import Action, ActionStep
from kpis.models import Kpi, KpiValue
from pac.core.models import Plan
from pac.plans.models import Competitor, SwotItem
from pac.steering.models import Review
from targets.models import Assessment, Deal, Objective, Target
from tests.pac.factories import CompetitorFactory, SwotItemFactory
from tests.targets.factories import ObjectiveFactory, TargetFactory

pytestmark = pytest.mark.django_db

MODELS = [
    Plan,
    SwotItem,
    Competitor,
    Target,
    Objective,
    Assessment,
    Action,
    ActionStep,
    Kpi,
    KpiValue,
    Deal,
    Review,
]


def fingerprint():
    """Row counts and version sums: any create, update or delete changes it."""
    return tuple(
        (
            model.objects.count(),
            model.objects.aggregate(v=Sum("version"))["v"] if hasattr(model, "version") else None,
        )
        for model in MODELS
    )


@dataclass
class Door:
    name: str
    args: list
    valid: dict | None = None
    invalid: dict | None = None
    get: bool = True
    query: str = ""
    region: str = ""
    versioned: str = ""  # key in `things` whose version the form carries
    extra: dict = field(default_factory=dict)

    def url(self, things):
        return reverse(self.name, args=[things[a].pk for a in self.args]) + self.query

    def data(self, things, which):
        data = dict(getattr(self, which) or {})
        if self.versioned and which in {"valid", "invalid"}:
            data["version"] = things[self.versioned].version
        return data


ACTION_SHEET = {
    "title": "Salon Industrie",
    "domain": "sales",
    "sales_type": "notoriety",
    "status": "planned",
    "budget_planned": "5000",
    "budget_actual": "0",
    "occurrences_done": "0",
    "progress": "0",
    "start_date": "2027-03-01",
    "end_date": "2027-03-04",
}

DOORS = [
    Door(
        "pac:plan-update",
        ["plan"],
        {
            "title": "Nouveau titre",
            "period_start": "2027-01-01",
            "period_end": "2027-06-30",
            "budget_envelope": "1000",
        },
        {
            "title": "",
            "period_start": "2027-06-30",
            "period_end": "2027-01-01",
            "budget_envelope": "-5",
        },
        region="header",
        versioned="plan",
    ),
    Door(
        "pac:plan-strategy",
        ["plan"],
        {"strategy": "Conquérir", "ambitions": "", "segmentation": "", "company_goals": ""},
        region="strategy",
        versioned="plan",
    ),
    Door("pac:plan-status", ["plan"], {"status": "draft"}, get=False),
    Door(
        "pac:plan-duplicate",
        ["plan"],
        {"title": "S2", "period_kind": "semester", "period_start": "2027-07-01"},
        {"title": "S2", "period_kind": "custom", "period_start": "2027-07-01"},
    ),
    Door("pac:plan-delete", ["plan"], {}),
    Door(
        "pac:swot-create",
        ["plan"],
        {"quadrant": "threat", "text": "Une menace"},
        {"quadrant": "threat", "text": ""},
        query="?quadrant=threat",
        region="swot",
    ),
    Door(
        "pac:swot-update",
        ["plan", "swot"],
        {"text": "Force revue"},
        {"text": ""},
        region="swot",
        versioned="swot",
    ),
    Door("pac:swot-delete", ["plan", "swot"], {}, get=False, region="swot"),
    Door("pac:swot-move", ["plan", "swot2"], {"direction": "up"}, get=False, region="swot"),
    Door(
        "pac:competitor-create",
        ["plan"],
        {"name": "Nuvola", "threat": "low"},
        {"name": "", "threat": "extreme"},
        region="competitors",
    ),
    Door(
        "pac:competitor-update",
        ["plan", "competitor"],
        {"name": "Cap Num", "threat": "high"},
        {"name": "", "threat": "high"},
        region="competitors",
        versioned="competitor",
    ),
    Door("pac:competitor-delete", ["plan", "competitor"], {}, get=False, region="competitors"),
    Door(
        "targets:target-create",
        ["plan"],
        {"name": "ETI", "kind": "segment", "priority": "1"},
        {"name": "PME", "kind": "segment", "priority": "1"},
        region="targets",
    ),
    Door(
        "targets:target-update",
        ["plan", "target"],
        {"name": "PME de l'Est", "kind": "segment", "priority": "2"},
        {"name": "", "kind": "planet", "priority": "9"},
        region="targets",
        versioned="target",
    ),
    Door("targets:target-delete", ["plan", "target"], {}, get=False, region="targets"),
    Door(
        "targets:objective-create",
        ["plan", "target"],
        {
            "kind": "quantitative",
            "title": "Clients",
            "metric": "Nouveaux clients",
            "unit": "clients",
            "target_value": "8",
            "deadline": "2027-06-30",
            "measured_by": "won_count",
        },
        {
            "kind": "quantitative",
            "title": "Clients",
            "metric": "",
            "unit": "",
            "target_value": "",
            "deadline": "2028-01-01",
        },
        region="targets",
    ),
    Door(
        "targets:objective-update",
        ["plan", "objective"],
        {"kind": "qualitative", "title": "Profils"},
        {"kind": "quantitative", "title": "X", "metric": "", "unit": "", "target_value": ""},
        region="targets",
        versioned="objective",
    ),
    Door("targets:objective-delete", ["plan", "objective"], {}, get=False, region="targets"),
    Door(
        "targets:objective-assess",
        ["plan", "qualitative"],
        {"verdict": "partly", "assessed_on": "2026-12-01", "comment": "Deux DSI sur cinq"},
        {"verdict": "maybe", "assessed_on": "2030-01-01"},
        region="targets",
    ),
    Door(
        "kpis:objective-kpi-create",
        ["plan", "objective"],
        {
            "name": "Clients signés",
            "unit": "clients",
            "target_value": "8",
            "direction": "increase",
            "frequency": "monthly",
        },
        {"name": "", "unit": "", "target_value": "huit", "direction": "up", "frequency": "daily"},
        region="targets",
    ),
    Door(
        "kpis:objective-kpi-update",
        ["plan", "objective", "objective_kpi"],
        {
            "name": "Clients signés",
            "unit": "clients",
            "target_value": "9",
            "direction": "increase",
            "frequency": "weekly",
            "per_period": "on",
        },
        {"name": "", "unit": "clients", "target_value": "9", "direction": "increase"},
        region="targets",
        versioned="objective_kpi",
    ),
    Door(
        "kpis:objective-kpi-delete",
        ["plan", "objective", "objective_kpi"],
        {},
        get=False,
        region="targets",
    ),
    Door(
        "targets:deal-create",
        ["plan"],
        {
            "company": "Fonderie Lemaire",
            "amount": "12000",
            "probability": "40",
            "stage": "proposal",
            "milestone_date": "2027-04-15",
            "owner": "REP",
        },
        {
            "company": "",
            "amount": "-5",
            "probability": "140",
            "stage": "proposal",
            "milestone_date": "2031-01-01",
            "owner": "REP",
        },
        region="deals",
    ),
    Door(
        "targets:deal-update",
        ["plan", "deal"],
        {
            "company": "Fonderie Lemaire",
            "amount": "15000",
            "probability": "60",
            "stage": "negotiation",
            "milestone_date": "2027-04-15",
            "owner": "REP",
        },
        {"company": "", "amount": "x", "probability": "60", "stage": "won", "owner": "REP"},
        region="deals",
        versioned="deal",
    ),
    Door("targets:deal-delete", ["plan", "deal"], {}, get=False, region="deals"),
    Door(
        "actions:action-create",
        ["plan"],
        {**ACTION_SHEET, "target": "TARGET"},
        {**ACTION_SHEET, "target": "TARGET", "end_date": "2027-02-01"},
    ),
    Door(
        "actions:action-update",
        ["plan", "action"],
        {**ACTION_SHEET, "target": "TARGET"},
        {**ACTION_SHEET, "target": "TARGET", "budget_planned": "-1"},
        versioned="action",
    ),
    Door("actions:action-delete", ["plan", "action"], {}),
    Door(
        "actions:step-create",
        ["plan", "action"],
        {"title": "Préparer", "due_date": "2027-02-10"},
        {"title": "", "due_date": "2030-01-01"},
        region="steps",
    ),
    Door(
        "actions:step-update",
        ["plan", "action", "step"],
        {"title": "Appeler 20 prospects"},
        {"title": ""},
        region="steps",
        versioned="step",
    ),
    Door("actions:step-done", ["plan", "action", "step"], {"done": "1"}, get=False, region="steps"),
    Door(
        "actions:step-move",
        ["plan", "action", "step2"],
        {"direction": "up"},
        get=False,
        region="steps",
    ),
    Door("actions:step-delete", ["plan", "action", "step"], {}, get=False, region="steps"),
    Door(
        "kpis:action-kpi-create",
        ["plan", "action"],
        {
            "name": "Contacts",
            "unit": "contacts",
            "target_value": "50",
            "direction": "increase",
            "frequency": "weekly",
        },
        {
            "name": "Contacts",
            "unit": "",
            "target_value": "abc",
            "direction": "up",
            "frequency": "weekly",
        },
        region="kpis",
    ),
    Door(
        "kpis:action-kpi-update",
        ["plan", "action", "kpi"],
        {
            "name": "RDV",
            "unit": "rdv",
            "target_value": "30",
            "direction": "increase",
            "frequency": "monthly",
        },
        {
            "name": "",
            "unit": "rdv",
            "target_value": "30",
            "direction": "increase",
            "frequency": "monthly",
        },
        region="kpis",
        versioned="kpi",
    ),
    Door("kpis:action-kpi-delete", ["plan", "action", "kpi"], {}, get=False, region="kpis"),
]


def prepared(door, things, which):
    data = door.data(things, which)
    if data.get("target") == "TARGET":
        data["target"] = things["target"].pk
    if data.get("owner") == "REP":
        data["owner"] = things["deal"].owner_id
    return data


def ids(door):
    return door.name


@pytest.mark.parametrize("door", DOORS, ids=ids)
def test_anonymous_visitors_are_sent_to_sign_in(client, things, door):
    url = door.url(things)
    before = fingerprint()
    response = client.post(url, prepared(door, things, "valid"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert fingerprint() == before


@pytest.mark.parametrize("door", DOORS, ids=ids)
def test_another_team_sees_a_404_and_changes_nothing(world, login, things, door):
    client = login(world.foreign_manager)
    before = fingerprint()
    if door.get:
        assert client.get(door.url(things)).status_code == 404
    assert client.post(door.url(things), prepared(door, things, "valid")).status_code == 404
    assert fingerprint() == before


@pytest.mark.parametrize("role", ["rep", "viewer"])
@pytest.mark.parametrize("door", DOORS, ids=ids)
def test_reps_and_viewers_cannot_edit_even_by_a_forged_post(world, login, things, door, role):
    client = login(getattr(world, role))
    before = fingerprint()
    if door.get:
        assert client.get(door.url(things)).status_code == 403
    response = client.post(door.url(things), prepared(door, things, "valid"))
    assert response.status_code == 403
    assert fingerprint() == before


@pytest.mark.parametrize("door", DOORS, ids=ids)
def test_the_manager_edits_with_a_plain_form_post(world, login, things, door):
    client = login(world.manager)
    if door.get:
        response = client.get(door.url(things))
        assert response.status_code == 200
        assert "<form" in response.text
    before = fingerprint()
    response = client.post(door.url(things), prepared(door, things, "valid"))
    assert response.status_code == 302, response.content[:2000]
    assert fingerprint() != before


@pytest.mark.parametrize("door", [d for d in DOORS if d.region], ids=ids)
def test_the_manager_edits_in_place_with_htmx(world, login, things, door):
    client = login(world.manager)
    headers = {"HX-Request": "true"}
    if door.get:
        response = client.get(door.url(things), headers=headers)
        assert response.status_code == 200
        assert "<html" not in response.text
        assert f'id="{door.region}"' in response.text
        assert "<form" in response.text
    before = fingerprint()
    response = client.post(door.url(things), prepared(door, things, "valid"), headers=headers)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert f'id="{door.region}"' in response.text
    assert fingerprint() != before


@pytest.mark.parametrize("door", [d for d in DOORS if d.invalid], ids=ids)
def test_an_invalid_post_shows_errors_and_saves_nothing(world, login, things, door):
    client = login(world.manager)
    before = fingerprint()
    response = client.post(door.url(things), prepared(door, things, "invalid"))
    assert response.status_code == 422
    assert "invalid-feedback" in response.text or "alert-danger" in response.text
    assert fingerprint() == before


@pytest.mark.parametrize("door", [d for d in DOORS if d.invalid and d.region], ids=ids)
def test_an_invalid_htmx_post_comes_back_in_place(world, login, things, door):
    client = login(world.manager)
    response = client.post(
        door.url(things), prepared(door, things, "invalid"), headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    assert "<html" not in response.text
    assert "invalid-feedback" in response.text


@pytest.mark.parametrize("door", [d for d in DOORS if d.versioned], ids=ids)
def test_saving_over_a_newer_version_shows_a_conflict_and_saves_nothing(world, login, things, door):
    client = login(world.manager)
    data = prepared(door, things, "valid")
    data["version"] = (
        things[door.versioned].version - 1 if things[door.versioned].version > 1 else 0
    )
    before = fingerprint()
    response = client.post(door.url(things), data)
    assert response.status_code == 409
    assert 'data-testid="conflict"' in response.text
    assert fingerprint() == before


def test_plan_creation_is_offered_to_managers_only(world, login):
    assert login(world.manager).get(reverse("pac:plan-create")).status_code == 200
    assert login(world.rep).get(reverse("pac:plan-create")).status_code == 403


def test_a_manager_cannot_create_a_plan_for_another_team(world, login):
    client = login(world.manager)
    response = client.post(
        reverse("pac:plan-create"),
        {
            "team": world.foreign_team.pk,
            "title": "Intrus",
            "period_kind": "year",
            "period_start": "2027-01-01",
            "budget_envelope": "0",
        },
    )
    assert response.status_code == 422
    assert not Plan.objects.filter(title="Intrus").exists()


def test_a_closed_plan_refuses_every_edit(world, login, things):
    plan = things["plan"]
    plan.status = Plan.Status.CLOSED
    plan.save()
    client = login(world.manager)
    before = fingerprint()
    for door in DOORS:
        if door.name in {"pac:plan-duplicate"}:
            continue
        response = client.post(door.url(things), prepared(door, things, "valid"))
        assert response.status_code == 403, door.name
    assert fingerprint() == before
    page = client.get(plan.get_absolute_url()).text
    assert "Ce plan est clos" in page
    assert reverse("pac:swot-create", args=[plan.pk]) not in page


def test_dates_typed_the_french_way_are_understood(world, login):
    response = login(world.manager).post(
        reverse("pac:plan-create"),
        {
            "team": world.team.pk,
            "title": "PAC 2028",
            "period_kind": "year",
            "period_start": "01/01/2028",
            "budget_envelope": "12000",
        },
    )
    assert response.status_code == 302
    plan = Plan.objects.get(title="PAC 2028")
    assert (plan.period_start, plan.period_end) == (date(2028, 1, 1), date(2028, 12, 31))


def test_editing_one_row_opens_only_that_row(world, login):
    """Rows of different sections can share an id: only the row asked for turns into a form."""
    plan = world.plan
    SwotItemFactory(pk=9001, plan=plan)
    CompetitorFactory(pk=9001, plan=plan)
    target = TargetFactory(pk=9001, plan=plan)
    ObjectiveFactory(pk=9001, target=target)
    for name in [
        "pac:swot-update",
        "pac:competitor-update",
        "targets:target-update",
        "targets:objective-update",
    ]:
        page = login(world.manager).get(reverse(name, args=[plan.pk, 9001])).text
        assert page.count('class="w-100 inline-form"') == 1, name
