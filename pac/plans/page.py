"""The plan page: its sections, each refreshed in place by htmx, computed once per revision."""

from pac.core import revisions
from pac.core.access import can_view_paci, plan_context
from pac.core.editing import Page, number
from pac.core.models import Role
from pac.plans import selectors

# The plan page lists the first actions of each domain; the action list has them all. It lists
# the first KPIs of each objective, all of them for the objective named by ?kpis_of=.
OVERVIEW_ACTIONS = 25
OBJECTIVE_KPIS = 3


def plan_page(request, plan):
    deals_page = request.GET.get("deals_page", "1")

    # Computed once per revision of the plan (pac.revisions), like the PACI and the cockpit.
    def cached(name, compute, *parts):
        return lambda: revisions.cached(request, plan, name, compute, *parts)

    regions = {
        name: cached(f"plan-{name}", lambda build=build: build(plan))
        for name, build in selectors.SECTIONS.items()
    }
    regions["deals"] = cached(
        "plan-deals", lambda: selectors.deals_section(plan, page=deals_page), deals_page
    )
    # The team read once: the reader's role, and the reps whose PACI the page links to.
    members = list(plan.team.memberships.select_related("user"))
    role = next((member.role for member in members if member.user_id == request.user.pk), None)
    # The PACIs the reader may open: a rep their own, the others every rep's.
    reps = sorted(
        (
            member.user
            for member in members
            if member.role == Role.REP and can_view_paci(request.user, plan, member.user, role=role)
        ),
        key=lambda user: str(user).lower(),
    )
    return Page(
        template="pac/plan_detail.html",
        url=plan.get_absolute_url(),
        base=plan_context(request, plan, role=role)
        | {"reps": reps, "kpis_shown": OBJECTIVE_KPIS, "kpis_of": number(request.GET, "kpis_of")},
        full=cached(
            "plan",
            lambda: selectors.plan_overview(
                plan, actions_per_domain=OVERVIEW_ACTIONS, deals_page=deals_page
            ),
            deals_page,
        ),
        regions=regions,
    )
