"""Plan services: who may write, the status workflow, the conflict rule and the roll-over."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from actions.models import Action, ActionStep
from kpis.models import Kpi, KpiValue
from pac.core.models import Plan
from pac.core.versioning import EditConflict
from pac.plans import services
from pac.plans.models import Competitor, SwotItem
from targets.models import Objective, Target
from tests.actions.factories import ActionFactory, ActionStepFactory
from tests.kpis.factories import KpiFactory, KpiValueFactory
from tests.pac.factories import CompetitorFactory, ReviewFactory, SwotItemFactory
from tests.targets.factories import DealFactory, ObjectiveFactory, TargetFactory

pytestmark = pytest.mark.django_db


def test_a_manager_creates_a_plan_for_their_team(world):
    plan = services.plan_create(
        actor=world.manager,
        team=world.team,
        title="PAC 2027 – S2",
        period_start=date(2027, 7, 1),
        period_end=date(2027, 12, 31),
        budget_envelope=Decimal("30000"),
    )
    assert plan.status == Plan.Status.DRAFT
    assert plan.history.first().history_user == world.manager


@pytest.mark.parametrize("role", ["rep", "viewer", "foreign_manager"])
def test_only_the_team_managers_create_its_plans(world, role):
    with pytest.raises(PermissionDenied):
        services.plan_create(
            actor=getattr(world, role),
            team=world.team,
            title="Pirate",
            period_start=date(2027, 7, 1),
            period_end=date(2027, 12, 31),
            budget_envelope=Decimal("0"),
        )
    assert not Plan.objects.filter(title="Pirate").exists()


def test_a_plan_with_an_impossible_period_is_refused(world):
    with pytest.raises(ValidationError):
        services.plan_create(
            actor=world.manager,
            team=world.team,
            title="À l'envers",
            period_start=date(2027, 7, 1),
            period_end=date(2027, 1, 1),
            budget_envelope=Decimal("0"),
        )
    assert not Plan.objects.filter(title="À l'envers").exists()


def test_two_managers_editing_the_same_plan_lose_nothing(world):
    """The second save over an older version is refused with the first one's values."""
    plan = world.plan
    opened_by_both = plan.version
    services.plan_update(
        actor=world.manager, plan=plan, version=opened_by_both, data={"title": "Titre de Claire"}
    )
    with pytest.raises(EditConflict) as conflict:
        services.plan_update(
            actor=world.staff, plan=plan, version=opened_by_both, data={"title": "Titre de Marc"}
        )
    assert conflict.value.current.title == "Titre de Claire"
    plan.refresh_from_db()
    assert plan.title == "Titre de Claire"
    assert plan.version == opened_by_both + 1
    # Deciding to keep theirs means saving again on the version now shown.
    services.plan_update(
        actor=world.staff, plan=plan, version=plan.version, data={"title": "Titre de Marc"}
    )
    plan.refresh_from_db()
    assert plan.title == "Titre de Marc"


@pytest.mark.parametrize("role", ["rep", "viewer", "foreign_manager"])
def test_readers_cannot_update_a_plan(world, role):
    with pytest.raises(PermissionDenied):
        services.plan_update(
            actor=getattr(world, role), plan=world.plan, version=None, data={"title": "Piraté"}
        )
    world.plan.refresh_from_db()
    assert world.plan.title == "PAC Nord 2027"


def test_the_status_workflow_goes_draft_active_closed(world):
    plan = world.plan
    plan.status = Plan.Status.DRAFT
    plan.save()
    with pytest.raises(ValidationError):
        services.plan_set_status(actor=world.manager, plan=plan, status=Plan.Status.CLOSED)
    plan = services.plan_set_status(actor=world.manager, plan=plan, status=Plan.Status.ACTIVE)
    plan = services.plan_set_status(actor=world.manager, plan=plan, status=Plan.Status.CLOSED)
    assert plan.status == Plan.Status.CLOSED
    with pytest.raises(PermissionDenied):
        services.plan_set_status(actor=world.manager, plan=plan, status=Plan.Status.ACTIVE)


