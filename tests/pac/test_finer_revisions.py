"""The PACI and the cockpit are kept under finer tokens than the plan's revision
(pac.core.revisions): a tick of a step or a value of a rep's own KPI moves only the tokens of
the pages that show it. Each write below is made through the services; each page is computed
afresh before and after it: whenever what a page shows has changed, its token has changed too,
and the writes that should spare a page do spare it."""

import pickle
import re
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.cache.backends.dummy import DummyCache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions import services as action_services
from actions.models import Action, ActionStep
from kpis import services as kpi_services
from kpis.models import Kpi
from pac.core import revisions
from pac.core.models import Plan
from pac.steering import selectors as steering
from targets import services as target_services
from targets.models import Deal, Objective
from tests.builders import kpi_fields, objective_fields, sheet

# What differs between two renderings of the same page: the CSRF token and the CSP nonce.
PER_REQUEST = re.compile(
    r'(csrfmiddlewaretoken" value=|nonce=|X-CSRFToken&quot;: &quot;|"X-CSRFToken": ")"?[^"&]*'
)


@pytest.fixture
def plan(world):
    """Two reps' work in a plan running today: each owns an action with a step and a KPI, the
    first takes part in the second's action; the first owns an objective measured by a KPI of
    its own, and a deal."""
    today = timezone.localdate()
    plan = world.plan
    plan.period_start, plan.period_end = today - timedelta(days=150), today + timedelta(days=150)
    plan.save()
    manager, rep, other = world.manager, world.rep, world.other_rep
    target = target_services.target_create(
        actor=manager,
        plan=plan,
        data={"name": "PME", "kind": "segment", "priority": 1, "rationale": ""},
    )
    start, end = today - timedelta(days=30), today + timedelta(days=30)
    mine = action_services.action_create(
        actor=manager, plan=plan, data=sheet(target, "Prospection", rep, start, end)
    )
    theirs = action_services.action_create(
        actor=manager,
        plan=plan,
        data=sheet(target, "Salon", other, start, end),
        participants=[rep],
    )
    for action, owner in ((mine, rep), (theirs, other)):
        action_services.step_create(
            actor=manager,
            action=action,
            data={
                "title": f"Relancer {action.title}",
                "owner": owner,
                "due_date": today,
                "done": False,
            },
        )
        kpi_services.kpi_create(
            actor=manager,
            action=action,
            data=kpi_fields(owner, name=f"Visites {action.title}", target_value=Decimal(100)),
        )
    objective = target_services.objective_create(
        actor=manager, target=target, data=objective_fields(rep)
    )
    kpi_services.kpi_create(actor=manager, objective=objective, data=kpi_fields(rep))
    target_services.deal_create(
        actor=rep,
        plan=plan,
        data={
            "company": "Dupont SA",
            "contact": "",
            "nature": "Logiciel",
            "target": target,
            "owner": rep,
            "amount": Decimal("12000"),
            "probability": 50,
            "stage": Deal.Stage.PROPOSAL,
            "milestone_date": today,
        },
    )
    return plan


def afresh():
    return mock.patch.object(revisions, "cache", DummyCache("afresh", {}))


def paci_of(client, plan, person):
    """The PACI page as computed afresh, without what changes from one request to the next."""
    with afresh():
        response = client.get(reverse("pac:paci", args=[plan.pk, person.username]))
    assert response.status_code == 200
    return PER_REQUEST.sub("", response.text)


def cockpit_parts(plan):
    today = timezone.localdate()
    return {
        "plan": steering.cockpit_plan(plan, today),
        "kpis": steering.cockpit_kpis(plan, today),
        "late": steering.cockpit_late(plan, today),
    }


