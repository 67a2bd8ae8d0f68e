"""KPIs edited in place: an objective's in the plan page's "targets" section, an action's on its
sheet; and the check-in, a value a rep records on their PACI."""

from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_http_methods, require_POST

from actions.views import get_action
from kpis import services
from kpis.forms import KpiForm, KpiValueForm
from kpis.models import Kpi
from pac.core.access import plan_access
from pac.core.editing import edit_region, page, posted
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
    access = plan_access(request, plan_pk)
    plan = access.plan
    access.ensure_can_edit()
    objective = get_objective(plan, objective_pk)
    form = KpiForm(posted(request), instance=Kpi(objective=objective), plan=plan)
    return edit_region(
        request,
        page("plan", request, access),
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
    access = plan_access(request, plan_pk)
    plan = access.plan
    access.ensure_can_edit()
    kpi = get_kpi(get_objective(plan, objective_pk), pk)
    form = KpiForm(posted(request), instance=kpi, plan=plan)
    return edit_region(
        request,
        page("plan", request, access),
        SECTION,
        form,
        lambda data: services.kpi_update(
            actor=request.user, kpi=kpi, version=data["version"], data=kpi_data(data)
        ),
        editing_kpi=kpi.pk,
    )


@require_POST
def objective_kpi_delete(request, plan_pk, objective_pk, pk):
    access = plan_access(request, plan_pk)
    plan = access.plan
    kpi = get_kpi(get_objective(plan, objective_pk), pk)
    services.kpi_delete(actor=request.user, kpi=kpi)
    return page("plan", request, access).saved(request, SECTION)


# KPIs that follow an action, edited in place on its sheet (pac.plans.sheet).


@require_http_methods(["GET", "POST"])
def kpi_create(request, plan_pk, pk):
    access = plan_access(request, plan_pk)
    plan = access.plan
    access.ensure_can_edit()
    action = get_action(plan, pk)
    form = KpiForm(posted(request), instance=Kpi(action=action), plan=plan)
    return edit_region(
        request,
        page("action", request, access, action),
        "kpis",
        form,
        lambda data: services.kpi_create(
            actor=request.user,
            action=action,
            data=kpi_data(data),
        ),
        adding="kpi",
    )


@require_http_methods(["GET", "POST"])
def kpi_update(request, plan_pk, pk, kpi_pk):
    access = plan_access(request, plan_pk)
    plan = access.plan
    access.ensure_can_edit()
    action = get_action(plan, pk)
    kpi = get_object_or_404(Kpi, action=action, pk=kpi_pk)
    form = KpiForm(posted(request), instance=kpi, plan=plan)
    return edit_region(
        request,
        page("action", request, access, action),
        "kpis",
        form,
        lambda data: services.kpi_update(
            actor=request.user,
            kpi=kpi,
            version=data["version"],
            data=kpi_data(data),
        ),
        editing_kpi=kpi.pk,
    )


@require_POST
def kpi_delete(request, plan_pk, pk, kpi_pk):
    access = plan_access(request, plan_pk)
    plan = access.plan
    action = get_action(plan, pk)
    services.kpi_delete(actor=request.user, kpi=get_object_or_404(Kpi, action=action, pk=kpi_pk))
    return page("action", request, access, action).saved(request, "kpis")


# The check-in on the rep's PACI (pac.steering.paci).


@require_http_methods(["GET", "POST"])
def paci_kpi_value_create(request, plan_pk, username, pk):
    """The check-in: a value for one of the rep's KPIs, with its date and a comment."""
    access = plan_access(request, plan_pk)
    paci = page("paci", request, access, username)
    kpi = get_object_or_404(
        Kpi.objects.of_plan(access.plan).select_related("action", "objective"),
        pk=pk,
        owner=paci.base["rep"],
    )
    access.ensure(access.can_record(kpi))
    form = KpiValueForm(posted(request), kpi=kpi)
    return edit_region(
        request,
        paci,
        "kpis",
        form,
        lambda data: services.kpi_value_record(
            actor=request.user,
            kpi=kpi,
            value=data["value"],
            on=data["recorded_on"],
            comment=data["comment"],
        ),
        adding_value=kpi.pk,
    )
