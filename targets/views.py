"""Targets, their objectives and the carnet commercial, edited in place on the plan page; a rep's
own deals on their PACI."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseLocation

from pac.core.access import plan_access
from pac.core.editing import edit_region, page, page_saved, posted
from targets import crm, services
from targets.forms import (
    AssessmentForm,
    DealForm,
    DealsImportForm,
    ObjectiveForm,
    SplitForm,
    TargetForm,
)
from targets.models import Assessment, Deal, Objective, Target

SECTION = "targets"


def fields_of(form, data):
    return {name: data[name] for name in form.Meta.fields}


@require_http_methods(["GET", "POST"])
def target_create(request, plan_pk):
    access = plan_access(request, plan_pk)
    plan = access.plan
    access.ensure_can_edit()
    form = TargetForm(posted(request), instance=Target(plan=plan))
    return edit_region(
        request,
        page("plan", request, access),
        SECTION,
        form,
        lambda data: services.target_create(
            actor=request.user, plan=plan, data=fields_of(TargetForm, data)
        ),
        adding="target",
    )


@require_http_methods(["GET", "POST"])
def target_update(request, plan_pk, pk):
    access = plan_access(request, plan_pk)
    plan = access.plan
    access.ensure_can_edit()
    target = get_object_or_404(Target, plan=plan, pk=pk)
    form = TargetForm(posted(request), instance=target)
    return edit_region(
        request,
        page("plan", request, access),
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
    access = plan_access(request, plan_pk)
    plan = access.plan
    services.target_delete(actor=request.user, target=get_object_or_404(Target, plan=plan, pk=pk))
    return page("plan", request, access).saved(request, SECTION)


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


def edit_objective(request, access, form, save, **context):
    """The objective form in the section, saved through `save`, which returns the objective."""
    plan_page = page("plan", request, access)
    return edit_region(
        request,
        plan_page,
        SECTION,
        form,
        save,
        then=lambda objective: objective_saved(request, access.plan, plan_page, objective),
        **context,
    )


@require_http_methods(["GET", "POST"])
def objective_create(request, plan_pk, target_pk):
    access = plan_access(request, plan_pk)
    plan = access.plan
    access.ensure_can_edit()
    target = get_object_or_404(Target, plan=plan, pk=target_pk)
    form = ObjectiveForm(posted(request), instance=Objective(target=target), plan=plan)
    return edit_objective(
        request,
        access,
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
    access = plan_access(request, plan_pk)
    plan = access.plan
    access.ensure_can_edit()
    objective = get_objective(plan, pk)
    form = ObjectiveForm(posted(request), instance=objective, plan=plan)
    return edit_objective(
        request,
        access,
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
    access = plan_access(request, plan_pk)
    plan = access.plan
    services.objective_delete(actor=request.user, objective=get_objective(plan, pk))
    return page("plan", request, access).saved(request, SECTION)


@require_http_methods(["GET", "POST"])
def objective_split(request, plan_pk, pk):
    """Split a team objective between the team's reps, in place; "Split equally" saves the team's
    figure shared out in equal parts in one click."""
    access = plan_access(request, plan_pk)
    plan = access.plan
    access.ensure_can_edit()
    objective = get_objective(plan, pk)
    if objective.is_share or objective.kind != Objective.Kind.QUANTITATIVE:
        raise Http404  # nothing to split there: no form either
    form = SplitForm(posted(request), objective=objective, reps=services.split_reps(objective))

    def save(data):
        if "equal" in request.POST:
            return services.objective_split_equally(
                actor=request.user, objective=objective, version=data["version"]
            )
        return services.objective_split(
            actor=request.user, objective=objective, version=data["version"], shares=form.shares()
        )

    return edit_region(
        request, page("plan", request, access), SECTION, form, save, splitting=objective.pk
    )


@require_http_methods(["GET", "POST"])
def objective_assess(request, plan_pk, pk):
    """The manager's verdict on a qualitative objective, recorded with its date."""
    access = plan_access(request, plan_pk)
    plan = access.plan
    access.ensure_can_edit()
    objective = get_objective(plan, pk)
    if objective.kind != Objective.Kind.QUALITATIVE:
        raise Http404
    form = AssessmentForm(posted(request), instance=Assessment(objective=objective))
    return edit_region(
        request,
        page("plan", request, access),
        SECTION,
        form,
        lambda data: services.assessment_record(actor=request.user, objective=objective, data=data),
        assessing=objective.pk,
    )


# The carnet commercial: on the plan page the manager keeps everyone's deals; on a PACI its owner
# keeps their own, and the managers too. One form and one save for both pages.

DEALS = "deals"


