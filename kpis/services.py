"""Writes on the KPIs that follow an action; the plan's editors define them."""

from django.db import transaction

from kpis.models import Kpi
from pac.permissions import ensure_can_edit_plan
from pac.services import save_as, versioned_update


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
