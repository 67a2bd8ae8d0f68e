"""What each reader may do with a plan: one PlanAccess, resolved with the plan."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import RequestFactory

from pac.core.access import PlanAccess, plan_access, team_role
from pac.core.models import Plan

pytestmark = pytest.mark.django_db

# reader: (is_manager, oversees, works, can_edit, reads the rep's PACI)
EXPECTED = {
    "manager": (True, True, True, True, True),
    "staff": (True, True, True, True, True),
    "rep": (False, False, True, False, True),
    "other_rep": (False, False, True, False, False),
    "viewer": (False, True, False, False, True),
    "foreign_manager": (False, False, False, False, False),
    "anonymous": (False, False, False, False, False),
    "inactive_manager": (False, False, False, False, False),
}


def reader(world, name):
    if name == "anonymous":
        return AnonymousUser()
    if name == "inactive_manager":
        world.manager.is_active = False
        return world.manager
    return getattr(world, name)


@pytest.mark.parametrize("name", EXPECTED)
def test_each_reader_may_do_what_their_role_allows(world, name):
    access = PlanAccess.of(reader(world, name), world.plan)
    answers = (
        access.is_manager,
        access.oversees,
        access.works,
        access.can_edit,
        access.can_view_paci(world.rep),
    )
    assert answers == EXPECTED[name]


@pytest.mark.parametrize("name", ["manager", "staff", "rep"])
def test_a_closed_plan_is_read_only_for_everyone(world, name):
    world.plan.status = Plan.Status.CLOSED
    access = PlanAccess.of(getattr(world, name), world.plan)
    assert not access.can_edit
    assert not access.works
    # Reading goes on: the closed plan is the archive of its period.
    assert access.can_view_paci(world.rep)


def test_the_plan_and_the_readers_role_come_in_one_query(world, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = world.viewer
    with django_assert_num_queries(1):
        access = plan_access(request, world.plan.pk)
        assert access.role == "viewer"
        assert access.plan.team.name == "Ventes Nord"
    # Services handed this plan and this reader ask nothing more.
    with django_assert_num_queries(0):
        assert PlanAccess.of(world.viewer, access.plan) is access


def test_another_teams_plan_is_a_404(world):
    request = RequestFactory().get("/")
    request.user = world.foreign_manager
    with pytest.raises(Http404):
        plan_access(request, world.plan.pk)


def test_team_role_names_the_membership(world):
    assert team_role(world.viewer, world.team.pk) == "viewer"
    assert team_role(world.foreign_manager, world.team.pk) is None
