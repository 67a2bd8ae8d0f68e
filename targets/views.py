"""Targets and their objectives, edited in place in the plan page's "targets" section."""

from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_http_methods, require_POST

from pac.editing import edit_region, get_plan, plan_page, posted
from pac.permissions import ensure_can_edit_plan
from targets import services
from targets.forms import ObjectiveForm, TargetForm
from targets.models import Objective, Target

SECTION = "targets"


def fields_of(form, data):
    return {name: data[name] for name in form.Meta.fields}


@require_http_methods(["GET", "POST"])
def target_create(request, plan_pk):
    plan = get_plan(request, plan_pk)
    ensure_can_edit_plan(request.user, plan)
    form = TargetForm(posted(request), instance=Target(plan=plan))
    return edit_region(
        request,
        plan_page(request, plan),
        SECTION,
        form,
        lambda data: services.target_create(
            actor=request.user, plan=plan, data=fields_of(TargetForm, data)
        ),
        adding="target",
    )


@require_http_methods(["GET", "POST"])
def target_update(request, plan_pk, pk):
    plan = get_plan(request, plan_pk)
    ensure_can_edit_plan(request.user, plan)
    target = get_object_or_404(Target, plan=plan, pk=pk)
    form = TargetForm(posted(request), instance=target)
    return edit_region(
        request,
        plan_page(request, plan),
        SECTION,
        form,
        lambda data: services.target_update(
            actor=request.user,
            target=target,
            version=data["version"],
            data=fields_of(TargetForm, data),
        ),
        editing_target=target.pk,
    )


@require_POST
def target_delete(request, plan_pk, pk):
    plan = get_plan(request, plan_pk)
    services.target_delete(actor=request.user, target=get_object_or_404(Target, plan=plan, pk=pk))
    return plan_page(request, plan).saved(request, SECTION)


@require_http_methods(["GET", "POST"])
def objective_create(request, plan_pk, target_pk):
    plan = get_plan(request, plan_pk)
    ensure_can_edit_plan(request.user, plan)
    target = get_object_or_404(Target, plan=plan, pk=target_pk)
    form = ObjectiveForm(posted(request), instance=Objective(target=target), plan=plan)
    return edit_region(
        request,
        plan_page(request, plan),
        SECTION,
        form,
        lambda data: services.objective_create(
            actor=request.user, target=target, data=fields_of(ObjectiveForm, data)
        ),
        adding_objective_to=target.pk,
    )


def get_objective(plan, pk):
    return get_object_or_404(
        Objective.objects.select_related("target__plan"), target__plan=plan, pk=pk
    )


@require_http_methods(["GET", "POST"])
def objective_update(request, plan_pk, pk):
    plan = get_plan(request, plan_pk)
    ensure_can_edit_plan(request.user, plan)
    objective = get_objective(plan, pk)
    form = ObjectiveForm(posted(request), instance=objective, plan=plan)
    return edit_region(
        request,
        plan_page(request, plan),
        SECTION,
        form,
        lambda data: services.objective_update(
            actor=request.user,
            objective=objective,
            version=data["version"],
            data=fields_of(ObjectiveForm, data),
        ),
        editing_objective_pk=objective.pk,
    )


@require_POST
def objective_delete(request, plan_pk, pk):
    plan = get_plan(request, plan_pk)
    services.objective_delete(actor=request.user, objective=get_objective(plan, pk))
    return plan_page(request, plan).saved(request, SECTION)
