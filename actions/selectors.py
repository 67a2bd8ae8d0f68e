"""Reads of the action list and the action sheet."""

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from actions.models import Action, ActionStep
from kpis.models import Kpi, KpiValue
from pac.selectors import changes, plan_actions

ZERO = Decimal("0")


def filtered_actions(plan, filters):
    """The plan's actions narrowed by the valid filters of ActionFilterForm."""
    actions = plan_actions(plan)
    for name in ("domain", "sales_type", "target", "owner", "status"):
        if filters.get(name):
            actions = actions.filter(**{name: filters[name]})
    month = filters.get("month")
    if month:
        last = date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])
        # An action runs in a month when it starts before the month ends and ends after it starts.
        actions = actions.filter(start_date__lte=last, end_date__gte=month)
    return actions


@dataclass
class Group:
    key: object
    label: str
    actions: list = field(default_factory=list)
    planned: Decimal = ZERO
    actual: Decimal = ZERO


def grouped(actions, by):
    """Actions under headings: domain (theme), target or rep, in a stable order."""
    if by == "none":
        groups = {None: Group(None, _("All actions"))}
    elif by == "domain":
        groups = {value: Group(value, label) for value, label in Action.Domain.choices}
    else:
        groups = {}
    for action in actions:
        if by == "target":
            key, label = action.target_id, action.target.name
        elif by == "rep":
            key, label = action.owner_id, str(action.owner) if action.owner else _("Nobody")
        elif by == "domain":
            key, label = action.domain, None
        else:
            key, label = None, None
        group = groups.setdefault(key, Group(key, label))
        group.actions.append(action)
        group.planned += action.budget_planned
        group.actual += action.budget_actual
    result = list(groups.values())
    if by in {"target", "rep"}:
        result.sort(key=lambda group: str(group.label).lower())
    return [group for group in result if group.actions or by == "domain"]


def action_sheet(action):
    """Everything the sheet shows beyond the action's own fields."""
    return {
        **steps_region(action),
        **kpis_region(action),
        "participants": list(action.participants.all()),
        "objectives": list(action.objectives.select_related("target")),
    }


def steps_region(action):
    steps = list(action.steps.select_related("owner"))
    return {"steps": steps, "steps_done": sum(step.done for step in steps)}


def kpis_region(action):
    kpis = (
        Kpi.objects.filter(action=action)
        .select_related("owner")
        .prefetch_related(
            Prefetch("values", queryset=KpiValue.objects.order_by("-recorded_on"), to_attr="latest")
        )
    )
    return {"kpis": list(kpis)}


def action_history(action, limit=200):
    """Changes to the sheet and its steps and KPIs, newest first."""
    entries = changes(
        Action.history.filter(id=action.pk).select_related("history_user"), _("Action"), limit
    )
    entries += changes(
        ActionStep.history.filter(action_id=action.pk).select_related("history_user"),
        _("Step"),
        limit,
    )
    entries += changes(
        Kpi.history.filter(action_id=action.pk).select_related("history_user"), _("KPI"), limit
    )
    return sorted(entries, key=lambda change: change.when, reverse=True)[:limit]
