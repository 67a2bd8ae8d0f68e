"""Proposals made on the rep's PACI, decided on the plan page.

The rep's forms open in place on their PACI: a new action in the "proposals" region, a change in
the card of the action or objective it changes; once sent, that region and the list of the rep's
proposals show again. The manager's decisions reload the plan page, whose sections an accepted
proposal changes (its actions, its objectives) besides the proposals' own.
"""

from dataclasses import replace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from actions.models import Action
from pac.core.access import plan_access
from pac.core.editing import edit_region, number, page, posted, submit
from pac.core.versioning import EditConflict
from pac.proposals import services
from pac.proposals.forms import AmendForm, DeclineForm, ProposalForm
from pac.proposals.models import Proposal
from targets.models import Objective

Kind = Proposal.Kind
REGION = "proposals"


def rep_page(request, access, username):
    """The rep's PACI, if they may propose on it: their own, while the plan is open."""
    paci = page("paci", request, access, username)
    services.ensure_can_propose(access, paci.base["rep"])
    return paci


def propose(request, access, paci, region, kind, row=None, **context):
    """The proposal form in `region` of the PACI; once sent, the region and the rep's proposals
    show again."""
    form = ProposalForm(posted(request), kind=kind, plan=access.plan, row=row)

    def save(data):
        return services.proposal_create(
            actor=request.user,
            plan=access.plan,
            kind=kind,
            action=row if kind == Kind.ACTION_CHANGE else None,
            objective=row if kind == Kind.OBJECTIVE_CHANGE else None,
            data=form.values(),
            comment=data["comment"],
        )

    follows = {region: [REGION]} if region != REGION else {}
    return edit_region(request, replace(paci, follows=follows), region, form, save, **context)


@require_http_methods(["GET", "POST"])
def proposal_create(request, pk, username):
    """A new action on one of the plan's targets, proposed by the rep who would own it."""
    access = plan_access(request, pk)
    paci = rep_page(request, access, username)
    return propose(request, access, paci, REGION, Kind.NEW_ACTION, proposing="action")


@require_http_methods(["GET", "POST"])
def action_proposal_create(request, pk, username, action_pk):
    """A change to the dates, means, budget or occurrences of one of the rep's own actions."""
    access = plan_access(request, pk)
    paci = rep_page(request, access, username)
    action = get_object_or_404(
        Action.objects.of_plan(access.plan)
        .filter(owner=paci.base["rep"])
        .select_related("target__plan"),
        pk=action_pk,
    )
    return propose(
        request, access, paci, "actions", Kind.ACTION_CHANGE, action, proposing_action=action.pk
    )


@require_http_methods(["GET", "POST"])
def objective_proposal_create(request, pk, username, objective_pk):
    """A change to the target value of one of the rep's own objectives."""
    access = plan_access(request, pk)
    paci = rep_page(request, access, username)
    objective = get_object_or_404(
        Objective.objects.of_plan(access.plan)
        .filter(owner=paci.base["rep"], kind=Objective.Kind.QUANTITATIVE)
        .select_related("target__plan"),
        pk=objective_pk,
    )
    return propose(
        request,
        access,
        paci,
        "objectives",
        Kind.OBJECTIVE_CHANGE,
        objective,
        proposing_objective=objective.pk,
    )


# The manager's decisions, on the plan page.


def get_proposal(plan, proposal_pk):
    """One of the plan's proposals; another plan's is a 404, like a missing one."""
    proposal = get_object_or_404(
        Proposal.objects.select_related("author", "target", "action", "objective"),
        plan=plan,
        pk=proposal_pk,
    )
    proposal.plan = plan
    return proposal


def decision_access(request, pk, proposal_pk):
    access = plan_access(request, pk)
    services.ensure_can_decide(access)
    return access, get_proposal(access.plan, proposal_pk)


def back_to_plan(request, plan):
    """The plan page again, with the message: htmx reloads the page the manager is on (a
    redirect to its own address plus "#proposals" would only scroll, the page left as it was);
    a form post goes to the proposals."""
    if request.htmx:
        return HttpResponseClientRefresh()
    return redirect(f"{plan.get_absolute_url()}#{REGION}")


def decided(request, plan, message):
    messages.success(request, message)
    return back_to_plan(request, plan)


@require_POST
def proposal_accept(request, pk, proposal_pk):
    """Accept the proposal as it is. Its row moved since it was proposed: the manager is shown
    the values and the form to amend them, and nothing is applied."""
    access, proposal = decision_access(request, pk, proposal_pk)
    plan = access.plan
    try:
        services.proposal_accept(
            actor=request.user, proposal=proposal, version=number(request.POST, "version")
        )
    except EditConflict as conflict:
        if isinstance(conflict.current, Proposal):
            messages.error(request, _("This proposal has already been decided."))
            return back_to_plan(request, plan)
        form = AmendForm(proposal=proposal)
        plan_page = page("plan", request, access)
        return plan_page.render(request, REGION, status=409, form=form, amending=proposal.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back_to_plan(request, plan)
    return decided(request, plan, _("Proposal accepted: it is now in the plan."))


@require_http_methods(["GET", "POST"])
def proposal_amend(request, pk, proposal_pk):
    """The proposed values, edited by the manager, then accepted against the row as it is now."""
    access, proposal = decision_access(request, pk, proposal_pk)
    form = AmendForm(posted(request), proposal=proposal)
    return decide(
        request,
        access,
        form,
        lambda data: services.proposal_accept(
            actor=request.user, proposal=proposal, version=data["version"], amended=form.values()
        ),
        _("Proposal amended and accepted: it is now in the plan."),
        amending=proposal.pk,
    )


@require_http_methods(["GET", "POST"])
def proposal_decline(request, pk, proposal_pk):
    """Decline the proposal with the reason the rep reads."""
    access, proposal = decision_access(request, pk, proposal_pk)
    form = DeclineForm(posted(request), proposal=proposal)
    return decide(
        request,
        access,
        form,
        lambda data: services.proposal_decline(
            actor=request.user, proposal=proposal, version=data["version"], reason=data["reason"]
        ),
        _("Proposal declined; its author is told why."),
        declining=proposal.pk,
    )


def decide(request, access, form, save, message, **context):
    """The decision form in the proposals section; once decided, the plan page again."""
    plan_page = page("plan", request, access)
    if request.method != "POST":
        return plan_page.render(request, REGION, form=form, **context)
    sent = submit(form, save)
    if sent.saved:
        return decided(request, access.plan, message)
    return plan_page.render(request, REGION, status=sent.status, form=form, **context)
