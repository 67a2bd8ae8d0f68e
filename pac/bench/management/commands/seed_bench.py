"""A deterministic dataset at scale for benchmarks: `small` is a tenth of `large`."""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from actions.models import Action, ActionStep
from kpis.models import Kpi, KpiValue
from pac.core.models import Membership, Plan, Role, Team, User
from pac.diagnosis.models import ClientFigure, OfferFigure, OfferSegmentFigure
from pac.plans.models import SwotItem
from targets.models import Deal, Objective, Target

SIZES = {
    # teams, users, plans, actions of the big plan, steps per action, KPIs, values each, deals
    "large": {
        "teams": 40,
        "users": 400,
        "plans": 120,
        "actions": 1000,
        "kpis": 2000,
        "deals": 5000,
        "clients": 2000,
    },
    "small": {
        "teams": 4,
        "users": 40,
        "plans": 12,
        "actions": 100,
        "kpis": 200,
        "deals": 500,
        "clients": 200,
    },
}
STEPS_PER_ACTION = 3
VALUES_PER_KPI = 24
BENCH_PASSWORD = "bench"


def bench_period(today):
    """The twelve months that end with the current one: the big plan is under way, with work
    done, due and late, as a plan is when people open it. Same shape whatever the day."""
    end = (today.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    start = date(end.year, 1, 1) if end.month == 12 else date(end.year - 1, end.month + 1, 1)
    return start, end


class Command(BaseCommand):
    help = "Build the benchmark dataset (--size small|large) in an empty database."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="small")

    def handle(self, *args, size, **options):
        if Team.objects.filter(name__startswith="Bench ").exists():
            raise CommandError(
                "The benchmark data is already loaded; start from an empty database."
            )
        counts = build(SIZES[size], *bench_period(timezone.localdate()))
        if connection.vendor == "postgresql":
            # In use, autovacuum keeps the planner's statistics; right after a bulk load it has
            # not run yet and the planner guesses (a scan of every KPI per objective, say).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"Benchmark data ({size}): {counts}"))


