"""The action list, the action sheet with its steps and KPIs, and the sheet's form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actions import selectors, services
from actions.forms import ActionFilterForm, ActionForm, ActionStepForm
from actions.models import Action, ActionStep
from kpis import services as kpi_services
from kpis.forms import KpiForm
from kpis.models import Kpi
from pac.core import revisions
from pac.core.access import ensure_can_edit_plan, get_plan, plan_context
from pac.core.editing import Page, edit_region, page_repeated, page_saved, posted, submit


@require_GET
def action_list(request, plan_pk):
    plan = get_plan(request, plan_pk)
    form = ActionFilterForm(request.GET, plan=plan)
    # Invalid filters are shown beside their field and left out; the valid ones still apply.
    form.is_valid()
    filters = {name: value for name, value in form.cleaned_data.items() if value}
    group = filters.pop("group", "domain")
    number = request.GET.get("page") or "1"

    def results():
        page, groups = selectors.paged_groups(plan, filters, group, number)
        return {"groups": groups, "page": page, "count": page.paginator.count}

    context = plan_context(request, plan) | {
        "form": form,
        "group": group,
        "filtered": bool(filters),
        # Computed once per revision of the plan, grouping, page and filters (pac.revisions).
        **revisions.cached(
            request,
            plan,
            "action-list",
            results,
            group,
            number,
            *revisions.filter_parts(filters),
        ),
    }
    if request.htmx:
        return render(request, "actions/action_list.html#results", context)
    return render(request, "actions/action_list.html", context)


def get_action(plan, pk):
    return get_object_or_404(
        Action.objects.select_related("target__plan__team", "owner"), target__plan=plan, pk=pk
    )


def sheet_page(request, plan, action):
    return Page(
        template="actions/action_detail.html",
        url=action_url(plan, action),
        base=plan_context(request, plan) | {"action": action},
        full=lambda: selectors.action_sheet(action) | {"history": selectors.action_history(action)},
        regions={
            "steps": lambda: selectors.steps_region(action),
            "kpis": lambda: selectors.kpis_region(action),
        },
    )


def action_url(plan, action):
    return reverse("actions:action-detail", args=[plan.pk, action.pk])


@require_GET
def action_detail(request, plan_pk, pk):
    plan = get_plan(request, plan_pk)
    action = get_action(plan, pk)
    return sheet_page(request, plan, action).show(request)


def sheet_form_view(request, plan, action):
    """Create or edit the whole sheet on a page of its own."""
    ensure_can_edit_plan(request.user, plan)
    instance = action or Action()
    form = ActionForm(posted(request), instance=instance, plan=plan)
    if action is None and request.GET.get("domain") in Action.Domain.values:
        # "+ Add an action" in a domain of the plan page opens the sheet in that domain.
        form.initial["domain"] = request.GET["domain"]
    if request.method == "POST":
        saved = {}

        def save(data):
            fields = {name: data[name] for name in services.SHEET_FIELDS}
            relations = {"participants": data["participants"], "objectives": data["objectives"]}
            if action is None:
                saved["action"] = services.action_create(
                    actor=request.user, plan=plan, data=fields, **relations
                )
            else:
                saved["action"] = services.action_update(
                    actor=request.user,
                    action=action,
                    version=data["version"],
                    data=fields,
                    **relations,
                )

        outcome = submit(form, save)
        if outcome == "repeated":
            return page_repeated(request, reverse("actions:action-list", args=[plan.pk]))
        if outcome == "saved":
            messages.success(request, _("Action sheet saved."))
            return page_saved(request, action_url(plan, saved["action"]))
        status = 409 if outcome == "conflict" else 422
    else:
        status = 200
    context = plan_context(request, plan) | {"form": form, "action": action}
    template = "actions/action_form.html#sheet-form" if request.htmx else "actions/action_form.html"
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def action_create(request, plan_pk):
    return sheet_form_view(request, get_plan(request, plan_pk), None)


@require_http_methods(["GET", "POST"])
def action_update(request, plan_pk, pk):
    plan = get_plan(request, plan_pk)
    return sheet_form_view(request, plan, get_action(plan, pk))


@require_http_methods(["GET", "POST"])
def action_delete(request, plan_pk, pk):
    plan = get_plan(request, plan_pk)
    action = get_action(plan, pk)
    ensure_can_edit_plan(request.user, plan)
    if request.method == "POST":
        services.action_delete(actor=request.user, action=action)
        messages.success(
            request, _("The action “%(title)s” was deleted.") % {"title": action.title}
        )
        return page_saved(request, reverse("actions:action-list", args=[plan.pk]))
    context = plan_context(request, plan) | {
        "action": action,
        "step_count": action.steps.count(),
        "kpi_count": action.kpis.count(),
    }
    return render(request, "actions/action_confirm_delete.html", context)


# Steps, edited in place on the sheet.


def get_step(action, pk):
    return get_object_or_404(ActionStep, action=action, pk=pk)


@require_http_methods(["GET", "POST"])
def step_create(request, plan_pk, pk):
    plan = get_plan(request, plan_pk)
    ensure_can_edit_plan(request.user, plan)
    action = get_action(plan, pk)
    form = ActionStepForm(posted(request), instance=ActionStep(action=action), plan=plan)
    return edit_region(
        request,
        sheet_page(request, plan, action),
        "steps",
        form,
        lambda data: services.step_create(actor=request.user, action=action, data=data),
        adding="step",
    )


@require_http_methods(["GET", "POST"])
def step_update(request, plan_pk, pk, step_pk):
    plan = get_plan(request, plan_pk)
    ensure_can_edit_plan(request.user, plan)
    action = get_action(plan, pk)
    step = get_step(action, step_pk)
    form = ActionStepForm(posted(request), instance=step, plan=plan)
    return edit_region(
        request,
        sheet_page(request, plan, action),
        "steps",
        form,
        lambda data: services.step_update(
            actor=request.user, step=step, version=data["version"], data=data
        ),
        editing_step=step.pk,
    )


@require_POST
def step_done(request, plan_pk, pk, step_pk):
    plan = get_plan(request, plan_pk)
    action = get_action(plan, pk)
    done = request.POST.get("done") == "1"
    services.step_set_done(actor=request.user, step=get_step(action, step_pk), done=done)
    return sheet_page(request, plan, action).saved(request, "steps")


@require_POST
def step_move(request, plan_pk, pk, step_pk):
    plan = get_plan(request, plan_pk)
    action = get_action(plan, pk)
    try:
        services.step_move(
            actor=request.user,
            step=get_step(action, step_pk),
            direction=request.POST.get("direction"),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return sheet_page(request, plan, action).saved(request, "steps")


@require_POST
def step_delete(request, plan_pk, pk, step_pk):
    plan = get_plan(request, plan_pk)
    action = get_action(plan, pk)
    services.step_delete(actor=request.user, step=get_step(action, step_pk))
    return sheet_page(request, plan, action).saved(request, "steps")


# KPIs that follow the action, edited in place on the sheet.


@require_http_methods(["GET", "POST"])
def kpi_create(request, plan_pk, pk):
    plan = get_plan(request, plan_pk)
    ensure_can_edit_plan(request.user, plan)
    action = get_action(plan, pk)
    form = KpiForm(posted(request), instance=Kpi(action=action), plan=plan)
    return edit_region(
        request,
        sheet_page(request, plan, action),
        "kpis",
        form,
        lambda data: kpi_services.kpi_create(
            actor=request.user,
            action=action,
            data={name: data[name] for name in KpiForm.Meta.fields},
        ),
        adding="kpi",
    )


@require_http_methods(["GET", "POST"])
def kpi_update(request, plan_pk, pk, kpi_pk):
    plan = get_plan(request, plan_pk)
    ensure_can_edit_plan(request.user, plan)
    action = get_action(plan, pk)
    kpi = get_object_or_404(Kpi, action=action, pk=kpi_pk)
    form = KpiForm(posted(request), instance=kpi, plan=plan)
    return edit_region(
        request,
        sheet_page(request, plan, action),
        "kpis",
        form,
        lambda data: kpi_services.kpi_update(
            actor=request.user,
            kpi=kpi,
            version=data["version"],
            data={name: data[name] for name in KpiForm.Meta.fields},
        ),
        editing_kpi=kpi.pk,
    )


@require_POST
def kpi_delete(request, plan_pk, pk, kpi_pk):
    plan = get_plan(request, plan_pk)
    action = get_action(plan, pk)
    kpi_services.kpi_delete(
        actor=request.user, kpi=get_object_or_404(Kpi, action=action, pk=kpi_pk)
    )
    return sheet_page(request, plan, action).saved(request, "kpis")
