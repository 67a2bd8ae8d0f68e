"""Targets, their objectives and the carnet commercial, edited in place on the plan page."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseLocation

from pac.core.access import ensure_can_edit_plan, get_plan
from pac.core.editing import edit_region, posted
from pac.plans.page import plan_page
from targets import services
from targets.forms import AssessmentForm, DealForm, ObjectiveForm, TargetForm
from targets.models import Assessment, Deal, Objective, Target

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


def objective_data(data):
    return fields_of(ObjectiveForm, data) | {"measure_kpi": data["measure_kpi"]}


def objective_saved(request, plan, page, objective):
    """The section again; an objective to be measured by a KPI it does not have yet opens the
    form that adds it, prefilled from the objective."""
    if not objective.unmeasurable:
        return page.saved(request, SECTION)
    url = reverse("kpis:objective-kpi-create", args=[plan.pk, objective.pk])
    if request.htmx:
        return HttpResponseLocation(url, target=f"#{SECTION}", swap="outerHTML")
    return redirect(f"{url}#{SECTION}")


def edit_objective(request, plan, form, save, **context):
    """The objective form in the section, saved through `save`, which returns the objective."""
    page = plan_page(request, plan)
    saved = {}
    return edit_region(
        request,
        page,
        SECTION,
        form,
        lambda data: saved.setdefault("objective", save(data)),
        then=lambda: objective_saved(request, plan, page, saved["objective"]),
        **context,
    )


@require_http_methods(["GET", "POST"])
def objective_create(request, plan_pk, target_pk):
    plan = get_plan(request, plan_pk)
    ensure_can_edit_plan(request.user, plan)
    target = get_object_or_404(Target, plan=plan, pk=target_pk)
    form = ObjectiveForm(posted(request), instance=Objective(target=target), plan=plan)
    return edit_objective(
        request,
        plan,
        form,
        lambda data: services.objective_create(
            actor=request.user, target=target, data=objective_data(data)
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
    return edit_objective(
        request,
        plan,
        form,
        lambda data: services.objective_update(
            actor=request.user,
            objective=objective,
            version=data["version"],
            data=objective_data(data),
        ),
        editing_objective_pk=objective.pk,
    )


@require_POST
def objective_delete(request, plan_pk, pk):
    plan = get_plan(request, plan_pk)
    services.objective_delete(actor=request.user, objective=get_objective(plan, pk))
    return plan_page(request, plan).saved(request, SECTION)


@require_http_methods(["GET", "POST"])
def objective_assess(request, plan_pk, pk):
    """The manager's verdict on a qualitative objective, recorded with its date."""
    plan = get_plan(request, plan_pk)
    ensure_can_edit_plan(request.user, plan)
    objective = get_objective(plan, pk)
    if objective.kind != Objective.Kind.QUALITATIVE:
        raise Http404
    form = AssessmentForm(posted(request), instance=Assessment(objective=objective))
    return edit_region(
        request,
        plan_page(request, plan),
        SECTION,
        form,
        lambda data: services.assessment_record(actor=request.user, objective=objective, data=data),
        assessing=objective.pk,
    )


# The carnet commercial of the plan page: the manager adds, edits and removes anyone's deals.

DEALS = "deals"


def deal_form(request, plan, deal):
    return DealForm(posted(request), instance=deal, plan=plan, user=request.user, manager=True)


@require_http_methods(["GET", "POST"])
def deal_create(request, plan_pk):
    plan = get_plan(request, plan_pk)
    ensure_can_edit_plan(request.user, plan)
    form = deal_form(request, plan, Deal(plan=plan))
    if not form.is_bound:
        form.initial["owner"] = None  # the manager chooses the rep
    return edit_region(
        request,
        plan_page(request, plan),
        DEALS,
        form,
        lambda data: services.deal_create(actor=request.user, plan=plan, data=data),
        adding="deal",
    )


def get_deal(plan, pk):
    return get_object_or_404(Deal.objects.select_related("plan"), plan=plan, pk=pk)


@require_http_methods(["GET", "POST"])
def deal_update(request, plan_pk, pk):
    plan = get_plan(request, plan_pk)
    ensure_can_edit_plan(request.user, plan)
    deal = get_deal(plan, pk)
    form = deal_form(request, plan, deal)
    return edit_region(
        request,
        plan_page(request, plan),
        DEALS,
        form,
        lambda data: services.deal_update(
            actor=request.user, deal=deal, version=data["version"], data=data
        ),
        editing_deal=deal.pk,
    )


@require_POST
def deal_delete(request, plan_pk, pk):
    plan = get_plan(request, plan_pk)
    ensure_can_edit_plan(request.user, plan)
    services.deal_delete(actor=request.user, deal=get_deal(plan, pk))
    return plan_page(request, plan).saved(request, DEALS)
