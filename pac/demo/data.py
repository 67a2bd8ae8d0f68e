"""The demo: a French IT services company's sales plan for the current semester.

Dates are placed relative to the semester that holds the day the demo is built, so the PACI always
shows work due this week and a few late actions, whatever the date.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from actions.models import Action, ActionStep
from kpis.models import Kpi, KpiValue
from pac.core.models import Membership, Plan, Team, User
from pac.demo import together
from pac.demo.diagnosis import build_figures
from pac.demo.measures import build_kpis
from pac.demo.rows import euros, saved
from pac.demo.texts import (
    ACTIONS,
    COMPETITORS,
    DEALS,
    DEMO_PASSWORD,
    DEMO_TEAM,
    OBJECTIVES,
    OTHER_TEAM,
    PEOPLE,
    REVIEWS,
    STRATEGY,
    SWOT,
    TARGETS,
)
from pac.plans.models import Competitor, SwotItem
from pac.steering.models import Review
from pac.steering.selectors import snapshot
from targets.models import Deal, Objective, Target


def semester_of(day):
    """The first and last day of the semester holding a date."""
    if day.month <= 6:
        return date(day.year, 1, 1), date(day.year, 6, 30)
    return date(day.year, 7, 1), date(day.year, 12, 31)


def demo_exists():
    return Team.objects.filter(name=DEMO_TEAM).exists()


@transaction.atomic
def build_demo(today):
    """Create the demo teams, people and plans. Returns the main plan."""
    users = {}
    teams = {name: Team.objects.create(name=name) for name in (DEMO_TEAM, OTHER_TEAM)}
    for username, first, last, team, role in PEOPLE:
        user = User.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            email=f"{username}@numeria.example",
        )
        users[username] = user
        Membership.objects.create(team=teams[team], user=user, role=role)
    users["admin"] = User.objects.create_superuser(
        username="admin",
        password=DEMO_PASSWORD,
        email="admin@numeria.example",
        first_name="Admin",
        last_name="PAC",
    )
    plan = build_main_plan(teams[DEMO_TEAM], users, today)
    sign_history(users["manager"])
    build_other_plan(teams[OTHER_TEAM], users, today)
    sign_history(users["manager2"])
    return plan


PLAN_MODELS = [
    Plan,
    SwotItem,
    Competitor,
    Review,
    Target,
    Objective,
    Deal,
    Action,
    ActionStep,
    Kpi,
    KpiValue,
]


def sign_history(manager):
    """The history says the team's manager wrote the plan, as they would have."""
    for model in PLAN_MODELS:
        model.history.filter(history_user__isnull=True).update(history_user=manager)


def build_main_plan(team, users, today):
    start, end = semester_of(today)
    half = "S1" if start.month == 1 else "S2"
    plan = saved(
        Plan(
            team=team,
            title=f"PAC {start.year} – {half} · Numéria Services Île-de-France",
            period_start=start,
            period_end=end,
            status=Plan.Status.ACTIVE,
            budget_envelope=euros(140000),
            **STRATEGY,
        )
    )
    build_diagnosis(plan)
    targets, objectives = build_targets(plan, users)
    build_figures(plan, targets, users["manager"])
    objectives_by_target = {}
    for objective in objectives:
        objectives_by_target.setdefault(objective.target_id, []).append(objective)
    actions = [
        build_action(plan, targets, objectives_by_target, users, today, order, *row)
        for order, row in enumerate(ACTIONS)
    ]
    build_kpis(plan, actions, objectives, users, today)
    build_deals(plan, targets, users)
    build_reviews(plan, users, today)
    together.build_split(plan, users)
    together.build_proposals(plan, users, today)
    together.build_signatures(plan, users, today)
    return plan


def build_diagnosis(plan):
    for quadrant, texts in SWOT.items():
        for order, text in enumerate(texts):
            saved(SwotItem(plan=plan, quadrant=quadrant, text=text, order=order))
    for order, (name, strengths, weaknesses, positioning, threat) in enumerate(COMPETITORS):
        saved(
            Competitor(
                plan=plan,
                name=name,
                strengths=strengths,
                weaknesses=weaknesses,
                positioning=positioning,
                threat=threat,
                order=order,
            )
        )


def build_targets(plan, users):
    """The targets and their objectives."""
    targets = {}
    for order, (key, (kind, name, priority, rationale)) in enumerate(TARGETS.items()):
        targets[key] = saved(
            Target(
                plan=plan, kind=kind, name=name, priority=priority, rationale=rationale, order=order
            )
        )
    objectives = []
    for order, (key, kind, title, metric, unit, baseline, value, owner, measure) in enumerate(
        OBJECTIVES
    ):
        objective = Objective(
            target=targets[key],
            kind=kind,
            title=title,
            metric=metric,
            unit=unit,
            baseline=None if baseline is None else Decimal(baseline),
            target_value=None if value is None else Decimal(value),
            deadline=plan.period_end if kind == "quantitative" else None,
            measured_by=measure,
            owner=users[owner],
            order=order,
        )
        objectives.append(saved(objective))
    return targets, objectives


