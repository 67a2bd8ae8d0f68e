"""Writes on targets and objectives; only the plan's editors make them."""

from django.db import transaction
from django.db.models import Max

from pac.permissions import ensure_can_edit_plan
from pac.services import save_as, versioned_update
from targets.models import Objective, Target


@transaction.atomic
def target_create(*, actor, plan, data) -> Target:
    ensure_can_edit_plan(actor, plan)
    last = plan.targets.aggregate(last=Max("order"))["last"]
    return save_as(actor, Target(plan=plan, order=0 if last is None else last + 1), **data)


@transaction.atomic
def target_update(*, actor, target: Target, version, data) -> Target:
    ensure_can_edit_plan(actor, target.plan)
    return versioned_update(actor=actor, instance=target, version=version, data=data)


@transaction.atomic
def target_delete(*, actor, target: Target) -> None:
    """Delete a target with its objectives and actions."""
    ensure_can_edit_plan(actor, target.plan)
    target._history_user = actor
    target.delete()


@transaction.atomic
def objective_create(*, actor, target: Target, data) -> Objective:
    ensure_can_edit_plan(actor, target.plan)
    last = target.objectives.aggregate(last=Max("order"))["last"]
    return save_as(actor, Objective(target=target, order=0 if last is None else last + 1), **data)


@transaction.atomic
def objective_update(*, actor, objective: Objective, version, data) -> Objective:
    ensure_can_edit_plan(actor, objective.target.plan)
    return versioned_update(actor=actor, instance=objective, version=version, data=data)


@transaction.atomic
def objective_delete(*, actor, objective: Objective) -> None:
    ensure_can_edit_plan(actor, objective.target.plan)
    objective._history_user = actor
    objective.delete()
