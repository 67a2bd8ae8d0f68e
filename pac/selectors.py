"""Reads that span the apps: what the plan overview and the PACI show.

Each function runs a fixed number of queries whatever the size of the plan; tests pin them.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q

from actions.models import Action, ActionStep
from pac.models import SwotItem
from targets.models import Deal, Objective

ZERO = Decimal("0")


@dataclass
class BudgetLine:
    label: str
    planned: Decimal = ZERO
    actual: Decimal = ZERO

    @property
    def overrun(self):
        return max(self.actual - self.planned, ZERO)


@dataclass
class DomainGroup:
    domain: str
    label: str
    actions: list = field(default_factory=list)
    budget: BudgetLine = None


def group_by_domain(actions):
    """Actions in the three domains of DOMAIN.md, in their order, each with its budget subtotal."""
    groups = {
        value: DomainGroup(value, label, [], BudgetLine(label))
        for value, label in Action.Domain.choices
    }
    for action in actions:
        group = groups[action.domain]
        group.actions.append(action)
        group.budget.planned += action.budget_planned
        group.budget.actual += action.budget_actual
    return list(groups.values())


def plan_actions(plan):
    """The plan's actions with what a list shows: target, owner, participants, steps done."""
    return (
        Action.objects.of_plan(plan)
        .select_related("target", "owner")
        .prefetch_related("participants")
        .annotate(
            steps_total=Count("steps", distinct=True),
            steps_done=Count("steps", filter=Q(steps__done=True), distinct=True),
        )
        .order_by("domain", "start_date", "order", "pk")
    )


def plan_overview(plan):
    """Every section of a plan, in the order of the printed document."""
    swot = {value: [] for value in SwotItem.Quadrant.values}
    for item in plan.swot_items.all():
        swot[item.quadrant].append(item)

    domains = group_by_domain(plan_actions(plan))
    total = BudgetLine(plan.title)
    for group in domains:
        total.planned += group.budget.planned
        total.actual += group.budget.actual

    deals = plan.deals.select_related("owner", "target")
    return {
        "strategy_sections": [
            (plan._meta.get_field(name).verbose_name, getattr(plan, name))
            for name in ("strategy", "ambitions", "segmentation", "company_goals")
        ],
        "swot": [(value, label, swot[value]) for value, label in SwotItem.Quadrant.choices],
        "competitors": list(plan.competitors.all()),
        "targets": list(
            plan.targets.prefetch_related(
                Prefetch("objectives", queryset=Objective.objects.select_related("owner"))
            )
        ),
        "domains": domains,
        "action_count": sum(len(group.actions) for group in domains),
        "budget_total": total,
        "budget_remaining": plan.budget_envelope - total.planned,
        "deals": list(deals),
        "deals_weighted_total": deals.weighted_total(),
        "latest_review": plan.reviews.first(),
    }


def rep_paci(plan, rep):
    """One rep's share of a plan: objectives they own, actions they run or join, their deals."""
    actions = (
        Action.objects.of_plan(plan)
        .filter(
            Q(owner=rep)
            | Q(pk__in=Action.participants.through.objects.filter(user=rep).values("action"))
        )
        .select_related("target", "owner")
        .prefetch_related(
            Prefetch("steps", queryset=ActionStep.objects.select_related("owner")),
        )
        .order_by("end_date", "start_date", "pk")
    )
    deals = Deal.objects.filter(plan=plan, owner=rep)
    return {
        "objectives": list(
            Objective.objects.filter(target__plan=plan, owner=rep).select_related("target")
        ),
        "actions": list(actions),
        "deals": list(deals),
        "deals_weighted_total": deals.weighted_total(),
    }
