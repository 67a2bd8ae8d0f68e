"""Objectives with their progress: actual figure, attainment, expected pace and standing."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, OuterRef, Subquery, Sum

from kpis.models import KpiValue
from targets import progress
from targets.models import Deal, Objective


@dataclass
class ObjectiveProgress:
    objective: Objective
    actual: Decimal | None
    attainment: Decimal | None
    expected: Decimal
    standing: str
    measured_on: object = None


def won_totals(plan):
    """Amount and number of won deals per (target, owner) of the plan: one grouped query."""
    rows = (
        Deal.objects.filter(plan=plan, stage=Deal.Stage.WON)
        .values("target", "owner")
        .annotate(amount=Sum("amount"), count=Count("pk"))
        .values_list("target", "owner", "amount", "count")
    )
    return {(target, owner): (amount, count) for target, owner, amount, count in rows}


def measure(objective, won):
    """The objective's actual figure, from its KPI or from the deals won."""
    if objective.kind != Objective.Kind.QUANTITATIVE:
        return None
    if objective.measured_by == Objective.Measure.KPI:
        return objective.kpi_latest
    index = 0 if objective.measured_by == Objective.Measure.WON_AMOUNT else 1
    total = sum(
        (
            Decimal(figures[index] or 0)
            for (target, owner), figures in won.items()
            if target == objective.target_id
            and (objective.owner_id is None or owner == objective.owner_id)
        ),
        Decimal(0),
    )
    return Decimal(objective.baseline or 0) + total


def with_latest_kpi_value(objectives, today):
    """Annotate each objective with the latest value of its first KPI recorded by `today`, and
    the day it was recorded."""
    latest = KpiValue.objects.filter(
        kpi__objective=OuterRef("pk"), recorded_on__lte=today
    ).order_by("kpi_id", "-recorded_on")
    return objectives.annotate(
        kpi_latest=Subquery(latest.values("value")[:1]),
        kpi_latest_on=Subquery(latest.values("recorded_on")[:1]),
    )


def objectives_progress(plan, objectives, today):
    """Progress of the given objectives of a plan, as of `today`: two queries in all."""
    won = won_totals(plan)
    result = []
    for objective in with_latest_kpi_value(objectives, today).select_related("target", "owner"):
        actual = measure(objective, won)
        reached = progress.attainment(objective.baseline, objective.target_value, actual)
        # A KPI figure is compared with the pace expected on the day it was measured.
        measured_on = (
            objective.kpi_latest_on
            if objective.measured_by == Objective.Measure.KPI and objective.kpi_latest_on
            else today
        )
        due = progress.expected(
            plan.period_start, objective.deadline or plan.period_end, measured_on
        )
        standing = (
            progress.standing(reached, due)
            if objective.kind == Objective.Kind.QUANTITATIVE
            else progress.Standing.UNMEASURED
        )
        result.append(ObjectiveProgress(objective, actual, reached, due, standing, measured_on))
    return result
