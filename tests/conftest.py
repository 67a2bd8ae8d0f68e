"""Users for every role around one team's plan, and a foreign team beside it."""

from dataclasses import dataclass

import pytest
from django.utils import translation

from pac.core.models import Role
from tests.actions.factories import ActionFactory, ActionStepFactory
from tests.kpis.factories import KpiFactory
from tests.pac.factories import (
    CompetitorFactory,
    MembershipFactory,
    PlanFactory,
    SwotItemFactory,
    TeamFactory,
    UserFactory,
)
from tests.targets.factories import DealFactory, ObjectiveFactory, TargetFactory


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def french():
    """French is the default language; tests that want English switch explicitly."""
    with translation.override("fr"):
        yield


@dataclass
class World:
    team: object
    plan: object
    manager: object
    rep: object
    other_rep: object
    viewer: object
    foreign_team: object
    foreign_plan: object
    foreign_manager: object
    staff: object


@pytest.fixture
def world(db):
    team = TeamFactory(name="Ventes Nord")
    foreign_team = TeamFactory(name="Ventes Sud")

    def member(username, role, of=team):
        user = UserFactory(username=username)
        MembershipFactory(team=of, user=user, role=role)
        return user

    return World(
        team=team,
        plan=PlanFactory(team=team, title="PAC Nord 2027"),
        manager=member("manager", Role.MANAGER),
        rep=member("rep", Role.REP),
        other_rep=member("rep_b", Role.REP),
        viewer=member("viewer", Role.VIEWER),
        foreign_team=foreign_team,
        foreign_plan=PlanFactory(team=foreign_team, title="PAC Sud 2027"),
        foreign_manager=member("foreign", Role.MANAGER, of=foreign_team),
        staff=UserFactory(username="staff", is_staff=True),
    )


ROLES = ["manager", "rep", "other_rep", "viewer", "foreign_manager", "staff"]


@pytest.fixture
def login(client):
    """Sign a user in on the test client and hand the client back."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def things(world):
    """One of everything a plan holds, for the tests that try every door of the editor."""
    plan = world.plan
    target = TargetFactory(plan=plan, name="PME")
    # Owned by the other rep: `rep` has no part in it and may not even tick its steps.
    action = ActionFactory(target=target, owner=world.other_rep)
    objective = ObjectiveFactory(target=target)
    return {
        "plan": plan,
        "swot": SwotItemFactory(plan=plan, quadrant="strength", text="Une force"),
        "swot2": SwotItemFactory(plan=plan, quadrant="strength", text="Une autre"),
        "competitor": CompetitorFactory(plan=plan, name="Cap Numérique"),
        "target": target,
        "objective": objective,
        "qualitative": ObjectiveFactory(
            target=target, kind="qualitative", metric="", unit="", target_value=None
        ),
        "objective_kpi": KpiFactory(action=None, objective=objective),
        "deal": DealFactory(plan=plan, owner=world.rep, target=target),
        "action": action,
        "step": ActionStepFactory(action=action, title="Appeler", order=0),
        "step2": ActionStepFactory(action=action, title="Relancer", order=1),
        "kpi": KpiFactory(action=action),
    }
