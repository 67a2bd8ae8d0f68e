"""Each rep signs their PACI: a dated record of the objectives and actions they agreed to, and
what has changed in it since. Built through the services, from an empty plan."""

import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from actions import services as actions
from pac.core.models import Plan
from pac.steering import services
from pac.steering.models import PaciSignature
from pac.steering.selectors import paci_actions, paci_objectives
from pac.steering.signatures import (
    changes_since,
    commitments,
    fingerprint,
    latest_signature,
    paci_signature,
)
from targets import services as targets
from targets.models import Objective
from tests.builders import sheet

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def test_what_changed_since_the_signature_is_listed_field_by_field():
    signed = {
        "objectives": {"1": {"title": "CA PME", "target_value": "400000", "unit": "€"}},
        "actions": {
            "7": {"title": "Salon", "end_date": "2027-04-30", "budget_planned": "1500"},
            "8": {"title": "Phoning", "end_date": "2027-02-28", "budget_planned": "0"},
        },
    }
    now = {
        "objectives": {"1": {"title": "CA PME", "target_value": "450000", "unit": "€"}},
        "actions": {
            "7": {"title": "Salon", "end_date": "2027-05-15", "budget_planned": "1500"},
            "9": {"title": "Webinaire", "end_date": "2027-03-31", "budget_planned": "200"},
        },
    }
    changes = changes_since(signed, now)
    described = [(change.title, change.state, change.fields) for change in changes]
    assert described == [
        ("CA PME", "changed", (("valeur cible", "400\xa0000", "450\xa0000"),)),
        ("Salon", "changed", (("date de fin", "30/04/2027", "15/05/2027"),)),
        ("Phoning", "removed", ()),
        ("Webinaire", "added", ()),
    ]
    assert changes_since(now, now) == []
    assert fingerprint(now) != fingerprint(signed)
    assert fingerprint(now) == fingerprint(dict(reversed(now.items())))  # order does not count


@pytest.fixture
def paci(world):
    """Rep's PACI: one objective of theirs and two actions (one owned, one taken part in)."""
    plan = world.plan
    target = targets.target_create(
        actor=world.manager,
        plan=plan,
        data={"name": "PME", "kind": "segment", "priority": 1, "rationale": ""},
    )
    objective = targets.objective_create(
        actor=world.manager,
        target=target,
        data={
            "kind": Objective.Kind.QUANTITATIVE,
            "title": "CA PME",
            "metric": "CA",
            "unit": "€",
            "baseline": None,
            "target_value": Decimal("400000"),
            "deadline": None,
            "owner": world.rep,
            "description": "",
            "measured_by": Objective.Measure.WON_AMOUNT,
            "measure_kpi": None,
        },
    )
    owned = actions.action_create(
        actor=world.manager,
        plan=plan,
        data=sheet(target, "Salon Nord", world.rep, date(2027, 3, 1), date(2027, 4, 30)),
    )
    shared = actions.action_create(
        actor=world.manager,
        plan=plan,
        data=sheet(target, "Webinaire", world.other_rep, date(2027, 2, 1), date(2027, 2, 28)),
        participants=[world.rep],
    )
    return world, objective, owned, shared


def state_of(plan, rep):
    today = timezone.localdate()
    return paci_signature(
        plan,
        rep,
        paci_objectives(plan, rep, today)["objectives"],
        paci_actions(plan, rep, today)["buckets"],
    )


def test_a_rep_signs_what_their_paci_holds(paci):
    world, objective, owned, shared = paci
    signature = services.paci_sign(actor=world.rep, plan=world.plan, rep=world.rep)
    assert set(signature.snapshot["objectives"]) == {str(objective.pk)}
    assert set(signature.snapshot["actions"]) == {str(owned.pk), str(shared.pk)}
    assert signature.snapshot["actions"][str(owned.pk)]["end_date"] == "2027-04-30"
    assert signature.snapshot["objectives"][str(objective.pk)]["target_value"] == "400000"
    assert len(signature.fingerprint) == 8
    state = state_of(world.plan, world.rep)
    assert (state.signature, state.changed, state.to_sign) == (signature, False, False)
    # Signed twice in a row (a double click): one signature.
    assert services.paci_sign(actor=world.rep, plan=world.plan, rep=world.rep) == signature
    assert PaciSignature.objects.count() == 1


