"""Who may edit a plan and read a PACI."""

import pytest

from pac.core.access import can_edit_plan, can_view_paci, team_role
from pac.core.models import Plan

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("manager", True),
        ("staff", True),
        ("rep", False),
        ("viewer", False),
        ("foreign_manager", False),
    ],
)
def test_only_the_team_managers_and_staff_edit_a_plan(world, role, allowed):
    assert can_edit_plan(getattr(world, role), world.plan) is allowed


def test_a_closed_plan_is_read_only_for_everyone(world):
    world.plan.status = Plan.Status.CLOSED
    assert not can_edit_plan(world.manager, world.plan)
    assert not can_edit_plan(world.staff, world.plan)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("rep", True),
        ("other_rep", False),
        ("manager", True),
        ("staff", True),
        ("viewer", True),
        ("foreign_manager", False),
    ],
)
def test_a_rep_reads_their_own_paci_and_managers_read_all(world, role, allowed):
    assert can_view_paci(getattr(world, role), world.plan, world.rep) is allowed


def test_team_role_names_the_membership(world):
    assert team_role(world.viewer, world.team.pk) == "viewer"
    assert team_role(world.foreign_manager, world.team.pk) is None
