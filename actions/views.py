"""The action list, the action sheet with its steps and KPIs, and the sheet's form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actions import selectors, services
from actions.forms import ActionFilterForm, ActionForm, ActionReportForm, ActionStepForm
from actions.models import Action, ActionStep
from pac.core import revisions
from pac.core.access import plan_access
from pac.core.editing import (
    UNSENT,
    Page,
    edit_region,
    page,
    page_repeated,
    page_saved,
    posted,
    submit,
)


@require_GET
def action_list(request, plan_pk):
    access = plan_access(request, plan_pk)
    plan = access.plan
    form = ActionFilterForm(request.GET, plan=plan)
    filters, group = form.filters()
    number = request.GET.get("page") or "1"

    def results():
        shown, groups = selectors.paged_groups(plan, filters, group, number)
        return {"groups": groups, "page": shown, "count": shown.paginator.count}

    context = {"form": form, "group": group, "filtered": bool(filters)}
    listing = Page(
        template="actions/action_list.html",
        url=reverse("actions:action-list", args=[plan.pk]),
        base=access.context() | context,
        regions={"results": results},
        # Computed once per revision of the plan, grouping, page and filters.
        request=request,
        plan=plan,
        name="action-list",
        parts=(group, number, *revisions.filter_parts(filters)),
    )
    return listing.show(request) if not request.htmx else listing.render(request, "results")


def get_action(plan, pk):
    return get_object_or_404(
        Action.objects.select_related("target__plan__team", "owner"), target__plan=plan, pk=pk
    )


@require_GET
def action_detail(request, plan_pk, pk):
    access = plan_access(request, plan_pk)
    plan = access.plan
    action = get_action(plan, pk)
    return page("action", request, access, action).show(request)


def sheet_form_view(request, access, action):
    """Create or edit the whole sheet on a page of its own."""
    access.ensure_can_edit()
    plan = access.plan
    form = ActionForm(posted(request), instance=action or Action(), plan=plan)
    if action is None and request.GET.get("domain") in Action.Domain.values:
        # "+ Add an action" in a domain of the plan page opens the sheet in that domain.
        form.initial["domain"] = request.GET["domain"]

    def save(data):
        fields = {name: data[name] for name in services.SHEET_FIELDS}
        relations = {"participants": data["participants"], "objectives": data["objectives"]}
        if action is None:
            return services.action_create(actor=request.user, plan=plan, data=fields, **relations)
        return services.action_update(
            actor=request.user, action=action, version=data["version"], data=fields, **relations
        )

    sent = submit(form, save) if request.method == "POST" else UNSENT
    if sent.repeated:
        return page_repeated(request, reverse("actions:action-list", args=[plan.pk]))
    if sent.saved:
        messages.success(request, _("Action sheet saved."))
        return page_saved(request, sent.result.get_absolute_url())
    context = access.context() | {"form": form, "action": action}
    template = "actions/action_form.html#sheet-form" if request.htmx else "actions/action_form.html"
    return render(request, template, context, status=sent.status)


@require_http_methods(["GET", "POST"])
def action_create(request, plan_pk):
    return sheet_form_view(request, plan_access(request, plan_pk), None)


@require_http_methods(["GET", "POST"])
def action_update(request, plan_pk, pk):
    access = plan_access(request, plan_pk)
    return sheet_form_view(request, access, get_action(access.plan, pk))


@require_http_methods(["GET", "POST"])
def action_delete(request, plan_pk, pk):
    access = plan_access(request, plan_pk)
    plan = access.plan
    action = get_action(plan, pk)
    access.ensure_can_edit()
    if request.method == "POST":
        services.action_delete(actor=request.user, action=action)
        messages.success(
            request, _("The action “%(title)s” was deleted.") % {"title": action.title}
        )
        return page_saved(request, reverse("actions:action-list", args=[plan.pk]))
    context = access.context() | {
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
    access = plan_access(request, plan_pk)
    plan = access.plan
    access.ensure_can_edit()
    action = get_action(plan, pk)
    form = ActionStepForm(posted(request), instance=ActionStep(action=action), plan=plan)
    return edit_region(
        request,
        page("action", request, access, action),
        "steps",
        form,
        lambda data: services.step_create(actor=request.user, action=action, data=data),
        adding="step",
    )


@require_http_methods(["GET", "POST"])
def step_update(request, plan_pk, pk, step_pk):
    access = plan_access(request, plan_pk)
    plan = access.plan
    access.ensure_can_edit()
    action = get_action(plan, pk)
    step = get_step(action, step_pk)
    form = ActionStepForm(posted(request), instance=step, plan=plan)
    return edit_region(
        request,
        page("action", request, access, action),
        "steps",
        form,
        lambda data: services.step_update(
            actor=request.user, step=step, version=data["version"], data=data
        ),
        editing_step=step.pk,
    )


@require_POST
def step_done(request, plan_pk, pk, step_pk):
    access = plan_access(request, plan_pk)
    plan = access.plan
    action = get_action(plan, pk)
    done = request.POST.get("done") == "1"
    services.step_set_done(actor=request.user, step=get_step(action, step_pk), done=done)
    return page("action", request, access, action).saved(request, "steps")


@require_POST
def step_move(request, plan_pk, pk, step_pk):
    access = plan_access(request, plan_pk)
    plan = access.plan
    action = get_action(plan, pk)
    try:
        services.step_move(
            actor=request.user,
            step=get_step(action, step_pk),
            direction=request.POST.get("direction"),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return page("action", request, access, action).saved(request, "steps")


@require_POST
def step_delete(request, plan_pk, pk, step_pk):
    access = plan_access(request, plan_pk)
    plan = access.plan
    action = get_action(plan, pk)
    services.step_delete(actor=request.user, step=get_step(action, step_pk))
    return page("action", request, access, action).saved(request, "steps")


# KPIs that follow the action, edited in place on the sheet.


# What reps report on their PACI (pac.steering.paci): progress of their actions, steps done.


def rep_action(plan, rep, pk):
    """One of the rep's actions in this plan (owned or taken part in)."""
    return get_object_or_404(
        Action.objects.of_plan(plan).involving(rep).select_related("target__plan"), pk=pk
    )


@require_http_methods(["GET", "POST"])
def paci_action_report(request, plan_pk, username, pk):
    """Status, progress, occurrences done and spend of one of the rep's actions."""
    access = plan_access(request, plan_pk)
    paci = page("paci", request, access, username)
    action = rep_action(access.plan, paci.base["rep"], pk)
    access.ensure(access.can_report_on(action))
    form = ActionReportForm(posted(request), instance=action)
    return edit_region(
        request,
        paci,
        "actions",
        form,
        lambda data: services.action_report(
            actor=request.user,
            action=action,
            version=data["version"],
            data={name: data[name] for name in ActionReportForm.Meta.fields},
        ),
        editing_action=action.pk,
    )


@require_POST
def paci_step_done(request, plan_pk, username, step_pk):
    access = plan_access(request, plan_pk)
    paci = page("paci", request, access, username)
    step = get_object_or_404(
        ActionStep.objects.select_related("action__target__plan"),
        action__target__plan=access.plan,
        pk=step_pk,
    )
    rep_action(access.plan, paci.base["rep"], step.action_id)
    services.step_set_done(actor=request.user, step=step, done=request.POST.get("done") == "1")
    return paci.saved(request, "actions")
