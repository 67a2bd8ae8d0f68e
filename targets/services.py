"""Writes on targets and objectives; only the plan's editors make them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pac.core.access import can_edit_deal, ensure, ensure_can_edit_plan
from pac.core.ordering import next_order
from pac.core.versioning import save_as, versioned_update
from targets.models import Assessment, Deal, Objective, Target


@transaction.atomic
def target_create(*, actor, plan, data) -> Target:
    ensure_can_edit_plan(actor, plan)
    return save_as(actor, Target(plan=plan, order=next_order(plan.targets)), **data)


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
    return save_as(actor, Objective(target=target, order=next_order(target.objectives)), **data)


@transaction.atomic
def objective_update(*, actor, objective: Objective, version, data) -> Objective:
    ensure_can_edit_plan(actor, objective.target.plan)
    return versioned_update(actor=actor, instance=objective, version=version, data=data)


@transaction.atomic
def objective_delete(*, actor, objective: Objective) -> None:
    ensure_can_edit_plan(actor, objective.target.plan)
    objective._history_user = actor
    objective.delete()


@transaction.atomic
def assessment_record(*, actor, objective: Objective, data) -> Assessment:
    """The manager's verdict on a qualitative objective, on a day that has come."""
    ensure_can_edit_plan(actor, objective.target.plan)
    if data["assessed_on"] > timezone.localdate():
        raise ValidationError({"assessed_on": _("Assess an objective on a day that has come.")})
    return save_as(
        actor,
        Assessment(objective=objective, recorded_by=actor),
        **{name: data[name] for name in ("verdict", "assessed_on", "comment")},
    )


# The carnet commercial: reps keep their own deals, managers everyone's.

DEAL_FIELDS = [
    "milestone_date",
    "company",
    "contact",
    "nature",
    "amount",
    "probability",
    "stage",
    "target",
    "owner",
]


@transaction.atomic
def deal_create(*, actor, plan, data) -> Deal:
    deal = Deal(plan=plan, owner=data["owner"])
    ensure(can_edit_deal(actor, deal), plan)
    return save_as(actor, deal, **{name: data[name] for name in DEAL_FIELDS})


@transaction.atomic
def deal_update(*, actor, deal: Deal, version, data) -> Deal:
    ensure(can_edit_deal(actor, deal), deal.plan)
    if data["owner"] != deal.owner:
        # Handing a deal to someone else is the manager's call.
        ensure(can_edit_deal(actor, Deal(plan=deal.plan, owner=data["owner"])), deal.plan)
    return versioned_update(
        actor=actor, instance=deal, version=version, data={name: data[name] for name in DEAL_FIELDS}
    )


@transaction.atomic
def deal_delete(*, actor, deal: Deal) -> None:
    ensure(can_edit_deal(actor, deal), deal.plan)
    deal._history_user = actor
    deal.delete()


def roll_over(rollover):
    """The plan's targets and objectives into its next period; an objective is measured by the
    copy of its KPI once the KPIs are copied (kpis.services.roll_over)."""
    plan = rollover.source
    rollover.create(Target, list(plan.targets.all()), plan=lambda target: rollover.copy)
    objectives = list(Objective.objects.of_plan(plan))
    rollover.measures = {objective.pk: objective.measure_kpi_id for objective in objectives}
    rollover.create(
        Objective,
        objectives,
        target=lambda objective: rollover.copy_of(Target, objective.target_id),
        deadline=lambda objective: rollover.move(objective.deadline),
        measure_kpi=lambda objective: None,
    )
