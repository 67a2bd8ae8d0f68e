"""The KPIs of an objective, edited in place in the plan page's "targets" section (those of an
action are edited on its sheet)."""

from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_http_methods, require_POST

from kpis import services
from kpis.forms import KpiForm
from kpis.models import Kpi
from pac.core.access import ensure_can_edit_plan, get_plan
from pac.core.editing import edit_region, posted
from pac.plans.page import plan_page
from targets.models import Objective

SECTION = "targets"


def get_objective(plan, pk):
    """A quantitative objective of the plan: a qualitative one is assessed, it has no KPI."""
    return get_object_or_404(
        Objective.objects.select_related("target__plan"),
        target__plan=plan,
        kind=Objective.Kind.QUANTITATIVE,
        pk=pk,
    )


def kpi_data(data):
    return {name: data[name] for name in KpiForm.Meta.fields}


@require_http_methods(["GET", "POST"])
def objective_kpi_create(request, plan_pk, objective_pk):
    plan = get_plan(request, plan_pk)
    ensure_can_edit_plan(request.user, plan)
    objective = get_objective(plan, objective_pk)
    form = KpiForm(posted(request), instance=Kpi(objective=objective), plan=plan)
    return edit_region(
        request,
        plan_page(request, plan),
        SECTION,
        form,
        lambda data: services.kpi_create(
            actor=request.user, objective=objective, data=kpi_data(data)
        ),
        adding_kpi_to=objective.pk,
    )


def get_kpi(objective, pk):
    return get_object_or_404(Kpi, objective=objective, pk=pk)


@require_http_methods(["GET", "POST"])
def objective_kpi_update(request, plan_pk, objective_pk, pk):
    plan = get_plan(request, plan_pk)
    ensure_can_edit_plan(request.user, plan)
    kpi = get_kpi(get_objective(plan, objective_pk), pk)
    form = KpiForm(posted(request), instance=kpi, plan=plan)
    return edit_region(
        request,
        plan_page(request, plan),
        SECTION,
        form,
        lambda data: services.kpi_update(
            actor=request.user, kpi=kpi, version=data["version"], data=kpi_data(data)
        ),
        editing_kpi=kpi.pk,
    )


@require_POST
def objective_kpi_delete(request, plan_pk, objective_pk, pk):
    plan = get_plan(request, plan_pk)
    kpi = get_kpi(get_objective(plan, objective_pk), pk)
    services.kpi_delete(actor=request.user, kpi=kpi)
    return plan_page(request, plan).saved(request, SECTION)
