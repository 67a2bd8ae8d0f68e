"""KPIs with their recorded values, for check-ins, charts and the cockpit."""

from decimal import Decimal

from django.db.models import Prefetch, Q

from kpis.models import Kpi, KpiValue
from targets import progress


def plan_kpis(plan):
    """Every KPI of a plan, whether it follows an action or an objective."""
    return Kpi.objects.filter(Q(action__target__plan=plan) | Q(objective__target__plan=plan))


def with_values(kpis, plan, today):
    """KPIs with their values up to `today` in date order, the latest one and their standing.

    One query for the KPIs and one for all their values, whatever their number.
    """
    values = (
        KpiValue.objects.filter(recorded_on__lte=today)
        .select_related("recorded_by")
        .order_by("recorded_on")
    )
    kpis = list(
        kpis.select_related("owner", "action", "objective").prefetch_related(
            Prefetch("values", queryset=values, to_attr="series")
        )
    )
    for kpi in kpis:
        kpi.latest = kpi.series[-1] if kpi.series else None
        kpi.attainment, kpi.expected, kpi.standing = kpi_standing(kpi, plan)
    return kpis


def horizon(kpi, plan):
    """The dates a KPI's target is meant for: its action's, else the plan's period."""
    action = kpi.action
    if action is not None and action.start_date and action.end_date:
        return action.start_date, action.end_date
    deadline = kpi.objective.deadline if kpi.objective is not None else None
    return plan.period_start, deadline or plan.period_end


# A "lower is better" KPI within this share above its target is at risk, beyond it off track.
DECREASE_TOLERANCE = Decimal("0.10")


def kpi_standing(kpi, plan):
    """(attainment %, expected %, standing) of a KPI from its latest value.

    Higher is better: the latest value against the target, from zero (or from the baseline of the
    objective it measures), compared with the pace expected over the KPI's horizon on the day it
    was measured (7 of 12 visits halfway through is on track). Lower is better: at or under the
    target is on track, up to 10 % above at risk, beyond off track.
    """
    if kpi.latest is None:
        return None, None, progress.Standing.UNMEASURED
    value, target = kpi.latest.value, kpi.target_value
    if kpi.direction == Kpi.Direction.DECREASE:
        if value <= target:
            return None, None, progress.Standing.ON_TRACK
        if value <= target * (1 + DECREASE_TOLERANCE):
            return None, None, progress.Standing.AT_RISK
        return None, None, progress.Standing.OFF_TRACK
    # A KPI that measures an objective starts from the objective's baseline, like the objective.
    baseline = kpi.objective.baseline if kpi.objective is not None else 0
    reached = progress.attainment(baseline, target, value)
    due = progress.expected(*horizon(kpi, plan), kpi.latest.recorded_on)
    return reached, due, progress.standing(reached, due)
