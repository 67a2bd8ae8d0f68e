"""Writes on the KPIs that follow an action or an objective; the plan's editors define them,
their owners record their values."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import Action
from kpis.models import Kpi, KpiValue
from pac.core.access import can_record_kpi, ensure, ensure_can_edit_plan
from pac.core.validators import period_errors
from pac.core.versioning import lock_version, save_as, versioned_update
from targets.models import Objective


@transaction.atomic
def kpi_create(*, actor, action=None, objective=None, data) -> Kpi:
    """A KPI that follows an action or an objective. The first KPI added to an objective that
    waits for one to be measured becomes its measure."""
    kpi = Kpi(action=action, objective=objective)
    ensure_can_edit_plan(actor, kpi.plan)
    save_as(actor, kpi, **data)
    if objective is not None and not kpi.per_period:
        current = lock_version(objective, None)
        if current.unmeasurable:
            measure_by(actor, current, kpi)
    return kpi


def measure_by(actor, objective, kpi):
    """Give an objective the KPI that measures it. Only that link is saved and checked (it is
    one of its own KPIs, none per period): the rest of an objective written before a rule
    changed, or whose owner left the team, stays as it was."""
    objective.measure_kpi = kpi
    objective._history_user = actor
    objective.save(update_fields=["measure_kpi"])


@transaction.atomic
def kpi_update(*, actor, kpi: Kpi, version, data) -> Kpi:
    ensure_can_edit_plan(actor, kpi.plan)
    return versioned_update(actor=actor, instance=kpi, version=version, data=data)


@transaction.atomic
def kpi_delete(*, actor, kpi: Kpi) -> None:
    """Delete a KPI with its values. An objective it measured is measured by its next KPI, if it
    has one; else the pages say it has no figure any more."""
    ensure_can_edit_plan(actor, kpi.plan)
    for objective in Objective.objects.select_for_update().filter(measure_kpi=kpi):
        measure_by(
            actor, objective, objective.kpis.filter(per_period=False).exclude(pk=kpi.pk).first()
        )
    kpi._history_user = actor
    kpi.delete()


@transaction.atomic
def kpi_value_record(*, actor, kpi: Kpi, value, on, comment="") -> KpiValue:
    """Record what a KPI measured on a date inside the plan's period, not in the future."""
    plan = kpi.plan
    ensure(can_record_kpi(actor, kpi, plan), plan)
    errors = period_errors(plan, recorded_on=on)
    if on > timezone.localdate():
        errors["recorded_on"] = _("A value cannot be recorded for a day that has not come yet.")
    if errors:
        raise ValidationError(errors)
    return save_as(
        actor,
        KpiValue(kpi=kpi, recorded_by=actor),
        recorded_on=on,
        value=value,
        comment=comment,
    )


def roll_over(rollover):
    """The plan's KPIs into its next period, without their values (they belong to the old one);
    each copied objective is measured by the copy of its KPI."""
    rollover.create(
        Kpi,
        list(Kpi.objects.of_plan(rollover.source)),
        action=lambda kpi: rollover.copy_of(Action, kpi.action_id),
        objective=lambda kpi: rollover.copy_of(Objective, kpi.objective_id),
    )
    copies = rollover.copies[Kpi]
    measured = []
    for old, measure in rollover.measures.items():
        if measure in copies:
            objective = rollover.copy_of(Objective, old)
            objective.measure_kpi = copies[measure]
            measured.append(objective)
    Objective.objects.bulk_update(measured, ["measure_kpi"])
