"""The PACI (a rep's individual plan) and what reps report there: steps, progress, KPI values,
deals."""

from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actions import services as action_services
from actions.forms import ActionReportForm
from actions.models import Action, ActionStep
from kpis import services as kpi_services
from kpis.forms import KpiValueForm
from kpis.models import Kpi
from pac.core import revisions
from pac.core.access import (
    can_edit_deal,
    can_record_kpi,
    can_report_on_action,
    can_view_cockpit,
    can_view_paci,
    ensure,
    ensure_can_edit_plan,
    get_plan,
    is_manager,
    plan_context,
    team_role,
)
from pac.core.editing import Page, edit_region, page_repeated, page_saved, posted, submit
from pac.core.models import Plan
from pac.steering import selectors as steering
from pac.steering import services
from pac.steering.forms import CorrectiveActionForm, ReviewForm
from pac.steering.models import Review
from targets import services as deal_services
from targets.forms import DealForm
from targets.models import Deal


def rep_plans(rep):
    """The plans a person has a PACI in, newest first."""
    return list(
        Plan.objects.filter(Exists(steering.paci_people(OuterRef("pk")).filter(pk=rep.pk)))
        .select_related("team")
        .order_by("-period_start")
    )


def current_plan(plans, today):
    """The plan whose period holds today, else the latest one."""
    return next((plan for plan in plans if plan.contains(today)), plans[0] if plans else None)


@require_GET
def my_paci(request):
    """Straight to the signed-in rep's PACI for the plan running today."""
    plan = current_plan(rep_plans(request.user), timezone.localdate())
    if plan is None:
        return render(request, "pac/paci_none.html")
    return redirect("pac:paci", pk=plan.pk, username=request.user.username)


def get_paci(request, pk, username):
    """The plan and the rep whose PACI it is, if the reader may see it. Anything else is the same
    404 (in every mode, its message included), whether the person is unknown, a viewer, or a
    teammate whose PACI the reader may not open."""
    plan = get_plan(request, pk)
    plan.reader_role = team_role(request.user, plan.team_id)
    rep = steering.paci_people(plan).filter(username=username).first()
    if rep is None or not can_view_paci(request.user, plan, rep, role=plan.reader_role):
        raise Http404(_("No PACI here."))
    return plan, rep


def paci_page(request, plan, rep):
    today = timezone.localdate()
    base = plan_context(request, plan, role=plan.reader_role)
    reporting = not plan.is_closed and (
        request.user == rep or is_manager(request.user, plan, base["role"])
    )
    # Long lists come a page at a time; the page asked for stays through edits made on it.
    bucket = request.GET.get("bucket", "")
    kpis_page = request.GET.get("kpis_page", "1")
    deals_page = request.GET.get("deals_page", "1")

    # Computed once per revision of the plan (pac.revisions): the rep's 300 KPIs are ranked and
    # 125 actions sorted again only when something changed.
    def region(name, compute, *parts):
        return lambda: revisions.cached(
            request, plan, f"paci-{name}", compute, rep.pk, today, *parts
        )

    regions = {
        "objectives": region("objectives", lambda: steering.paci_objectives(plan, rep, today)),
        "actions": region(
            "actions", lambda: steering.paci_actions(plan, rep, today, expanded=bucket), bucket
        ),
        "kpis": region("kpis", lambda: steering.paci_kpis(plan, rep, today, kpis_page), kpis_page),
        "deals": region("deals", lambda: steering.paci_deals(plan, rep, deals_page), deals_page),
    }
    return Page(
        template="pac/paci.html",
        url=reverse("pac:paci", args=[plan.pk, rep.username]),
        base=base | {"rep": rep, "reporting": reporting, "today": today},
        full=lambda: (
            {"rep_plans": rep_plans(rep)}
            | {key: value for data in regions.values() for key, value in data().items()}
        ),
        regions=regions,
        # A KPI value can move an objective; a won deal too.
        follows={"kpis": ["objectives"], "deals": ["objectives"]},
    )


@require_GET
def paci(request, pk, username):
    plan, rep = get_paci(request, pk, username)
    return paci_page(request, plan, rep).show(request)