def test_a_paci_changed_after_its_signature_says_what_and_is_signed_again(paci):
    world, _objective, owned, _shared = paci
    first = services.paci_sign(actor=world.rep, plan=world.plan, rep=world.rep)
    owned.refresh_from_db()
    data = {name: getattr(owned, name) for name in actions.SHEET_FIELDS}
    actions.action_update(
        actor=world.manager,
        action=owned,
        version=owned.version,
        data=data | {"end_date": date(2027, 5, 15)},
    )
    # Progress reported is not a change of what was agreed.
    owned.refresh_from_db()
    actions.action_update(
        actor=world.manager,
        action=owned,
        version=owned.version,
        data={name: getattr(owned, name) for name in actions.SHEET_FIELDS} | {"progress": 40},
    )
    state = state_of(world.plan, world.rep)
    assert state.changed and state.to_sign
    [change] = state.changes
    assert (change.title, change.state, change.fields) == (
        "Salon Nord",
        "changed",
        (("date de fin", "30/04/2027", "15/05/2027"),),
    )
    second = services.paci_sign(actor=world.rep, plan=world.plan, rep=world.rep)
    assert second != first
    assert latest_signature(world.plan, world.rep) == second
    assert not state_of(world.plan, world.rep).changed


@pytest.mark.parametrize("who", ["manager", "other_rep", "viewer", "foreign_manager", "staff"])
def test_only_its_rep_signs_a_paci(paci, who):
    world = paci[0]
    with pytest.raises(PermissionDenied):
        services.paci_sign(actor=getattr(world, who), plan=world.plan, rep=world.rep)
    assert not PaciSignature.objects.exists()


def test_a_closed_plan_is_signed_no_more_but_a_draft_is(paci):
    world = paci[0]
    Plan.objects.filter(pk=world.plan.pk).update(status=Plan.Status.DRAFT)
    world.plan.refresh_from_db()
    assert services.paci_sign(actor=world.rep, plan=world.plan, rep=world.rep)
    Plan.objects.filter(pk=world.plan.pk).update(status=Plan.Status.CLOSED)
    world.plan.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.paci_sign(actor=world.other_rep, plan=world.plan, rep=world.other_rep)


def test_the_cockpit_shows_who_signed_and_whose_paci_changed_since(paci, login):
    world, objective, _owned, _shared = paci
    services.paci_sign(actor=world.rep, plan=world.plan, rep=world.rep)
    services.paci_sign(actor=world.other_rep, plan=world.plan, rep=world.other_rep)
    objective.refresh_from_db()
    targets.objective_update(
        actor=world.manager,
        objective=objective,
        version=objective.version,
        data={"target_value": Decimal("450000")},
    )
    page = login(world.manager).get(reverse("pac:cockpit", args=[world.plan.pk]))
    cells = {
        rep: " ".join(unescape(re.sub("<[^>]+>", " ", cell)).split())
        for rep, cell in re.findall(
            r'<tr data-rep="([^"]+)">.*?data-testid="paci-signed">(.*?)</td>',
            page.content.decode(),
            re.DOTALL,
        )
    }
    day = date_format(timezone.localdate(), "SHORT_DATE_FORMAT")
    # The rep's objective moved; the other rep's PACI did not.
    assert cells == {
        world.rep.username: f"signé le {day} modifié depuis sa signature",
        world.other_rep.username: f"signé le {day}",
    }


def test_commitments_read_the_same_from_rows_and_from_instances(paci):
    world, objective, owned, shared = paci
    from actions.models import Action
    from pac.steering.signatures import ACTION_TERMS, OBJECTIVE_TERMS

    rows = Action.objects.filter(pk__in=[owned.pk, shared.pk]).values("pk", *ACTION_TERMS)
    objectives = Objective.objects.filter(pk=objective.pk)
    assert commitments(objectives.values("pk", *OBJECTIVE_TERMS), rows) == commitments(
        objectives, Action.objects.filter(pk__in=[owned.pk, shared.pk])
    )


def test_signing_with_htmx_answers_with_the_signature(paci, login):
    world = paci[0]
    url = reverse("pac:paci-sign", args=[world.plan.pk, world.rep.username])
    response = login(world.rep).post(url, headers=HTMX)
    assert response.status_code == 200
    text = " ".join(unescape(response.content.decode()).split())
    signature = latest_signature(world.plan, world.rep)
    day = date_format(timezone.localtime(signature.signed_at).date(), "SHORT_DATE_FORMAT")
    assert f"Signé le {day} par {world.rep} (version {signature.fingerprint})." in text
    assert "Signer mon PACI" not in text
    assert 'data-testid="not-signed"' not in text