@transaction.atomic
def build(size, start, end):
    """Teams of ten people (one manager, eight reps, one viewer), three plans each; the first
    team's first plan is the big one, with every action, KPI and deal of the dataset."""
    teams, users, memberships = build_people(size)
    plans = build_plans(teams, size["plans"] // size["teams"], start, end)
    big = plans[0]
    reps = [m.user for m in memberships if m.team_id == big.team_id and m.role == Role.REP]
    targets, objectives = build_strategy(big, reps, end)
    actions = build_actions(targets, reps, start, size["actions"])
    kpis = build_kpis(actions, objectives, size["kpis"])
    measure_objectives(objectives, kpis)
    build_values(kpis, start)
    build_deals(big, targets, reps, start, size["deals"])
    build_figures(big, size["clients"])
    return {
        "teams": len(teams),
        "users": len(users),
        "plans": len(plans),
        "actions": len(actions),
        "steps": len(actions) * STEPS_PER_ACTION,
        "kpis": len(kpis),
        "values": len(kpis) * VALUES_PER_KPI,
        "deals": size["deals"],
        "clients": size["clients"],
    }


def build_people(size):
    """The teams, their users and who is what in each: the first of a team manages it, the last
    views it, the others are reps."""
    password = make_password(BENCH_PASSWORD)  # hashed once, shared: these are test accounts
    teams = Team.objects.bulk_create(Team(name=f"Bench {i:03}") for i in range(size["teams"]))
    users = User.objects.bulk_create(
        User(
            username=f"bench{i:04}",
            first_name="Bench",
            last_name=f"{i:04}",
            password=password,
            email=f"bench{i:04}@example.com",
        )
        for i in range(size["users"])
    )
    per_team = size["users"] // size["teams"]
    memberships = []
    for index, user in enumerate(users):
        position = index % per_team
        role = (
            Role.MANAGER if position == 0 else Role.VIEWER if position == per_team - 1 else Role.REP
        )
        memberships.append(Membership(team=teams[index // per_team], user=user, role=role))
    Membership.objects.bulk_create(memberships)
    return teams, users, memberships


def build_plans(teams, per_team, start, end):
    return Plan.objects.bulk_create(
        Plan(
            team=team,
            title=f"Plan {team.name} {p}",
            period_start=start,
            period_end=end,
            status=Plan.Status.ACTIVE,
            budget_envelope=Decimal("2000000"),
            strategy="Stratégie",
        )
        for team in teams
        for p in range(per_team)
    )


def build_strategy(big, reps, end):
    """The big plan's diagnosis (a SWOT of five items a quadrant), its ten targets and twenty
    objectives."""
    SwotItem.objects.bulk_create(
        SwotItem(plan=big, quadrant=q, text=f"{q} {i}", order=i)
        for q in SwotItem.Quadrant.values
        for i in range(5)
    )
    targets = Target.objects.bulk_create(
        Target(plan=big, kind="segment", name=f"Cible {i}", priority=1 + i % 3) for i in range(10)
    )
    objectives = Objective.objects.bulk_create(
        Objective(
            target=targets[i % 10],
            title=f"Objectif {i}",
            metric="CA",
            unit="€",
            baseline=Decimal("0"),
            target_value=Decimal("100000"),
            deadline=end,
            owner=reps[i % len(reps)],
        )
        for i in range(20)
    )
    return targets, objectives


def build_figures(big, clients):
    """The big plan's figures: `clients` clients over four segments, a long tail of small ones
    (a Pareto of sorts), five offer lines and their sales in each segment."""
    ClientFigure.objects.bulk_create(
        ClientFigure(
            plan=big,
            name=f"Client {i}",
            segment=f"Segment {i % 4}",
            sales=Decimal(1_000_000 // (i + 1)),
            margin=Decimal(1_000_000 // (i + 1) * (10 + i % 30) // 100),
        )
        for i in range(clients)
    )
    OfferFigure.objects.bulk_create(
        OfferFigure(
            plan=big,
            name=f"Offre {i}",
            sales=Decimal(500_000 * (i + 1)),
            margin=Decimal(100_000 * (5 - i)),
            market_share=Decimal(6 * i + 3),
        )
        for i in range(5)
    )
    OfferSegmentFigure.objects.bulk_create(
        OfferSegmentFigure(
            plan=big,
            offer=f"Offre {i}",
            segment=f"Segment {j}",
            sales=Decimal(100_000 * (i + j + 1)),
            margin=Decimal(10_000 * (i + 2 * j + 1)),
        )
        for i in range(5)
        for j in range(4)
    )


def build_actions(targets, reps, start, count):
    """`count` actions spread over the targets and the reps, each with its steps."""
    actions = Action.objects.bulk_create(
        Action(
            target=targets[i % 10],
            domain="sales",
            sales_type="hunting",
            title=f"Action {i:04}",
            owner=reps[i % len(reps)],
            start_date=start + timedelta(days=i % 300),
            end_date=start + timedelta(days=i % 300 + 30),
            budget_planned=Decimal("1000"),
            occurrences_planned=10,
        )
        for i in range(count)
    )
    ActionStep.objects.bulk_create(
        ActionStep(
            action=action,
            title=f"Étape {j}",
            order=j,
            owner=action.owner,
            due_date=action.start_date + timedelta(days=10 * j),
        )
        for action in actions
        for j in range(STEPS_PER_ACTION)
    )
    return actions


def build_kpis(actions, objectives, count):
    """`count` KPIs: one in ten measures an objective, the others an action."""
    return Kpi.objects.bulk_create(
        Kpi(
            action=actions[i % len(actions)],
            name=f"KPI {i:04}",
            unit="rdv",
            target_value=Decimal("24"),
            owner=actions[i % len(actions)].owner,
        )
        if i % 10
        else Kpi(
            objective=objectives[i % 20],
            name=f"KPI {i:04}",
            unit="€",
            target_value=Decimal("100000"),
            owner=objectives[i % 20].owner,
        )
        for i in range(count)
    )


def measure_objectives(objectives, kpis):
    # Each objective measured by its first KPI, as the objectives of a plan under way are.
    first = {}
    for kpi in kpis:
        if kpi.objective_id:
            first.setdefault(kpi.objective_id, kpi)
    for objective in objectives:
        objective.measured_by, objective.measure_kpi = "kpi", first.get(objective.pk)
    Objective.objects.bulk_update(objectives, ["measured_by", "measure_kpi"])


def build_values(kpis, start):
    """VALUES_PER_KPI values of each KPI, one every 14 days from the start of the period."""
    KpiValue.objects.bulk_create(
        (
            KpiValue(
                kpi=kpi,
                recorded_on=start + timedelta(days=14 * j),
                value=Decimal(j),
                recorded_by=kpi.owner,
            )
            for kpi in kpis
            for j in range(VALUES_PER_KPI)
        ),
        batch_size=5000,
    )


def build_deals(big, targets, reps, start, count):
    Deal.objects.bulk_create(
        (
            Deal(
                plan=big,
                target=targets[i % 10],
                company=f"Client {i:05}",
                amount=Decimal(1000 + i % 50 * 100),
                probability=i % 100,
                milestone_date=start + timedelta(days=i % 360),
                owner=reps[i % len(reps)],
                stage="proposal",
            )
            for i in range(count)
        ),
        batch_size=2000,
    )