def rep_action(plan, rep, pk):
    """One of the rep's actions in this plan (owned or taken part in)."""
    return get_object_or_404(
        Action.objects.of_plan(plan).involving(rep).select_related("target__plan"), pk=pk
    )


@require_http_methods(["GET", "POST"])
def action_report(request, pk, username, action_pk):
    """Status, progress, occurrences done and spend of one of the rep's actions."""
    plan, rep = get_paci(request, pk, username)
    action = rep_action(plan, rep, action_pk)
    ensure(can_report_on_action(request.user, action), plan)
    form = ActionReportForm(posted(request), instance=action)
    return edit_region(
        request,
        paci_page(request, plan, rep),
        "actions",
        form,
        lambda data: action_services.action_report(
            actor=request.user,
            action=action,
            version=data["version"],
            data={name: data[name] for name in ActionReportForm.Meta.fields},
        ),
        editing_action=action.pk,
    )


@require_POST
def step_done(request, pk, username, step_pk):
    plan, rep = get_paci(request, pk, username)
    step = get_object_or_404(
        ActionStep.objects.select_related("action__target__plan"),
        action__target__plan=plan,
        pk=step_pk,
    )
    rep_action(plan, rep, step.action_id)
    action_services.step_set_done(
        actor=request.user, step=step, done=request.POST.get("done") == "1"
    )
    return paci_page(request, plan, rep).saved(request, "actions")


@require_http_methods(["GET", "POST"])
def kpi_value_create(request, pk, username, kpi_pk):
    """The check-in: a value for one of the rep's KPIs, with its date and a comment."""
    plan, rep = get_paci(request, pk, username)
    kpi = get_object_or_404(
        Kpi.objects.of_plan(plan).select_related("action", "objective"), pk=kpi_pk, owner=rep
    )
    ensure(can_record_kpi(request.user, kpi, plan), plan)
    form = KpiValueForm(posted(request), kpi=kpi)
    return edit_region(
        request,
        paci_page(request, plan, rep),
        "kpis",
        form,
        lambda data: kpi_services.kpi_value_record(
            actor=request.user,
            kpi=kpi,
            value=data["value"],
            on=data["recorded_on"],
            comment=data["comment"],
        ),
        adding_value=kpi.pk,
    )


def deal_form(request, plan, deal):
    return DealForm(
        posted(request),
        instance=deal,
        plan=plan,
        user=request.user,
        manager=is_manager(request.user, plan),
    )


@require_http_methods(["GET", "POST"])
def deal_create(request, pk, username):
    plan, rep = get_paci(request, pk, username)
    ensure(can_edit_deal(request.user, Deal(plan=plan, owner=rep)), plan)
    form = deal_form(request, plan, Deal(plan=plan, owner=rep))
    if not form.is_bound:
        form.initial["owner"] = rep.pk
    return edit_region(
        request,
        paci_page(request, plan, rep),
        "deals",
        form,
        lambda data: deal_services.deal_create(actor=request.user, plan=plan, data=data),
        adding="deal",
    )


def rep_deal(plan, rep, deal_pk):
    return get_object_or_404(Deal.objects.select_related("plan"), plan=plan, owner=rep, pk=deal_pk)


@require_http_methods(["GET", "POST"])
def deal_update(request, pk, username, deal_pk):
    plan, rep = get_paci(request, pk, username)
    deal = rep_deal(plan, rep, deal_pk)
    ensure(can_edit_deal(request.user, deal), plan)
    form = deal_form(request, plan, deal)
    return edit_region(
        request,
        paci_page(request, plan, rep),
        "deals",
        form,
        lambda data: deal_services.deal_update(
            actor=request.user, deal=deal, version=data["version"], data=data
        ),
        editing_deal=deal.pk,
    )


@require_POST
def deal_delete(request, pk, username, deal_pk):
    plan, rep = get_paci(request, pk, username)
    deal_services.deal_delete(actor=request.user, deal=rep_deal(plan, rep, deal_pk))
    messages.success(request, _("Deal deleted."))
    return paci_page(request, plan, rep).saved(request, "deals")


