"""The PACI page (plan d'action commercial individuel): one person's share of a plan, whose
actions, KPIs and deals they report on in place."""

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pac.core import revisions
from pac.core.editing import Page, registered
from pac.core.models import Plan
from pac.proposals.selectors import rep_proposals
from pac.proposals.services import can_propose
from pac.steering import selectors as steering
from pac.steering.signatures import paci_signature, with_latest_signature


def rep_plans(rep):
    """The plans a person has a PACI in, newest first."""
    return list(
        Plan.objects.filter(Exists(steering.paci_people(OuterRef("pk")).filter(pk=rep.pk)))
        .select_related("team")
        .order_by("-period_start")
    )


def current_plan(plans, today):
    """The plan running today: one whose period holds today, a draft only when no other does
    (the next period's draft, where reps make their proposals, is not the one they work in);
    else the latest one."""
    running = [plan for plan in plans if plan.contains(today)]
    running.sort(key=lambda plan: plan.status == Plan.Status.DRAFT)
    return running[0] if running else (plans[0] if plans else None)


def paci_owner(access, username):
    """The person whose PACI it is, if the reader may see it. Anything else is the same 404 (in
    every mode, its message included), whether the person is unknown, a viewer, or a teammate
    whose PACI the reader may not open."""
    people = with_latest_signature(steering.paci_people(access.plan), access.plan)
    rep = people.filter(username=username).first()
    if rep is None or not access.can_view_paci(rep):
        raise Http404(_("No PACI here."))
    return rep


@registered("paci")
def paci_page(request, access, username):
    """The PACI of `username`; `page.base["rep"]` is its owner."""
    plan = access.plan
    rep = paci_owner(access, username)
    today = timezone.localdate()
    # Reported on by its owner and the managers, while the plan is open.
    reporting = access.works and (request.user.pk == rep.pk or access.is_manager)
    # Long lists come a page at a time; the page asked for stays through edits made on it.
    bucket = request.GET.get("bucket", "")
    kpis_page = request.GET.get("kpis_page", "1")
    deals_page = request.GET.get("deals_page", "1")
    page = Page(
        template="pac/paci.html",
        url=reverse("pac:paci", args=[plan.pk, rep.username]),
        base=access.context()
        | {
            "rep": rep,
            "reporting": reporting,
            "today": today,
            # The rep proposes actions and changes on their own PACI; the manager decides.
            "can_propose": can_propose(access, rep),
            "can_sign": access.can_sign_paci(rep),
        },
        regions={
            "objectives": lambda: steering.paci_objectives(plan, rep, today),
            "actions": lambda: steering.paci_actions(plan, rep, today, expanded=bucket),
            "kpis": lambda: steering.paci_kpis(plan, rep, today, kpis_page),
            "deals": lambda: steering.paci_deals(plan, rep, deals_page),
            "proposals": lambda: rep_proposals(plan, rep),
        },
        around=lambda: {"rep_plans": rep_plans(rep)},
        # A KPI value can move an objective; a won deal too.
        follows={"kpis": ["objectives"], "deals": ["objectives"]},
        # Computed once per shared revision of the plan and token of the rep's own steps and
        # values (pac.core.revisions): the rep's 300 KPIs are ranked and 125 actions sorted again
        # when something of theirs changed, not after a colleague's check-in.
        request=request,
        plan=plan,
        revision=revisions.person_token(plan, rep.pk),
        name="paci",
        parts=(rep.pk, today),
        region_parts={"actions": (bucket,), "kpis": (kpis_page,), "deals": (deals_page,)},
    )
    # Read from what the objectives and the actions already hold: one query more, the latest
    # signature.
    page.regions = {
        "signature": lambda: {
            "signature_state": paci_signature(
                plan,
                rep,
                page.region("objectives")["objectives"],
                page.region("actions")["buckets"],
            )
        },
        **page.regions,
    }
    return page
