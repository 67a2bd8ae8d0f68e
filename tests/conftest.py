"""Users for every role around one team's plan, and a foreign team beside it."""

from dataclasses import dataclass, replace
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from pac.core.models import Role
from pac.diagnosis.models import ClientFigure, OfferFigure, OfferSegmentFigure
from pac.documents.models import PdfExport
from pac.proposals.models import Proposal
from tests.actions.factories import ActionFactory, ActionStepFactory
from tests.kpis.factories import KpiFactory
from tests.pac.factories import (
    CompetitorFactory,
    MembershipFactory,
    PlanFactory,
    ReviewFactory,
    SwotItemFactory,
    TeamFactory,
    UserFactory,
)
from tests.targets.factories import DealFactory, ObjectiveFactory, TargetFactory

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def own_files(settings, tmp_path_factory):
    """Files PAC keeps (printed documents) go to a folder of each test's own: a document kept
    by one test is never handed to another."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("files")


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
    return make_world()


def make_world():
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
    return make_things(world)


def make_things(world):
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
        # The diagnosis: two clients (one class A, one class C at 80/95), an offer, a cell.
        "client_figure": ClientFigure.objects.create(
            plan=plan, name="Fonderie Lemaire", segment="PME", sales=90000, margin=20000
        ),
        "client_figure2": ClientFigure.objects.create(
            plan=plan, name="Garage Martin", segment="TPE", sales=10000, margin=1000
        ),
        "offer_figure": OfferFigure.objects.create(
            plan=plan, name="Maintenance", sales=100000, margin=21000, market_share=12
        ),
        "offer_segment_figure": OfferSegmentFigure.objects.create(
            plan=plan, offer="Maintenance", segment="PME", sales=90000, margin=20000
        ),
    }


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """`world` and `things` built once for a whole module, for the tests that walk every door:
    each test runs inside a savepoint of this transaction, rolled back after it (what Django's
    setUpTestData does), so a test may write anything and the next one finds the rows as built.
    Tests using it must not change these objects in memory, nor ask for `transactional_db`; a
    module using it cannot use `world` as well (the same team and usernames).

    Besides `things`: a review; the rep's own work, for the doors of their PACI (an action the
    viewer takes part in, its step, a KPI the rep owns; the deal of `things` is the rep's); KPIs
    (on that action, on the objective) and a deal the viewer owns, rows written before the forms
    refused viewers there; a printed export of the plan, its file in a directory of its own; an
    objective of the rep's and a proposal of theirs waiting for a decision."""
    files = tmp_path_factory.mktemp("files")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=files),
        transaction.atomic(),
    ):
        world = make_world()
        things = make_things(world)
        plan, target = world.plan, things["target"]
        rep_action = ActionFactory(target=target, owner=world.rep, participants=[world.viewer])
        things |= {
            "review": ReviewFactory(plan=plan, held_on=date(2026, 12, 1)),
            "rep_action": rep_action,
            "rep_step": ActionStepFactory(action=rep_action, title="Visiter", order=0),
            "rep_kpi": KpiFactory(action=rep_action, owner=world.rep),
            "viewer_kpi": KpiFactory(action=rep_action, owner=world.viewer),
            "viewer_objective_kpi": KpiFactory(
                action=None, objective=things["objective"], owner=world.viewer
            ),
            "viewer_deal": DealFactory(plan=plan, owner=world.viewer, target=target),
            # What the proposals' doors name: an objective of the rep's, and a proposal of
            # theirs waiting for the manager's decision.
            "rep_objective": ObjectiveFactory(target=target, owner=world.rep),
            "proposal": Proposal.objects.create(
                plan=plan,
                author=world.rep,
                kind=Proposal.Kind.NEW_ACTION,
                target=target,
                changes={
                    "title": "Webinaire RH",
                    "target": str(target.pk),
                    "domain": "sales",
                    "sales_type": "notoriety",
                    "description": "",
                    "means": "",
                    "start_date": "2027-04-01",
                    "end_date": "2027-04-30",
                    "budget_planned": "800",
                    "occurrences_planned": "",
                },
                comment="Les DRH le demandent",
            ),
            "export": PdfExport.objects.create(
                plan=plan,
                requested_by=world.manager,
                status=PdfExport.Status.READY,
                file_name="pac-nord.pdf",
                pages=12,
            ),
        }
        default_storage.save(things["export"].stored_as, ContentFile(b"%PDF-1.7 ..."))
        # The same rows in the other team's plan, for addresses that mix the two plans.
        foreign = replace(
            world,
            plan=world.foreign_plan,
            rep=world.foreign_manager,
            other_rep=world.foreign_manager,
        )
        things |= {f"foreign_{key}": row for key, row in make_things(foreign).items()}
        for row in things.values():
            row.refresh_from_db()  # the versions the rows have in the database
        yield world, things
        transaction.set_rollback(True)
