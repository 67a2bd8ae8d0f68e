"""Writes on the KPIs that follow an action; the plan's editors define them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kpis.models import Kpi, KpiValue
from pac.permissions import can_record_kpi, ensure, ensure_can_edit_plan
from pac.services import save_as, versioned_update
from pac.validators import period_errors


@transaction.atomic
def kpi_create(*, actor, action, data) -> Kpi:
    ensure_can_edit_plan(actor, action.target.plan)
    return save_as(actor, Kpi(action=action), **data)


@transaction.atomic
def kpi_update(*, actor, kpi: Kpi, version, data) -> Kpi:
    ensure_can_edit_plan(actor, kpi.plan)
    return versioned_update(actor=actor, instance=kpi, version=version, data=data)


@transaction.atomic
def kpi_delete(*, actor, kpi: Kpi) -> None:
    ensure_can_edit_plan(actor, kpi.plan)
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
