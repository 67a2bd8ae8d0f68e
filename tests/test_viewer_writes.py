"""A viewer writes nothing, anywhere: every URL pattern of a plan, walked from the resolver, and
posted to by a viewer whom the data makes an action's participant, a KPI's owner, a deal's owner
(rows written before the forms refused viewers there). Each answers 403 or 404 and changes
nothing; the same doors then let the manager or the rep in, so the test cannot pass by accident."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import URLResolver, get_resolver, reverse

from actions import services as action_services
from actions.models import Action
from kpis import services as kpi_services
from kpis.models import KpiValue
from targets import services as deal_services
from tests.actions.factories import ActionFactory, ActionStepFactory
from tests.kpis.factories import KpiFactory
from tests.pac.factories import CompetitorFactory, ReviewFactory, SwotItemFactory
from tests.targets.factories import DealFactory, ObjectiveFactory, TargetFactory
from tests.test_editor_permissions import fingerprint

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(world):
    plan = world.plan
    target = TargetFactory(plan=plan, name="PME")
    action = ActionFactory(target=target, owner=world.other_rep, participants=[world.viewer])
    objective = ObjectiveFactory(target=target)
    return {
        "plan": plan,
        "swot": SwotItemFactory(plan=plan, quadrant="strength", text="Une force"),
        "competitor": CompetitorFactory(plan=plan, name="Cap Numérique"),
        "target": target,
        "objective": objective,
        "objective_kpi": KpiFactory(action=None, objective=objective, owner=world.viewer),
        "action": action,
        "step": ActionStepFactory(action=action, title="Appeler", order=0),
        "kpi": KpiFactory(action=action, owner=world.viewer),
        "deal": DealFactory(plan=plan, owner=world.viewer, target=target),
        "review": ReviewFactory(plan=plan, held_on=date(2027, 1, 15)),
    }


# The objects each pattern names, in the order of its arguments; `viewer` stands for the
# viewer's username on a PACI address.
ARGUMENTS = {
    "pac:plan-update": ["plan"],
    "pac:plan-strategy": ["plan"],
    "pac:plan-status": ["plan"],
    "pac:plan-duplicate": ["plan"],
    "pac:plan-delete": ["plan"],
    "pac:review-create": ["plan"],
    "pac:review-detail": ["plan", "review"],
    "pac:review-update": ["plan", "review"],
    "actions:paci-action-report": ["plan", "viewer", "action"],
    "actions:paci-step-done": ["plan", "viewer", "step"],
    "kpis:paci-kpi-value-create": ["plan", "viewer", "kpi"],
    "targets:paci-deal-create": ["plan", "viewer"],
    "targets:paci-deal-update": ["plan", "viewer", "deal"],
    "targets:paci-deal-delete": ["plan", "viewer", "deal"],
    "pac:swot-create": ["plan"],
    "pac:swot-update": ["plan", "swot"],
    "pac:swot-delete": ["plan", "swot"],
    "pac:swot-move": ["plan", "swot"],
    "pac:competitor-create": ["plan"],
    "pac:competitor-update": ["plan", "competitor"],
    "pac:competitor-delete": ["plan", "competitor"],
    "targets:target-create": ["plan"],
    "targets:target-update": ["plan", "target"],
    "targets:target-delete": ["plan", "target"],
    "targets:objective-create": ["plan", "target"],
    "targets:objective-update": ["plan", "objective"],
    "targets:objective-delete": ["plan", "objective"],
    "targets:objective-assess": ["plan", "objective"],
    "targets:deal-create": ["plan"],
    "targets:deal-update": ["plan", "deal"],
    "targets:deal-delete": ["plan", "deal"],
    "actions:action-create": ["plan"],
    "actions:action-update": ["plan", "action"],
    "actions:action-delete": ["plan", "action"],
    "actions:step-create": ["plan", "action"],
    "actions:step-update": ["plan", "action", "step"],
    "actions:step-done": ["plan", "action", "step"],
    "actions:step-move": ["plan", "action", "step"],
    "actions:step-delete": ["plan", "action", "step"],
    "kpis:action-kpi-create": ["plan", "action"],
    "kpis:action-kpi-update": ["plan", "action", "kpi"],
    "kpis:action-kpi-delete": ["plan", "action", "kpi"],
    "kpis:objective-kpi-create": ["plan", "objective"],
    "kpis:objective-kpi-update": ["plan", "objective", "objective_kpi"],
    "kpis:objective-kpi-delete": ["plan", "objective", "objective_kpi"],
}
# Pages that only read (a POST is refused as a method, 405), and the PDF export pages whose POST
# starts a background print: readers of the plan may print it.
READ_ONLY = {
    "pac:plan-detail",
    "pac:plan-history",
    "pac:plan-budget",
    "pac:cockpit",
    "pac:plan-pdf",
    "pac:pdf-export",
    "pac:pdf-export-download",
    "pac:paci-pdf",
    "pac:action-pdf",
    "pac:calendar",
    "pac:timeline",
    "pac:horizon",
    "pac:review-list",
    "pac:paci",
    "actions:action-list",
    "actions:action-detail",
}


# A page a viewer reads, whose POST writes (a review turns a decision into an action).
READ_AND_WRITE = {"pac:review-detail"}


def patterns(resolver_patterns, route="", namespace=""):
    """(route, name) of every URL pattern, namespaces included."""
    for pattern in resolver_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in [namespace, pattern.namespace] if part)
            yield from patterns(pattern.url_patterns, route + str(pattern.pattern), inner)
        elif pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield route + str(pattern.pattern), name


def test_every_plan_address_is_either_a_write_door_tried_here_or_read_only():
    names = {
        name
        for route, name in patterns(get_resolver().url_patterns)
        if route.startswith("plans/<int:")
    }
    assert len(names) == len(ARGUMENTS) + len(READ_ONLY)
    assert names == set(ARGUMENTS) | READ_ONLY


def address(name, rows, username):
    args = [username if arg == "viewer" else rows[arg].pk for arg in ARGUMENTS[name]]
    return reverse(name, args=args)


@pytest.mark.parametrize("name", sorted(ARGUMENTS))
def test_a_viewer_writes_nothing_through_any_door(world, login, rows, name):
    client = login(world.viewer)
    before = fingerprint()
    # The viewer's own name (no PACI: 404), and the PACI of the rep whose action the viewer
    # takes part in, which the viewer may read: there the refusal comes from the permissions.
    for username in [world.viewer.username, world.rep.username, world.other_rep.username]:
        url = address(name, rows, username)
        for headers in [{}, {"HX-Request": "true"}]:
            page = client.get(url, headers=headers)
            if name in READ_AND_WRITE:
                # The viewer reads the page, without the form that writes.
                assert page.status_code == 200 and 'name="title"' not in page.text
            else:
                assert page.status_code in {403, 404, 405}, url
            data = {"done": "1", "title": "X", "text": "X", "name": "X", "status": "done"}
            data |= {"company": "X", "amount": "1", "probability": "10", "stage": "lead"}
            data |= {"recorded_on": "2027-01-10", "value": "5", "progress": "50"}
            response = client.post(url, data, headers=headers)
            assert response.status_code in {403, 404}, (url, response.status_code)
    assert fingerprint() == before


def test_the_doors_the_viewer_found_closed_open_to_the_people_who_work(world, login, rows):
    """The same rows: the owner of the action reports on it, the manager records the KPI."""
    rep = login(world.other_rep)
    url = reverse(
        "actions:paci-action-report",
        args=[world.plan.pk, world.other_rep.username, rows["action"].pk],
    )
    data = {"status": "in_progress", "progress": "40", "occurrences_done": "0"}
    data |= {"budget_actual": "0", "version": rows["action"].version}
    assert rep.post(url, data).status_code == 302
    assert Action.objects.get(pk=rows["action"].pk).progress == 40
    manager = login(world.manager)
    url = reverse(
        "kpis:paci-kpi-value-create", args=[world.plan.pk, world.rep.username, rows["kpi"].pk]
    )
    response = manager.post(url, {"recorded_on": "2027-01-10", "value": "5"})
    # The KPI is not the rep's: no PACI of theirs holds it.
    assert response.status_code == 404
    assert KpiValue.objects.count() == 0


def test_a_viewer_has_no_paci_and_is_not_offered_as_owner_or_participant(world, login, rows):
    manager = login(world.manager)
    assert manager.get(reverse("pac:paci", args=[world.plan.pk, "viewer"])).status_code == 404
    form = manager.get(reverse("actions:action-create", args=[world.plan.pk])).text
    assert f'value="{world.rep.pk}"' in form
    assert f'value="{world.viewer.pk}"' not in form


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
            actor=world.viewer, kpi=rows["kpi"], value=Decimal("5"), on=date(2027, 1, 10)
        ),
        lambda: deal_services.deal_delete(actor=world.viewer, deal=rows["deal"]),
        lambda: action_services.step_set_done(actor=world.viewer, step=rows["step"], done=True),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert fingerprint() == before
