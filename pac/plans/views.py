"""The list of plans and the plan page's own editing: header, strategy, status, roll-over,
deletion, history, budget, SWOT and competitors."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pac.core.access import plan_access
from pac.core.editing import UNSENT, edit_region, page_repeated, page_saved, posted, submit
from pac.core.models import Membership, Plan, Role, Team
from pac.core.periods import PeriodKind
from pac.plans import selectors, services
from pac.plans.forms import (
    CompetitorForm,
    PlanCreateForm,
    PlanDuplicateForm,
    PlanHeaderForm,
    PlanStrategyForm,
    SwotItemForm,
    next_period_start,
    period_kind_of,
)
from pac.plans.models import Competitor, SwotItem
from pac.plans.page import plan_page
from pac.proposals.selectors import plan_proposals


@require_GET
def home(request):
    """Reps start on their PACI; managers, viewers and staff on the list of plans."""
    roles = set(Membership.objects.filter(user=request.user).values_list("role", flat=True))
    if roles == {Role.REP} and not request.user.is_staff:
        return redirect("my-paci")
    return redirect("pac:plan-list")


@require_GET
def plan_list(request):
    plans = (
        Plan.objects.for_user(request.user)
        .select_related("team")
        .annotate(target_count=Count("targets", distinct=True))
        .order_by(*Plan._meta.ordering)  # a grouped query leaves Meta.ordering out
    )
    can_create = Team.objects.managed_by(request.user).exists()
    return render(request, "pac/plan_list.html", {"plans": plans, "can_create": can_create})


@require_GET
def plan_detail(request, pk):
    return plan_page(request, plan_access(request, pk)).show(request)


@require_GET
def plan_budget(request, pk):
    access = plan_access(request, pk)
    plan = access.plan
    context = access.context() | selectors.budget_summary(plan)
    return render(request, "pac/plan_budget.html", context)


@require_http_methods(["GET", "POST"])
def plan_create(request):
    form = PlanCreateForm(posted(request), user=request.user)
    if not form.fields["team"].queryset.exists():
        raise PermissionDenied(_("Only a team's managers create its plans."))

    def save(data):
        return services.plan_create(
            actor=request.user,
            team=data["team"],
            title=data["title"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            budget_envelope=data["budget_envelope"],
        )

    sent = submit(form, save) if request.method == "POST" else UNSENT
    if sent.repeated:
        return page_repeated(request, reverse("pac:plan-list"))
    if sent.saved:
        messages.success(request, _("Plan created. Fill in its sections below."))
        return page_saved(request, sent.result.get_absolute_url())
    return render(request, "pac/plan_form.html", {"form": form}, status=sent.status)


@require_http_methods(["GET", "POST"])
def plan_header(request, pk):
    """Title, period and budget envelope, edited in place at the top of the plan page."""
    return edit_plan_fields(request, pk, PlanHeaderForm, "header")


@require_http_methods(["GET", "POST"])
def plan_strategy(request, pk):
    return edit_plan_fields(request, pk, PlanStrategyForm, "strategy")


def edit_plan_fields(request, pk, form_class, region):
    access = plan_access(request, pk)
    plan = access.plan
    access.ensure_can_edit()
    return edit_region(
        request,
        plan_page(request, access),
        region,
        form_class(posted(request), instance=plan),
        lambda data: services.plan_update(
            actor=request.user,
            plan=plan,
            version=data["version"],
            data={name: data[name] for name in form_class.Meta.fields},
            # The button offered when a new period leaves content outside it.
            shift_dates=request.POST.get("shift_dates") == "1",
        ),
        editing=region,
    )


@require_POST
def plan_status(request, pk):
    access = plan_access(request, pk)
    plan = access.plan
    try:
        plan = services.plan_set_status(
            actor=request.user, plan=plan, status=request.POST.get("status")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if plan.status == Plan.Status.ACTIVE:
            messages.success(request, activated(plan))
    return page_saved(request, plan.get_absolute_url())


def activated(plan):
    """The plan is running; the reps' proposals still waiting are named, not refused: the manager
    decides them on the plan page when they can."""
    waiting = [proposal for proposal in plan_proposals(plan)["proposals"] if proposal.waiting]
    if not waiting:
        return _("The plan is active.")
    return ngettext(
        "The plan is active. %(count)s proposal still waits for a decision: %(proposals)s.",
        "The plan is active. %(count)s proposals still wait for a decision: %(proposals)s.",
        len(waiting),
    ) % {
        "count": len(waiting),
        "proposals": "; ".join(
            _("%(subject)s (%(author)s)") % {"subject": p.subject, "author": p.author}
            for p in waiting
        ),
    }


@require_http_methods(["GET", "POST"])
def plan_duplicate(request, pk):
    """Roll the plan over to the next period: one click on the prefilled form."""
    access = plan_access(request, pk)
    plan = access.plan
    services.ensure_can_create_plan(request.user, plan.team)
    initial = {
        "title": _("%(title)s (copy)") % {"title": plan.title},
        "period_kind": period_kind_of(plan),
        "period_start": next_period_start(plan),
    }
    if initial["period_kind"] == PeriodKind.CUSTOM:
        initial["period_end"] = next_period_start(plan) + (plan.period_end - plan.period_start)
    form = PlanDuplicateForm(posted(request), initial=initial)

    def save(data):
        return services.plan_duplicate(
            actor=request.user,
            plan=plan,
            title=data["title"],
            period_start=data["period_start"],
            period_end=data["period_end"],
        )

    sent = submit(form, save) if request.method == "POST" else UNSENT
    if sent.repeated:
        return page_repeated(request, reverse("pac:plan-list"))
    if sent.saved:
        messages.success(request, _("Plan duplicated: this is the new draft."))
        return page_saved(request, sent.result.get_absolute_url())
    context = {"plan": plan, "form": form}
    return render(request, "pac/plan_duplicate.html", context, status=sent.status)


@require_http_methods(["GET", "POST"])
def plan_delete(request, pk):
    access = plan_access(request, pk)
    plan = access.plan
    access.ensure_can_edit()
    if request.method == "POST":
        services.plan_delete(actor=request.user, plan=plan)
        messages.success(request, _("The plan “%(title)s” was deleted.") % {"title": plan.title})
        return page_saved(request, reverse("pac:plan-list"))
    context = {"plan": plan, "contents": selectors.plan_contents(plan)}
    return render(request, "pac/plan_confirm_delete.html", context)


@require_GET
def plan_history(request, pk):
    access = plan_access(request, pk)
    plan = access.plan
    context = access.context() | {"changes": selectors.plan_history(plan)}
    return render(request, "pac/plan_history.html", context)


# The SWOT matrix, edited in place quadrant by quadrant.


def get_swot_item(plan, item_pk):
    return get_object_or_404(SwotItem.objects.select_related("plan"), plan=plan, pk=item_pk)


@require_http_methods(["GET", "POST"])
def swot_create(request, pk):
    access = plan_access(request, pk)
    plan = access.plan
    access.ensure_can_edit()
    quadrant = request.POST.get("quadrant") or request.GET.get("quadrant")
    if quadrant not in SwotItem.Quadrant.values:
        messages.error(request, _("Choose a quadrant of the SWOT matrix."))
        return plan_page(request, access).saved(request, "swot")
    form = SwotItemForm(posted(request), instance=SwotItem(plan=plan, quadrant=quadrant))
    return edit_region(
        request,
        plan_page(request, access),
        "swot",
        form,
        lambda data: services.swot_item_create(
            actor=request.user, plan=plan, quadrant=quadrant, text=data["text"]
        ),
        adding=quadrant,
    )


@require_http_methods(["GET", "POST"])
def swot_update(request, pk, item_pk):
    access = plan_access(request, pk)
    plan = access.plan
    access.ensure_can_edit()
    item = get_swot_item(plan, item_pk)
    form = SwotItemForm(posted(request), instance=item)
    return edit_region(
        request,
        plan_page(request, access),
        "swot",
        form,
        lambda data: services.swot_item_update(
            actor=request.user, item=item, version=data["version"], text=data["text"]
        ),
        editing_swot=item.pk,
    )


@require_POST
def swot_delete(request, pk, item_pk):
    access = plan_access(request, pk)
    plan = access.plan
    services.swot_item_delete(actor=request.user, item=get_swot_item(plan, item_pk))
    return plan_page(request, access).saved(request, "swot")


@require_POST
def swot_move(request, pk, item_pk):
    access = plan_access(request, pk)
    plan = access.plan
    direction = request.POST.get("direction")
    try:
        services.swot_item_move(
            actor=request.user, item=get_swot_item(plan, item_pk), direction=direction
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return plan_page(request, access).saved(request, "swot")


# Competitors, an inline table.


@require_http_methods(["GET", "POST"])
def competitor_create(request, pk):
    access = plan_access(request, pk)
    plan = access.plan
    access.ensure_can_edit()
    form = CompetitorForm(posted(request), instance=Competitor(plan=plan))
    return edit_region(
        request,
        plan_page(request, access),
        "competitors",
        form,
        lambda data: services.competitor_create(
            actor=request.user,
            plan=plan,
            data={name: data[name] for name in CompetitorForm.Meta.fields},
        ),
        adding="competitor",
    )


@require_http_methods(["GET", "POST"])
def competitor_update(request, pk, competitor_pk):
    access = plan_access(request, pk)
    plan = access.plan
    access.ensure_can_edit()
    competitor = get_object_or_404(Competitor, plan=plan, pk=competitor_pk)
    form = CompetitorForm(posted(request), instance=competitor)
    return edit_region(
        request,
        plan_page(request, access),
        "competitors",
        form,
        lambda data: services.competitor_update(
            actor=request.user,
            competitor=competitor,
            version=data["version"],
            data={name: data[name] for name in CompetitorForm.Meta.fields},
        ),
        editing_competitor=competitor.pk,
    )


@require_POST
def competitor_delete(request, pk, competitor_pk):
    access = plan_access(request, pk)
    plan = access.plan
    competitor = get_object_or_404(Competitor, plan=plan, pk=competitor_pk)
    services.competitor_delete(actor=request.user, competitor=competitor)
    return plan_page(request, access).saved(request, "competitors")