def tokens(plan, world):
    """The token each page (or part) is kept under."""
    plan = Plan.objects.get(pk=plan.pk)
    shared = plan.shared_revision.hex
    return {
        "paci rep": revisions.person_token(plan, world.rep.pk),
        "paci other": revisions.person_token(plan, world.other_rep.pk),
        "cockpit plan": shared,
        "cockpit kpis": f"{shared}-{plan.values_revision.hex}",
        "cockpit late": f"{shared}-{plan.steps_revision.hex}",
    }


def shown(client, plan, world):
    """What each page (or part) shows, computed afresh."""
    parts = cockpit_parts(Plan.objects.get(pk=plan.pk))
    return {
        "paci rep": paci_of(client, plan, world.rep),
        "paci other": paci_of(client, plan, world.other_rep),
        **{f"cockpit {name}": pickle.dumps(part) for name, part in parts.items()},
    }


def step_of(owner):
    return ActionStep.objects.get(action__owner=owner)


def action_kpi(owner):
    return Kpi.objects.get(action__owner=owner)


def tick(world, owner, by):
    action_services.step_set_done(actor=by, step=step_of(owner), done=True)


def check_in(world, kpi, by, value="40"):
    kpi_services.kpi_value_record(
        actor=by, kpi=kpi, value=Decimal(value), on=timezone.localdate(), comment=""
    )


def rename(world):
    action = Action.objects.get(owner=world.rep)
    data = sheet(
        action.target, "Prospection des PME", world.rep, action.start_date, action.end_date
    )
    action_services.action_update(
        actor=world.manager, action=action, version=action.version, data=data
    )


def edit_deal(world):
    deal = Deal.objects.get(owner=world.rep)
    data = {name: getattr(deal, name) for name in target_services.DEAL_FIELDS}
    data |= {"stage": Deal.Stage.WON, "probability": 100}
    target_services.deal_update(actor=world.rep, deal=deal, version=deal.version, data=data)


def measured_by_the_action_kpi(world):
    """The rep's objective measured by the KPI of their action (a shared change of its own)."""
    objective = Objective.objects.get(owner=world.rep)
    objective.measure_kpi = action_kpi(world.rep)
    objective.save()


# What a write needs made before the pages are read.
PREPARED = {
    "the rep checks in on their action's KPI once it measures their objective": (
        measured_by_the_action_kpi
    ),
}


def reassign_step(world):
    """Given to the manager and due yesterday: the action is late."""
    step = step_of(world.other_rep)
    yesterday = timezone.localdate() - timedelta(days=1)
    data = {"title": step.title, "owner": world.manager, "due_date": yesterday, "done": False}
    action_services.step_update(actor=world.manager, step=step, version=step.version, data=data)


# Each write, and the pages it must leave under their tokens: the point of the finer tokens.
WRITES = {
    "the rep ticks their step": (
        lambda world: tick(world, world.rep, world.rep),
        {"paci other", "cockpit plan", "cockpit kpis"},
    ),
    "a colleague ticks a step of an action the rep takes part in": (
        lambda world: tick(world, world.other_rep, world.other_rep),
        {"cockpit plan", "cockpit kpis"},
    ),
    "the rep checks in on their action's KPI": (
        lambda world: check_in(world, action_kpi(world.rep), world.rep),
        {"paci other", "cockpit plan", "cockpit late"},
    ),
    "a colleague checks in on a KPI the rep's PACI does not show": (
        lambda world: check_in(world, action_kpi(world.other_rep), world.other_rep),
        {"paci rep", "cockpit plan", "cockpit late"},
    ),
    "the rep checks in on the KPI measuring their objective": (
        lambda world: check_in(world, Kpi.objects.get(objective__isnull=False), world.rep),
        set(),
    ),
    "the rep checks in on their action's KPI once it measures their objective": (
        lambda world: check_in(world, action_kpi(world.rep), world.rep, value="5"),
        set(),
    ),
    "the manager gives a step to another owner, due yesterday": (
        lambda world: reassign_step(world),
        {"cockpit plan", "cockpit kpis"},
    ),
    "the manager renames the rep's action": (rename, set()),
    "the rep wins their deal": (edit_deal, set()),
    "the manager deletes a step": (
        lambda world: action_services.step_delete(
            actor=world.manager, step=step_of(world.other_rep)
        ),
        {"cockpit plan", "cockpit kpis"},
    ),
}