@require_GET
def cockpit(request, pk):
    """The plan's steering board; reps do not see how they compare with each other."""
    plan = get_plan(request, pk)
    role = team_role(request.user, plan.team_id)
    if not can_view_cockpit(request.user, plan, role=role):
        raise Http404
    today = timezone.localdate()
    # Ranking 2,000 KPIs and 5,000 deals again only when the plan has changed (pac.revisions).
    figures = revisions.cached(
        request, plan, "cockpit", lambda: steering.cockpit(plan, today), today
    )
    context = plan_context(request, plan, role=role) | figures
    return render(request, "pac/cockpit.html", context)


# Review meetings: the "check" of the PDCA loop.


@require_GET
def review_list(request, pk):
    plan = get_plan(request, pk)
    reviews = plan.reviews.prefetch_related("attendees")
    return render(
        request, "pac/review_list.html", plan_context(request, plan) | {"reviews": reviews}
    )


@require_http_methods(["GET", "POST"])
def review_create(request, pk):
    plan = get_plan(request, pk)
    ensure_can_edit_plan(request.user, plan)
    form = ReviewForm(posted(request), instance=Review(plan=plan), plan=plan)
    saved = {}

    def save(data):
        saved["review"] = services.review_create(
            actor=request.user,
            plan=plan,
            data={name: data[name] for name in services.REVIEW_FIELDS},
            attendees=data["attendees"],
        )

    outcome = submit(form, save) if request.method == "POST" else None
    if outcome == "repeated":
        return page_repeated(request, reverse("pac:review-list", args=[plan.pk]))
    if outcome == "saved":
        messages.success(request, _("Review recorded with the figures of its date."))
        return page_saved(request, saved["review"].get_absolute_url())
    status = 422 if form.is_bound else 200
    context = plan_context(request, plan) | {"form": form, "review": None}
    return render(request, "pac/review_form.html", context, status=status)


def get_review(plan, review_pk):
    return get_object_or_404(Review.objects.select_related("plan__team"), plan=plan, pk=review_pk)


@require_http_methods(["GET", "POST"])
def review_update(request, pk, review_pk):
    plan = get_plan(request, pk)
    ensure_can_edit_plan(request.user, plan)
    review = get_review(plan, review_pk)
    form = ReviewForm(posted(request), instance=review, plan=plan)

    def save(data):
        services.review_update(
            actor=request.user,
            review=review,
            version=data["version"],
            data={name: data[name] for name in services.REVIEW_FIELDS},
            attendees=data["attendees"],
        )

    if request.method == "POST":
        outcome = submit(form, save)
        if outcome == "saved":
            return page_saved(request, review.get_absolute_url())
        status = 409 if outcome == "conflict" else 422
    else:
        status = 200
    context = plan_context(request, plan) | {"form": form, "review": review}
    return render(request, "pac/review_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def review_detail(request, pk, review_pk):
    """The review with its frozen figures beside the previous review's, and, for managers, a
    form that turns a decision into an action."""
    plan = get_plan(request, pk)
    review = get_review(plan, review_pk)
    context = plan_context(request, plan)
    form = CorrectiveActionForm(posted(request), plan=plan) if context["can_edit"] else None
    if request.method == "POST":
        ensure_can_edit_plan(request.user, plan)
        created = {}

        def save(data):
            created["action"] = services.corrective_action_create(
                actor=request.user, review=review, data=data
            )

        outcome = submit(form, save)
        if outcome == "repeated":
            return page_repeated(request, reverse("actions:action-list", args=[plan.pk]))
        if outcome == "saved":
            messages.success(request, _("Corrective action added to the plan."))
            action = created["action"]
            return page_saved(request, reverse("actions:action-detail", args=[plan.pk, action.pk]))
    previous = plan.reviews.filter(held_on__lt=review.held_on).order_by("-held_on").first()
    context |= {
        "review": review,
        "previous": previous,
        "objectives": steering.compared(review, previous),
        "kpis": review.snapshot.get("kpis", []),
        "attendees": list(review.attendees.all()),
        "form": form,
    }
    status = 422 if form is not None and form.is_bound else 200
    return render(request, "pac/review_detail.html", context, status=status)