def build_deals(plan, targets, users):
    for company, contact, nature, amount, probability, stage, day, owner, key in DEALS:
        saved(
            Deal(
                plan=plan,
                target=targets[key],
                milestone_date=min(plan.period_start + timedelta(days=day), plan.period_end),
                company=company,
                contact=contact,
                nature=nature,
                amount=euros(amount),
                probability=probability,
                stage=stage,
                owner=users[owner],
            )
        )


def build_reviews(plan, users, today):
    team = [users["manager"], users["rep1"], users["rep2"], users["rep3"]]
    for days_ago, findings, decisions in REVIEWS:
        review_day = max(plan.period_start, today - timedelta(days=days_ago))
        review = saved(
            Review(
                plan=plan,
                held_on=review_day,
                other_attendees="Directeur général",
                findings=findings,
                decisions=decisions,
                snapshot=snapshot(plan, review_day),
            )
        )
        review.attendees.set(team)


def build_action(
    plan, targets, objectives_by_target, users, today, order,
    key, domain, sales_type, title, owner, participants, start_day, length,
    budget, spent_share, occurrences, late, means, steps,
):  # fmt: skip
    start = plan.period_start + timedelta(days=start_day)
    end = min(start + timedelta(days=length), plan.period_end)
    if late and end >= today:
        # A late action must have ended before today while still open.
        end = max(start, today - timedelta(days=5))
    if end < today and not late:
        status, progress = Action.Status.DONE, 100
    elif start <= today:
        elapsed = (min(today, end) - start).days
        status = Action.Status.IN_PROGRESS
        progress = min(90, round(100 * elapsed / max((end - start).days, 1)))
        if late:
            progress = min(progress, 60)
    else:
        status, progress = Action.Status.PLANNED, 0
    done_share = progress / 100
    action = saved(
        Action(
            target=targets[key],
            domain=domain,
            sales_type=sales_type,
            title=title,
            description=f"{title} : action du plan sur la cible « {targets[key].name} ».",
            means=means,
            budget_planned=euros(budget),
            budget_actual=euros(round(budget * spent_share * done_share)),
            owner=users[owner],
            start_date=start,
            end_date=end,
            occurrences_planned=occurrences,
            occurrences_done=round((occurrences or 0) * done_share),
            status=status,
            progress=progress,
            order=order,
        )
    )
    action.participants.set([users[name] for name in participants])
    action.objectives.set(objectives_by_target.get(targets[key].pk, [])[:1])
    span = max((end - start).days, 1)
    for index, step_title in enumerate(steps, start=1):
        due = start + timedelta(days=round(span * index / len(steps)))
        saved(
            ActionStep(
                action=action,
                title=step_title,
                owner=users[owner],
                due_date=due,
                done=due < today and not (late and index == len(steps)),
                order=index,
            )
        )
    return action


def build_other_plan(team, users, today):
    """The second team's smaller plan: there so that isolation between teams can be seen."""
    start, end = semester_of(today)
    plan = saved(
        Plan(
            team=team,
            title=f"PAC {start.year} · Numéria Services Auvergne-Rhône-Alpes",
            period_start=start,
            period_end=end,
            status=Plan.Status.ACTIVE,
            budget_envelope=euros(45000),
            strategy="Ouvrir l'agence de Lyon au marché des PME de la vallée de la chimie.",
        )
    )
    saved(
        SwotItem(
            plan=plan, quadrant=SwotItem.Quadrant.STRENGTH, text="Équipe lyonnaise expérimentée"
        )
    )
    saved(
        SwotItem(plan=plan, quadrant=SwotItem.Quadrant.THREAT, text="Concurrence locale installée")
    )
    target = saved(
        Target(
            plan=plan,
            kind=Target.Kind.SEGMENT,
            name="PME de la chimie lyonnaise",
            priority=Target.Priority.HIGH,
        )
    )
    saved(
        Action(
            target=target,
            domain=Action.Domain.SALES,
            sales_type=Action.SalesType.HUNTING,
            title="Prospection de la vallée de la chimie",
            owner=users["rep4"],
            budget_planned=euros(5000),
            start_date=start + timedelta(days=10),
            end_date=end - timedelta(days=10),
        )
    )
    saved(
        Deal(
            plan=plan,
            target=target,
            milestone_date=end - timedelta(days=20),
            company="Chimie Rhodanienne",
            nature="Infogérance",
            amount=euros(30000),
            probability=40,
            stage=Deal.Stage.PROPOSAL,
            owner=users["rep4"],
        )
    )
    return plan