def test_an_unknown_status_is_refused(world):
    with pytest.raises(ValidationError):
        services.plan_set_status(actor=world.manager, plan=world.plan, status="archived")


def test_a_closed_plan_is_read_only_for_everyone(world):
    plan = world.plan
    plan.status = Plan.Status.CLOSED
    plan.save()
    for actor in (world.manager, world.staff):
        with pytest.raises(PermissionDenied, match="clos"):
            services.swot_item_create(actor=actor, plan=plan, quadrant="strength", text="x")
        with pytest.raises(PermissionDenied):
            services.plan_delete(actor=actor, plan=plan)
    assert not SwotItem.objects.exists()
    assert Plan.objects.filter(pk=plan.pk).exists()


def test_swot_items_are_added_at_the_end_and_move_inside_their_quadrant(world):
    plan = world.plan
    first = services.swot_item_create(actor=world.manager, plan=plan, quadrant="strength", text="A")
    second = services.swot_item_create(
        actor=world.manager, plan=plan, quadrant="strength", text="B"
    )
    third = services.swot_item_create(actor=world.manager, plan=plan, quadrant="strength", text="C")
    other = services.swot_item_create(actor=world.manager, plan=plan, quadrant="threat", text="T")
    assert [first.order, second.order, third.order, other.order] == [0, 1, 2, 0]
    services.swot_item_move(actor=world.manager, item=third, direction="up")
    texts = list(plan.swot_items.filter(quadrant="strength").values_list("text", flat=True))
    assert texts == ["A", "C", "B"]
    services.swot_item_move(actor=world.manager, item=first, direction="up")  # already first
    texts = list(plan.swot_items.filter(quadrant="strength").values_list("text", flat=True))
    assert texts == ["A", "C", "B"]
    with pytest.raises(ValidationError):
        services.swot_item_move(actor=world.manager, item=first, direction="sideways")


def test_a_competitor_name_twice_is_refused_beside_the_field(world):
    CompetitorFactory(plan=world.plan, name="Cap Numérique")
    with pytest.raises(ValidationError) as error:
        services.competitor_create(
            actor=world.manager,
            plan=world.plan,
            data={"name": "Cap Numérique", "threat": "high"},
        )
    assert "Ce concurrent figure déjà dans le plan." in str(error.value)
    assert Competitor.objects.count() == 1


@pytest.fixture
def rich_plan(world):
    """A plan with one of everything, dates known, to check the roll-over by hand."""
    plan = world.plan  # 01/01/2027 – 30/06/2027
    plan.strategy = "Stratégie S1"
    plan.budget_envelope = Decimal("40000")
    plan.save()
    SwotItemFactory(plan=plan, quadrant="strength", text="Force")
    CompetitorFactory(plan=plan, name="Cap Numérique")
    target = TargetFactory(plan=plan, name="PME")
    objective = ObjectiveFactory(target=target, deadline=date(2027, 6, 30), owner=world.rep)
    action = ActionFactory(
        target=target,
        title="Prospection",
        start_date=date(2027, 2, 1),
        end_date=date(2027, 3, 31),
        status=Action.Status.IN_PROGRESS,
        progress=60,
        occurrences_planned=12,
        occurrences_done=7,
        budget_planned=Decimal("3000"),
        budget_actual=Decimal("1800"),
        owner=world.rep,
        participants=[world.other_rep],
    )
    action.objectives.set([objective])
    ActionStepFactory(action=action, title="Appels", due_date=date(2027, 2, 15), done=True)
    kpi = KpiFactory(action=action, name="Rendez-vous")
    KpiValueFactory(kpi=kpi, value=Decimal("4"), recorded_by=world.rep)
    objective.measured_by = Objective.Measure.KPI
    objective.measure_kpi = KpiFactory(action=None, objective=objective, name="Nouveaux clients")
    objective.save()
    DealFactory(plan=plan, owner=world.rep)
    ReviewFactory(plan=plan)
    return plan