def edit_deal(request, access, page, deal):
    """The deal form in the page's carnet; a new deal starts with its owner (none on the plan
    page: the manager chooses the rep)."""
    plan = access.plan
    form = DealForm(
        posted(request), instance=deal, plan=plan, user=request.user, manager=access.is_manager
    )
    if deal.pk is None:
        if not form.is_bound:
            form.initial["owner"] = deal.owner_id
        return edit_region(
            request,
            page,
            DEALS,
            form,
            lambda data: services.deal_create(actor=request.user, plan=plan, data=data),
            adding="deal",
        )
    return edit_region(
        request,
        page,
        DEALS,
        form,
        lambda data: services.deal_update(
            actor=request.user, deal=deal, version=data["version"], data=data
        ),
        editing_deal=deal.pk,
    )


def get_deal(plan, pk, **owner):
    return get_object_or_404(Deal.objects.select_related("plan"), plan=plan, pk=pk, **owner)


@require_http_methods(["GET", "POST"])
def deal_create(request, plan_pk):
    access = plan_access(request, plan_pk)
    access.ensure_can_edit()
    return edit_deal(request, access, page("plan", request, access), Deal(plan=access.plan))


@require_http_methods(["GET", "POST"])
def deal_update(request, plan_pk, pk):
    access = plan_access(request, plan_pk)
    access.ensure_can_edit()
    deal = get_deal(access.plan, pk)
    return edit_deal(request, access, page("plan", request, access), deal)


@require_POST
def deal_delete(request, plan_pk, pk):
    access = plan_access(request, plan_pk)
    access.ensure_can_edit()
    services.deal_delete(actor=request.user, deal=get_deal(access.plan, pk))
    return page("plan", request, access).saved(request, DEALS)


# The rep's deals on their PACI (pac.steering.paci).


@require_http_methods(["GET", "POST"])
def paci_deal_create(request, plan_pk, username):
    access = plan_access(request, plan_pk)
    paci = page("paci", request, access, username)
    deal = Deal(plan=access.plan, owner=paci.base["rep"])
    access.ensure(access.can_edit_deal(deal))
    return edit_deal(request, access, paci, deal)


@require_http_methods(["GET", "POST"])
def paci_deal_update(request, plan_pk, username, pk):
    access = plan_access(request, plan_pk)
    paci = page("paci", request, access, username)
    deal = get_deal(access.plan, pk, owner=paci.base["rep"])
    access.ensure(access.can_edit_deal(deal))
    return edit_deal(request, access, paci, deal)


@require_POST
def paci_deal_delete(request, plan_pk, username, pk):
    access = plan_access(request, plan_pk)
    paci = page("paci", request, access, username)
    deal = get_deal(access.plan, pk, owner=paci.base["rep"])
    services.deal_delete(actor=request.user, deal=deal)
    messages.success(request, _("Deal deleted."))
    return paci.saved(request, DEALS)


# The carnet's deals imported from a CRM's export (targets.crm): a preview, then the import.


@require_http_methods(["GET", "POST"])
def deals_import(request, plan_pk):
    """GET: the form. POST: the preview of the export, nothing saved; sent back with confirm=1,
    read and checked again, then saved: the deals it creates and those it updates, matched by
    their id in the CRM. The plan's managers import, for everyone of the team."""
    access = plan_access(request, plan_pk)
    access.ensure_can_edit()
    plan = access.plan
    confirming = request.method == "POST" and request.POST.get("confirm") == "1"
    form = DealsImportForm(posted(request), request.FILES or None, plan=plan, confirming=confirming)
    carnet_url = f"{reverse('pac:plan-detail', args=[plan.pk])}#{DEALS}"
    preview = form.preview if form.is_bound and form.is_valid() else None
    valid = preview is not None and preview.valid
    if valid and confirming:
        try:
            created, updated = services.deals_import(
                actor=request.user, plan=plan, rows=preview.rows_data(), fields=preview.fields
            )
        except ValidationError as refusal:
            # The team changed between the preview's check and the import's (an owner left).
            form.add_error(None, refusal)
            form.preview, valid = None, False
        else:
            messages.success(request, import_summary(len(created), len(updated), done=True))
            return page_saved(request, carnet_url)
    context = access.context() | {
        "form": form,
        "preview": form.preview,
        "summary": import_summary(len(preview.created), len(preview.updated)) if valid else "",
        "headers": crm.recognised_headers(),
        "carnet_url": carnet_url,
    }
    status = 422 if form.is_bound and not valid else 200
    return render(request, "targets/deals_import.html", context, status=status)


def import_summary(created, updated, done=False):
    """ "3 deals will be created. 2 deals will be updated." or, once saved, "3 deals created.
    2 deals updated." (a count of none left out)."""
    if done:
        parts = [
            ngettext("%(count)s deal created.", "%(count)s deals created.", created),
            ngettext("%(count)s deal updated.", "%(count)s deals updated.", updated),
        ]
    else:
        parts = [
            ngettext(
                "%(count)s deal will be created.", "%(count)s deals will be created.", created
            ),
            ngettext(
                "%(count)s deal will be updated.", "%(count)s deals will be updated.", updated
            ),
        ]
    return " ".join(
        part % {"count": number_format(count, force_grouping=True)}
        for part, count in zip(parts, (created, updated), strict=True)
        if count
    )
