"""Teams and plans answer `for_user` with exactly what the person's teams hold; what a plan holds
is reached through its plan (`get_plan`, then `plan=plan`).

Managers, reps and viewers read their own team's plans; another team's plans do not exist for
them; staff read everything; anonymous and deactivated people read nothing.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from pac.core.models import Plan, Team

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["manager", "rep", "other_rep", "viewer"])
def test_team_members_read_their_team_and_nothing_else(world, role):
    user = getattr(world, role)
    assert list(Team.objects.for_user(user)) == [world.team]
    assert list(Plan.objects.for_user(user)) == [world.plan]


def test_the_foreign_manager_sees_only_the_foreign_team(world):
    assert list(Team.objects.for_user(world.foreign_manager)) == [world.foreign_team]
    assert list(Plan.objects.for_user(world.foreign_manager)) == [world.foreign_plan]


def test_staff_read_every_team(world):
    assert set(Team.objects.for_user(world.staff)) == {world.team, world.foreign_team}
    assert set(Plan.objects.for_user(world.staff)) == {world.plan, world.foreign_plan}


def test_anonymous_reads_nothing(world):
    anonymous = AnonymousUser()
    assert not Team.objects.for_user(anonymous).exists()
    assert not Plan.objects.for_user(anonymous).exists()


def test_a_deactivated_member_reads_nothing(world):
    world.manager.is_active = False
    world.manager.save()
    assert not Team.objects.for_user(world.manager).exists()
    assert not Plan.objects.for_user(world.manager).exists()


def test_a_person_without_a_team_reads_nothing(world, django_user_model):
    loner = django_user_model.objects.create_user("loner", password="x-secret-123")
    assert not Team.objects.for_user(loner).exists()
    assert not Plan.objects.for_user(loner).exists()