def test_duplication_copies_the_plan_into_the_next_semester(world, rich_plan):
    copy = services.plan_duplicate(
        actor=world.manager,
        plan=rich_plan,
        title="PAC Nord 2027 – S2",
        period_start=date(2027, 7, 1),
        period_end=date(2027, 12, 31),
    )
    assert copy.parent == rich_plan
    assert copy.status == Plan.Status.DRAFT
    assert (copy.strategy, copy.budget_envelope) == ("Stratégie S1", Decimal("40000.00"))
    assert list(copy.swot_items.values_list("text", flat=True)) == ["Force"]
    assert list(copy.competitors.values_list("name", flat=True)) == ["Cap Numérique"]
    target = copy.targets.get()
    assert target.name == "PME" and target.pk != rich_plan.targets.get().pk
    objective = Objective.objects.get(target=target)
    # 01/01 → 01/07 is 181 days; 30/06 + 181 days = 28/12.
    assert objective.deadline == date(2027, 12, 28)
    assert objective.owner == world.rep

    action = Action.objects.get(target=target)
    # 01/02 + 181 days = 01/08; 31/03 + 181 days = 28/09.
    assert (action.start_date, action.end_date) == (date(2027, 8, 1), date(2027, 9, 28))
    assert (action.status, action.progress, action.occurrences_done) == ("planned", 0, 0)
    assert action.occurrences_planned == 12
    assert (action.budget_planned, action.budget_actual) == (Decimal("3000.00"), Decimal("0.00"))
    assert list(action.participants.all()) == [world.other_rep]
    assert list(action.objectives.all()) == [objective]
    step = ActionStep.objects.get(action=action)
    assert (step.title, step.due_date, step.done) == ("Appels", date(2027, 8, 15), False)

    kpis = Kpi.objects.filter(action=action) | Kpi.objects.filter(objective=objective)
    assert sorted(kpis.values_list("name", flat=True)) == ["Nouveaux clients", "Rendez-vous"]
    # Measured by the copy of its KPI, not by the KPI of the plan it came from.
    assert objective.measure_kpi == Kpi.objects.get(objective=objective)
    assert not KpiValue.objects.filter(kpi__in=kpis).exists()
    assert not copy.deals.exists()
    assert not copy.reviews.exists()

    # The original is untouched.
    original = Action.objects.get(target__plan=rich_plan)
    assert (original.progress, original.occurrences_done) == (60, 7)
    assert KpiValue.objects.count() == 1


def test_duplication_into_a_shorter_period_keeps_dates_inside_it(world, rich_plan):
    copy = services.plan_duplicate(
        actor=world.manager,
        plan=rich_plan,
        title="T3 2027",
        period_start=date(2027, 7, 1),
        period_end=date(2027, 9, 30),
    )
    objective = Objective.objects.get(target__plan=copy)
    assert objective.deadline == date(2027, 9, 30)  # 28/12 clipped to the period's end
    for action in Action.objects.of_plan(copy):
        action.full_clean()


def test_duplication_is_for_managers(world, rich_plan):
    with pytest.raises(PermissionDenied):
        services.plan_duplicate(
            actor=world.rep,
            plan=rich_plan,
            title="Copie",
            period_start=date(2027, 7, 1),
            period_end=date(2027, 12, 31),
        )
    assert Plan.objects.filter(team=world.team).count() == 1


def test_a_closed_plan_can_still_be_rolled_over(world, rich_plan):
    rich_plan.status = Plan.Status.CLOSED
    rich_plan.save()
    copy = services.plan_duplicate(
        actor=world.manager,
        plan=rich_plan,
        title="Suite",
        period_start=date(2027, 7, 1),
        period_end=date(2027, 12, 31),
    )
    assert copy.status == Plan.Status.DRAFT


def test_deleting_a_plan_removes_what_it_holds(world, rich_plan):
    services.plan_delete(actor=world.manager, plan=rich_plan)
    assert not Plan.objects.filter(pk=rich_plan.pk).exists()
    assert not Target.objects.exists()
    assert not Action.objects.exists()
    assert not KpiValue.objects.exists()
