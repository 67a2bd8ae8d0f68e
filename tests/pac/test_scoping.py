"""Every model answers `for_user` with exactly what the person's teams hold.

Managers, reps and viewers read their own team's rows; another team's rows do not exist for them;
staff read everything; anonymous and deactivated people read nothing.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from actions.models import Action, ActionStep
from kpis.models import Kpi, KpiValue
from pac.core.models import Plan, Team
from targets.models import Deal, Objective, Target
from tests.actions.factories import ActionFactory, ActionStepFactory
from tests.kpis.factories import KpiFactory, KpiValueFactory
from tests.targets.factories import DealFactory, ObjectiveFactory, TargetFactory

pytestmark = pytest.mark.django_db


def populate(plan):
    """One of each row in a plan; returns them keyed by model."""
    target = TargetFactory(plan=plan)
    objective = ObjectiveFactory(target=target)
    action = ActionFactory(target=target)
    action_kpi = KpiFactory(action=action)
    return {
        Target: target,
        Objective: objective,
        Action: action,
        ActionStep: ActionStepFactory(action=action),
        Kpi: action_kpi,
        "objective_kpi": KpiFactory(action=None, objective=objective),
        KpiValue: KpiValueFactory(kpi=action_kpi),
        Deal: DealFactory(plan=plan),
    }


MODELS = [Target, Objective, Action, ActionStep, Kpi, KpiValue, Deal]


@pytest.fixture
def rows(world):
    return populate(world.plan), populate(world.foreign_plan)


@pytest.mark.parametrize("role", ["manager", "rep", "other_rep", "viewer"])
def test_team_members_read_their_team_and_nothing_else(world, rows, role):
    user = getattr(world, role)
    own, _foreign = rows
    assert list(Team.objects.for_user(user)) == [world.team]
    assert list(Plan.objects.for_user(user)) == [world.plan]
    for model in MODELS:
        if model is not Kpi:
            assert list(model.objects.for_user(user)) == [own[model]], model
    assert set(Kpi.objects.for_user(user)) == {own[Kpi], own["objective_kpi"]}


def test_the_foreign_manager_sees_only_the_foreign_team(world, rows):
    _own, foreign = rows
    assert list(Plan.objects.for_user(world.foreign_manager)) == [world.foreign_plan]
    assert list(Action.objects.for_user(world.foreign_manager)) == [foreign[Action]]
    assert list(Deal.objects.for_user(world.foreign_manager)) == [foreign[Deal]]


def test_staff_read_every_team(world, rows):
    assert set(Plan.objects.for_user(world.staff)) == {world.plan, world.foreign_plan}
    assert Action.objects.for_user(world.staff).count() == 2
    assert Kpi.objects.for_user(world.staff).count() == 4


def test_anonymous_reads_nothing(world, rows):
    anonymous = AnonymousUser()
    assert not Team.objects.for_user(anonymous).exists()
    for model in [Plan, *MODELS]:
        assert not model.objects.for_user(anonymous).exists()


def test_a_deactivated_member_reads_nothing(world, rows):
    world.manager.is_active = False
    world.manager.save()
    for model in [Plan, *MODELS]:
        assert not model.objects.for_user(world.manager).exists()


def test_a_person_without_a_team_reads_nothing(world, rows, django_user_model):
    loner = django_user_model.objects.create_user("loner", password="x-secret-123")
    for model in [Plan, *MODELS]:
        assert not model.objects.for_user(loner).exists()


def test_kpis_are_listed_once_even_when_reachable_two_ways(world, rows):
    own, _ = rows
    ids = list(Kpi.objects.for_user(world.manager).values_list("pk", flat=True))
    assert sorted(ids) == sorted([own[Kpi].pk, own["objective_kpi"].pk])
