"""Steering a plan: the PACI page's door, the cockpit and the review meetings (the "check" of the
PDCA loop). What reps report on their PACI is written by the apps' views (actions, KPIs, deals)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pac.core import revisions
from pac.core.access import plan_access
from pac.core.editing import UNSENT, Page, page_repeated, page_saved, posted, submit
from pac.steering import selectors as steering
from pac.steering import services
from pac.steering.forms import CorrectiveActionForm, ReviewForm
from pac.steering.models import Review
from pac.steering.paci import current_plan, paci_page, rep_plans


@require_GET
def my_paci(request):
    """Straight to the signed-in rep's PACI for the plan running today."""
    plan = current_plan(rep_plans(request.user), timezone.localdate())
    if plan is None:
        return render(request, "pac/paci_none.html")
    return redirect("pac:paci", pk=plan.pk, username=request.user.username)


@require_GET
def paci(request, pk, username):
    return paci_page(request, plan_access(request, pk), username).show(request)


@require_GET
def cockpit(request, pk):
    """The plan's steering board; reps do not see how they compare with each other."""
    access = plan_access(request, pk)
    if not access.oversees:
        raise Http404
    plan = access.plan
    today = timezone.localdate()

    def part(name, compute, *tokens):
        # Each part once per token of what it reads: 2,000 KPIs ranked again after a check-in,
        # not after a tick; 5,000 deals summed again only after a shared change.
        revision = "-".join(token.hex for token in (plan.shared_revision, *tokens))
        return revisions.cached(
            request, plan, f"cockpit-{name}", lambda: compute(plan, today), today, revision=revision
        )

    def off_track(plan, today):
        # Each owner's KPIs ranked once per token of theirs: a check-in, their own alone.
        shares = revisions.cached_by_person(
            request,
            plan,
            "kpi-attention",
            lambda people: steering.attention_by_owner(plan, today, people),
            today,
        )
        return steering.cockpit_kpis(plan, today, [key for keys in shares.values() for key in keys])

    return Page(
        template="pac/cockpit.html",
        url=reverse("pac:cockpit", args=[plan.pk]),
        base=access.context(),
        full=lambda: steering.assembled(
            part("plan", steering.cockpit_plan),
            part("kpis", off_track, plan.values_revision),
            part("late", steering.cockpit_late, plan.steps_revision),
        ),
    ).show(request)


# Review meetings: the "check" of the PDCA loop.


@require_GET
def review_list(request, pk):
    access = plan_access(request, pk)
    plan = access.plan
    reviews = plan.reviews.prefetch_related("attendees")
    return render(request, "pac/review_list.html", access.context() | {"reviews": reviews})


@require_http_methods(["GET", "POST"])
def review_create(request, pk):
    access = plan_access(request, pk)
    plan = access.plan
    access.ensure_can_edit()
    form = ReviewForm(posted(request), instance=Review(plan=plan), plan=plan)

    def save(data):
        return services.review_create(
            actor=request.user,
            plan=plan,
            data={name: data[name] for name in services.REVIEW_FIELDS},
            attendees=data["attendees"],
        )

    sent = submit(form, save) if request.method == "POST" else UNSENT
    if sent.repeated:
        return page_repeated(request, reverse("pac:review-list", args=[plan.pk]))
    if sent.saved:
        messages.success(request, _("Review recorded with the figures of its date."))
        return page_saved(request, sent.result.get_absolute_url())
    context = access.context() | {"form": form, "review": None}
    return render(request, "pac/review_form.html", context, status=sent.status)


def get_review(plan, review_pk):
    return get_object_or_404(Review.objects.select_related("plan__team"), plan=plan, pk=review_pk)


@require_http_methods(["GET", "POST"])
def review_update(request, pk, review_pk):
    access = plan_access(request, pk)
    plan = access.plan
    access.ensure_can_edit()
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

    sent = submit(form, save) if request.method == "POST" else UNSENT
    if sent.saved:
        return page_saved(request, review.get_absolute_url())
    context = access.context() | {"form": form, "review": review}
    return render(request, "pac/review_form.html", context, status=sent.status)


@require_http_methods(["GET", "POST"])
def review_detail(request, pk, review_pk):
    """The review with its frozen figures beside the previous review's, and, for managers, a
    form that turns a decision into an action."""
    access = plan_access(request, pk)
    plan = access.plan
    review = get_review(plan, review_pk)
    context = access.context()
    form = CorrectiveActionForm(posted(request), plan=plan) if context["can_edit"] else None
    sent = UNSENT
    if request.method == "POST":
        access.ensure_can_edit()

        def save(data):
            return services.corrective_action_create(actor=request.user, review=review, data=data)

        sent = submit(form, save)
        if sent.repeated:
            return page_repeated(request, reverse("actions:action-list", args=[plan.pk]))
        if sent.saved:
            messages.success(request, _("Corrective action added to the plan."))
            return page_saved(request, sent.result.get_absolute_url())
    previous = plan.reviews.filter(held_on__lt=review.held_on).order_by("-held_on").first()
    context |= {
        "review": review,
        "previous": previous,
        "objectives": steering.compared(review, previous),
        "kpis": review.snapshot.get("kpis", []),
        "attendees": list(review.attendees.all()),
        "form": form,
    }
    return render(request, "pac/review_detail.html", context, status=sent.status)


@require_POST
def paci_sign(request, pk, username):
    """The rep signs their PACI as it stands ("Signer mon PACI")."""
    access = plan_access(request, pk)
    rep = paci_page(request, access, username).base["rep"]
    services.paci_sign(actor=request.user, plan=access.plan, rep=rep)
    if not request.htmx:
        messages.success(request, _("Your PACI is signed."))
    # Read again: the rep came with their signature of before.
    return paci_page(request, access, username).saved(request, "signature")
