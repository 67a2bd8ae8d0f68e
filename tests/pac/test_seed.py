"""`manage.py seed_demo` builds the demo once, by the rules, and never in production by mistake."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from actions.models import Action, ActionStep
from kpis.models import Kpi, KpiValue
from pac.core.models import Membership, Plan, Team, User
from pac.demo.data import build_demo, semester_of
from pac.diagnosis.analysis import HARVEST, INVEST, SELECT
from pac.diagnosis.selectors import diagnosis_data
from pac.plans.models import Competitor, SwotItem
from pac.proposals.models import Proposal
from pac.steering.selectors import paci_actions, paci_objectives
from pac.steering.signatures import paci_signature
from targets.models import Deal, Objective, Target
from tests.pac.factories import PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def development(settings):
    """pytest-django runs with DEBUG off; the demo is for development machines."""
    settings.DEBUG = True


def test_the_demo_holds_every_part_of_a_plan():
    call_command("seed_demo")
    assert set(Team.objects.values_list("name", flat=True)) == {
        "Ventes Île-de-France",
        "Ventes Auvergne-Rhône-Alpes",
    }
    plan = Plan.objects.get(team__name="Ventes Île-de-France")
    assert plan.status == Plan.Status.ACTIVE
    assert plan.strategy and plan.ambitions and plan.segmentation and plan.company_goals
    assert SwotItem.objects.filter(plan=plan).values("quadrant").distinct().count() == 4
    assert Competitor.objects.filter(plan=plan).count() == 3
    targets = Target.objects.filter(plan=plan)
    assert targets.count() == 4
    assert targets.values("kind").distinct().count() == 4
    objectives = Objective.objects.filter(target__plan=plan)
    assert {"quantitative", "qualitative"} == set(objectives.values_list("kind", flat=True))
    actions = Action.objects.of_plan(plan)
    assert actions.count() == 31  # thirty, and the proposal accepted
    assert set(actions.values_list("domain", flat=True)) == {"information", "internal", "sales"}
    assert set(actions.exclude(sales_type="").values_list("sales_type", flat=True)) == {
        "notoriety",
        "hunting",
        "farming",
    }
    assert ActionStep.objects.filter(action__target__plan=plan).count() >= 60
    assert Kpi.objects.filter(action__target__plan=plan).exists()
    assert Kpi.objects.filter(objective__target__plan=plan).exists()
    assert Deal.objects.filter(plan=plan).count() == 12
    assert plan.reviews.count() == 2
    assert all(review.snapshot["objectives"] for review in plan.reviews.all())


def test_the_demo_plan_chose_its_targets_from_its_diagnosis():
    """About twenty clients in the plan's segments, five offer lines on the three readings of
    the attractiveness–strength matrix, an offers × segments matrix with empty cells; every
    client target is an A-class client of the figures, and every target says where in the
    diagnosis it was chosen."""
    call_command("seed_demo")
    plan = Plan.objects.get(team__name="Ventes Île-de-France")
    data = diagnosis_data(plan)
    clients = {item.name: item for item in data["client_rows"]}
    assert len(clients) == 20
    assert len(data["offer_rows"]) == 5
    assert {bubble.reading for bubble in data["mckinsey"].bubbles} == {INVEST, SELECT, HARVEST}
    assert not data["mckinsey"].unplaced
    matrix = data["matrix"]
    assert len(matrix.offers) == 5 and len(matrix.segments) == 4
    assert 0 < len(matrix.offers) * len(matrix.segments) - len(matrix.cells) <= 4
    assert {item.row.segment for item in data["client_rows"]} == set(matrix.segments)
    # The tables agree: each offer line is its row of the matrix, each segment its clients.
    for item in data["offer_rows"]:
        total = matrix.offer_totals[item.name]
        assert (item.row.sales, item.row.margin) == (total.sales, total.margin), item.name
    for segment, total in matrix.segment_totals.items():
        rows = [item.row for item in data["client_rows"] if item.row.segment == segment]
        assert sum(row.sales for row in rows) == total.sales, segment
        assert sum(row.margin for row in rows) == total.margin, segment
    assert data["clients_abc"].of("A").count <= 8  # Pareto: a few clients make 80 %
    targets = Target.objects.filter(plan=plan)
    client_targets = targets.filter(kind=Target.Kind.CLIENT)
    assert client_targets.exists()
    for target in client_targets:
        assert target.name in clients, target.name
        assert clients[target.name].klass == "A", target.name
        assert target.origin == Target.Origin.CLIENTS
    assert set(targets.values_list("origin", flat=True)) == {
        Target.Origin.CLIENTS,
        Target.Origin.CROSSED,
        Target.Origin.OFFERS_SEGMENTS,
        Target.Origin.MCKINSEY,
    }
    assert all(target.origin_note for target in targets)
    [cell] = [
        cell
        for (offer, segment), cell in matrix.cells.items()
        if f"{offer} × {segment}".casefold()
        == targets.get(kind=Target.Kind.PRODUCT_SEGMENT).name.casefold()
    ]
    assert cell.sales > 0
    product = targets.get(kind=Target.Kind.PRODUCT).name.casefold()
    [bubble] = [b for b in data["mckinsey"].bubbles if b.offer.name.casefold() in product]
    assert bubble.reading == SELECT  # a young line with a high margin and a small share


def test_the_demo_accounts_sign_in_with_the_demo_password():
    call_command("seed_demo")
    for username in ["manager", "rep1", "rep2", "rep3", "viewer", "manager2", "rep4", "admin"]:
        assert User.objects.get(username=username).check_password("demo"), username
    assert User.objects.get(username="admin").is_staff
    assert Membership.objects.get(user__username="viewer").role == "viewer"


def test_the_demo_is_idempotent():
    call_command("seed_demo")
    counts = (Plan.objects.count(), Action.objects.count(), KpiValue.objects.count())
    call_command("seed_demo")
    assert (Plan.objects.count(), Action.objects.count(), KpiValue.objects.count()) == counts


def test_if_empty_leaves_a_database_with_plans_alone():
    PlanFactory()
    call_command("seed_demo", "--if-empty")
    assert Plan.objects.count() == 1
    assert not Team.objects.filter(name="Ventes Île-de-France").exists()


def test_the_demo_refuses_to_run_in_production_unless_told(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("seed_demo")
    assert not Plan.objects.exists()
    call_command("seed_demo", "--allow-production")
    assert Plan.objects.count() == 2


@pytest.mark.parametrize(
    ("today", "start", "end"),
    [
        (date(2026, 11, 27), date(2026, 7, 1), date(2026, 12, 31)),
        (date(2027, 1, 1), date(2027, 1, 1), date(2027, 6, 30)),
        (date(2027, 6, 30), date(2027, 1, 1), date(2027, 6, 30)),
        (date(2028, 2, 29), date(2028, 1, 1), date(2028, 6, 30)),
    ],
)
def test_the_demo_plan_covers_the_current_semester(today, start, end):
    assert semester_of(today) == (start, end)


@pytest.mark.parametrize("today", [date(2027, 1, 2), date(2027, 4, 15), date(2027, 6, 29)])
def test_the_demo_obeys_every_rule_whatever_the_day(today):
    """build_demo validates every row; at the start, middle or end of a semester it still fits."""
    plan = build_demo(today)
    assert plan.period_start == date(2027, 1, 1)
    late = Action.objects.of_plan(plan).filter(end_date__lt=today).exclude(status="done")
    if today > date(2027, 4, 1):
        assert late.exists(), "the PACI shows late actions"
    total = sum(Action.objects.of_plan(plan).values_list("budget_planned", flat=True), Decimal(0))
    assert total <= plan.budget_envelope


def test_the_demo_plan_was_built_with_the_reps(settings):
    """A team objective split between the three reps with a gap left, two proposals waiting (one
    from rep1), one accepted, one declined with its reason, one PACI signed and one changed
    since its signature."""
    call_command("seed_demo")
    plan = Plan.objects.get(team__name="Ventes Île-de-France")
    [split] = [o for o in Objective.objects.of_plan(plan).of_team() if o.shares.exists()]
    shares = {share.owner.username: share.target_value for share in split.shares.all()}
    assert shares == {"rep1": 120000, "rep2": 110000, "rep3": 50000}
    assert split.target_value - sum(shares.values()) == 20000
    proposals = plan.proposals.all()
    waiting = proposals.filter(state=Proposal.State.WAITING)
    assert waiting.count() == 2 and waiting.filter(author__username="rep1").exists()
    assert proposals.filter(state=Proposal.State.ACCEPTED).get().created_action is not None
    assert proposals.filter(state=Proposal.State.DECLINED).get().reason
    states = {
        rep: paci_signature(
            plan,
            User.objects.get(username=rep),
            paci_objectives(plan, User.objects.get(username=rep), timezone.localdate())[
                "objectives"
            ],
            paci_actions(plan, User.objects.get(username=rep), timezone.localdate())["buckets"],
        )
        for rep in ("rep1", "rep2", "rep3")
    }
    assert states["rep2"].signature and not states["rep2"].changed
    assert states["rep1"].signature and states["rep1"].changed
    assert states["rep3"].signature is None
