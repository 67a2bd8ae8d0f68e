"""The plan page: its sections, each refreshed in place by htmx, computed once per revision."""

from functools import partial

from pac.core.editing import Page, number, registered
from pac.core.models import Role
from pac.plans import selectors
from pac.proposals.selectors import plan_proposals

# The plan page lists the first actions of each domain; the action list has them all. It lists
# the first KPIs of each objective, all of them for the objective named by ?kpis_of=.
OVERVIEW_ACTIONS = 25
OBJECTIVE_KPIS = 3


@registered("plan")
def plan_page(request, access):
    plan = access.plan
    deals_page = request.GET.get("deals_page", "1")
    regions = {name: partial(build, plan) for name, build in selectors.SECTIONS.items()}
    regions["deals"] = lambda: selectors.deals_section(plan, page=deals_page)
    # The reps' proposals, waiting first: the manager decides them here, the others read them.
    regions["proposals"] = lambda: plan_proposals(plan)
    # The PACIs the reader may open: a rep their own, the others every rep's.
    reps = sorted(
        (
            member.user
            for member in plan.team.memberships.select_related("user")
            if member.role == Role.REP and access.can_view_paci(member.user)
        ),
        key=lambda user: str(user).lower(),
    )
    return Page(
        template="pac/plan_detail.html",
        url=plan.get_absolute_url(),
        base=access.context()
        | {"reps": reps, "kpis_shown": OBJECTIVE_KPIS, "kpis_of": number(request.GET, "kpis_of")},
        full=lambda: (
            selectors.plan_overview(
                plan, actions_per_domain=OVERVIEW_ACTIONS, deals_page=deals_page
            )
            | plan_proposals(plan)
        ),
        regions=regions,
        # Computed once per revision of the plan (pac.core.revisions), like the PACI and the
        # cockpit.
        request=request,
        plan=plan,
        name="plan",
        region_parts={"deals": (deals_page,)},
    )
