"""A viewer writes nothing, anywhere, whatever the data says they own or take part in.

tests/test_doors.py walks every door as a viewer among the other roles; here the same doors again
with htmx, and the PACI doors on the viewer's own address (they have none) and on a colleague's,
with the rows the data gives the viewer: a part in the rep's action, a KPI, a deal (rows written
before the forms refused viewers there). Each answers 403 or 404 and changes nothing; the same
doors let the rep and the manager in (test_doors), so the test cannot pass by accident."""

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from actions import services as action_services
from actions.models import Action
from kpis import services as kpi_services
from kpis.models import KpiValue
from targets import services as deal_services
from tests.actions.factories import ActionFactory
from tests.test_doors import DOORS, SAVED, fingerprint, ids, prepared

pytestmark = pytest.mark.django_db


# One world for the whole module, each test rolled back (conftest's shared_world).
@pytest.fixture
def world(shared_world):
    return shared_world[0]


@pytest.fixture
def rows(shared_world):
    return shared_world[1]


# The doors that write in a plan, and the pages beside them that show their forms.
WRITES = [door for door in DOORS if "plan" in door.args and SAVED in door.post.values()]
# The rows the data says are the viewer's: the action they take part in, its step, their KPIs on
# it and on the objective, their deal.
THEIRS = {
    "action": "rep_action",
    "step": "rep_step",
    "kpi": "viewer_kpi",
    "rep_kpi": "viewer_kpi",
    "objective_kpi": "viewer_objective_kpi",
    "deal": "viewer_deal",
}


def addresses(door):
    """The door's arguments as test_doors tries them, then with the viewer's rows; a PACI door on
    the viewer's own address (they have none) and on a colleague's, whose rows these are not."""
    yield door.args
    theirs = tuple(THEIRS.get(arg, arg) for arg in door.args)
    if "@rep" in door.args:
        yield tuple("@viewer" if arg == "@rep" else arg for arg in theirs)
        yield tuple("@other_rep" if arg == "@rep" else arg for arg in door.args)
    elif theirs != door.args:
        yield theirs


@pytest.mark.parametrize("door", WRITES, ids=ids)
def test_a_viewer_writes_nothing_with_htmx_nor_through_another_paci(world, rows, login, door):
    client = login(world.viewer)
    before = fingerprint()
    for args in addresses(door):
        url = replace(door, args=args).url(rows, world, world.viewer)
        for headers in [{}, {"HX-Request": "true"}]:
            page = client.get(url, headers=headers)
            if door.name == "pac:review-detail":
                # The viewer reads the review, without the form that writes.
                assert page.status_code == 200 and 'name="title"' not in page.text
            else:
                assert page.status_code in {403, 404, 405}, (url, page.status_code)
            response = client.post(url, prepared(door, rows, "valid"), headers=headers)
            assert response.status_code in {403, 404}, (url, response.status_code)
    assert fingerprint() == before


def test_the_doors_the_viewer_found_closed_open_to_the_people_who_work(world, login, rows):
    """The same rows: the rep reports on the action the viewer takes part in; the manager cannot
    record the viewer's KPI through the rep's PACI."""
    rep = login(world.rep)
    action = rows["rep_action"]
    url = reverse("actions:paci-action-report", args=[world.plan.pk, "rep", action.pk])
    data = {"status": "in_progress", "progress": "40", "occurrences_done": "0"}
    data |= {"budget_actual": "0", "version": action.version}
    assert rep.post(url, data).status_code == 302
    assert Action.objects.get(pk=action.pk).progress == 40
    manager = login(world.manager)
    url = reverse("kpis:paci-kpi-value-create", args=[world.plan.pk, "rep", rows["viewer_kpi"].pk])
    response = manager.post(url, {"recorded_on": "2027-01-10", "value": "5"})
    # The KPI is not the rep's: no PACI of theirs holds it.
    assert response.status_code == 404
    assert KpiValue.objects.count() == 0


def test_a_viewer_has_no_paci_and_is_not_offered_as_owner_or_participant(world, login, rows):
    manager = login(world.manager)
    assert manager.get(reverse("pac:paci", args=[world.plan.pk, "viewer"])).status_code == 404
    form = manager.get(reverse("actions:action-create", args=[world.plan.pk])).text
    owners = re.search(r'<select name="owner".*?</select>', form, re.S).group()
    offered = {
        "owner": set(map(int, re.findall(r'<option value="(\d+)"', owners))),
        "participants": set(map(int, re.findall(r'name="participants" value="(\d+)"', form))),
    }
    people = {world.manager.pk, world.rep.pk, world.other_rep.pk}
    assert offered == {"owner": people, "participants": people}


def test_a_manager_who_owns_actions_has_a_paci_one_who_does_not_has_none(world, login, rows):
    manager = login(world.manager)
    url = reverse("pac:paci", args=[world.plan.pk, world.manager.username])
    assert manager.get(url).status_code == 404
    ActionFactory(target=rows["target"], owner=world.manager)
    assert manager.get(url).status_code == 200


@pytest.mark.parametrize("debug", [False, True])
def test_a_refused_paci_looks_like_an_unknown_one(world, login, rows, settings, debug):
    """A rep cannot tell a teammate's PACI from a username that does not exist, even with the
    debug pages on."""
    settings.DEBUG = debug
    client = login(world.rep)
    answers = [
        client.get(reverse("pac:paci", args=[world.plan.pk, username]))
        for username in [world.other_rep.username, "nobody-here", world.viewer.username]
    ]
    assert {answer.status_code for answer in answers} == {404}
    # The same page but for the address asked for, and the page's own CSRF token and nonce.
    bodies = {
        re.sub(rb'[A-Za-z0-9]{64}|nonce="[^"]+"', b"", answer.content)
        .replace(b"nobody-here", b"rep_b")
        .replace(b"/viewer/", b"/rep_b/")
        for answer in answers
    }
    assert len(bodies) == 1


def test_my_paci_leads_a_manager_with_actions_to_theirs(world, login, rows):
    manager = login(world.manager)
    assert "paci" not in manager.get(reverse("my-paci")).get("Location", "")
    ActionFactory(target=rows["target"], owner=world.manager)
    assert manager.get(reverse("my-paci"))["Location"] == reverse(
        "pac:paci", args=[world.plan.pk, world.manager.username]
    )
    viewer = login(world.viewer)
    assert viewer.get(reverse("my-paci")).status_code == 200  # "you have no PACI"


def test_the_services_refuse_a_viewer_what_the_data_says_they_own(world, rows):
    """Below the views: a KPI value on the viewer's KPI, the viewer's own deal, a step of the
    action the viewer takes part in."""
    before = fingerprint()
    attempts = [
        lambda: kpi_services.kpi_value_record(
            actor=world.viewer, kpi=rows["viewer_kpi"], value=Decimal("5"), on=date(2027, 1, 10)
        ),
        lambda: deal_services.deal_delete(actor=world.viewer, deal=rows["viewer_deal"]),
        lambda: action_services.step_set_done(actor=world.viewer, step=rows["rep_step"], done=True),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert fingerprint() == before
