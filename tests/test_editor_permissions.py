"""The plan editor's form protocol, door by door, for its manager.

Who may open each door at all (anonymous visitors, another team, reps, viewers, managers, staff)
is tests/test_doors.py, which walks every URL of PAC; its EDITOR rows are the doors tried here. The
manager edits in place with htmx; an invalid POST shows its errors (422) and saves nothing, with or
without htmx; a save over a newer version shows the conflict (409) and saves nothing.
"""

from datetime import date

import pytest
from django.urls import reverse

from pac.core.models import Plan
from tests.pac.factories import CompetitorFactory, SwotItemFactory
from tests.targets.factories import ObjectiveFactory, TargetFactory
from tests.test_doors import EDITOR, FORM, fingerprint, ids, prepared

pytestmark = pytest.mark.django_db

# The doors test_fuzz_forms and test_hostile_input send hostile data to.
DOORS = EDITOR


# One world for the whole module, each test rolled back (conftest's shared_world).
@pytest.fixture
def world(shared_world):
    return shared_world[0]


@pytest.fixture
def things(shared_world):
    return shared_world[1]


@pytest.mark.parametrize("door", [d for d in DOORS if d.region], ids=ids)
def test_the_manager_edits_in_place_with_htmx(world, login, things, door):
    client = login(world.manager)
    headers = {"HX-Request": "true"}
    if door.get["manager"] == FORM:
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