@pytest.mark.parametrize("write", WRITES)
def test_a_page_whose_content_changed_has_a_new_token(world, plan, client, write):
    client.force_login(world.manager)
    change, spared = WRITES[write]
    if write in PREPARED:
        PREPARED[write](world)
    before, shows = tokens(plan, world), shown(client, plan, world)
    change(world)
    after, now_shows = tokens(plan, world), shown(client, plan, world)
    changed = {page for page in shows if shows[page] != now_shows[page]}
    moved = {page for page in before if before[page] != after[page]}
    assert changed <= moved, f"shown anew under the same token: {changed - moved}"
    assert moved.isdisjoint(spared), f"computed again for nothing: {moved & spared}"
    assert changed, "the write changed nothing any page shows: it tries nothing"


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_cockpit_and_the_paci_read_from_the_cache_after_a_colleagues_check_in(
    world, plan, login
):
    """A colleague's check-in: the rep's PACI is read from the cache whole, the cockpit ranks
    the KPIs again and reads its two other parts from the cache."""
    client = login(world.manager)
    paci = reverse("pac:paci", args=[plan.pk, world.rep.username])
    cockpit = reverse("pac:cockpit", args=[plan.pk])
    client.get(paci), client.get(cockpit)
    warm_paci, warm_cockpit = queries(client, paci), queries(client, cockpit)
    check_in(world, action_kpi(world.other_rep), world.other_rep)
    with CaptureQueriesContext(connection) as ranking:
        steering.cockpit_kpis(plan, timezone.localdate())
    assert queries(client, paci) == warm_paci
    assert queries(client, cockpit) == warm_cockpit + len(ranking)
    # A check-in of the rep's own moves their PACI, which is computed again.
    check_in(world, action_kpi(world.rep), world.rep)
    assert queries(client, paci) > warm_paci


def test_whose_pacis_a_write_moves(world, plan):
    """A value of a KPI of an objective, or of one that measures an objective, moves the
    objective's progress, which every page of the plan shows: no one's PACI is left behind. A
    value of an action's KPI moves its owner's; a step, its action's people's."""
    kpi = Kpi.objects.get(objective__isnull=False)
    assert Objective.objects.filter(measure_kpi=kpi).exists()
    assert kpi.values.model(kpi=kpi).revision_people() is None
    mine = action_kpi(world.rep)
    assert mine.values.model(kpi=mine).revision_people() == {world.rep.pk}
    assert step_of(world.other_rep).revision_people() == {world.rep.pk, world.other_rep.pk}
    # The same KPI of an action, once it measures an objective.
    objective = Objective.objects.get(measure_kpi=kpi)
    objective.measure_kpi = mine
    objective.save()
    assert mine.values.model(kpi=mine).revision_people() is None


def test_after_a_check_in_the_cockpit_ranks_again_its_owners_kpis_alone(world, plan, rf):
    """The cockpit keeps each owner's KPIs in the order of attention under their own token."""
    asked = []

    def compute(people):
        asked.append(people)
        return steering.attention_by_owner(plan, timezone.localdate(), people)

    def ranked():
        fresh = Plan.objects.get(pk=plan.pk)
        shares = revisions.cached_by_person(rf.get("/"), fresh, "test-attention", compute, "d")
        return sorted(key for keys in shares.values() for key in keys)

    everyone = ranked()
    assert asked == [None] and ranked() == everyone and asked == [None]
    check_in(world, action_kpi(world.other_rep), world.other_rep, value="90")
    again = ranked()
    assert asked == [None, [world.other_rep.pk]]
    # The same as ranking every KPI afresh.
    assert again == sorted(key for keys in compute(None).values() for key in keys)
    assert again != everyone
