"""Reads of the plan page and the plan's own pages: sections, budget summary, contents, history.

Each function runs a fixed number of queries whatever the size of the plan; tests pin them.
"""

from collections import defaultdict
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import DecimalField, Prefetch, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from actions.models import Action, ActionStep
from actions.selectors import ZERO, BudgetLine, actions_section
from kpis.measures import with_measures
from kpis.models import Kpi, KpiValue
from kpis.selectors import with_latest
from pac.core.history import changes
from pac.core.models import NAME_FIELDS, Plan, User
from pac.core.paging import page_of
from pac.diagnosis.selectors import coverage_warnings
from pac.plans.models import Competitor, SwotItem
from targets.models import Objective, Target, forecast
from targets.splits import split_of


def strategy_section(plan):
    return {
        "strategy_sections": [
            (plan._meta.get_field(name).verbose_name, getattr(plan, name))
            for name in ("strategy", "ambitions", "segmentation", "company_goals")
        ]
    }


def swot_section(plan):
    """The four quadrants in the order of the matrix, each with its items in order."""
    swot = {value: [] for value in SwotItem.Quadrant.values}
    for item in plan.swot_items.all():
        swot[item.quadrant].append(item)
    return {"swot": [(value, label, swot[value]) for value, label in SwotItem.Quadrant.choices]}


def competitors_section(plan):
    return {"competitors": list(plan.competitors.all())}


# "Choisir, c'est renoncer": past these, a plan spreads itself too thin. Shown on the page.
HIGH_PRIORITY_LIMIT = 3
TARGET_LIMIT = 6
THIN_BUDGET_SHARE = Decimal("0.05")


def focus_warnings(targets):
    """What makes a plan unselective: too many top priorities, too many targets, crumbs of budget.

    `targets` carry `budget_planned`, the sum of their actions' planned budgets.
    """
    warnings = []
    high = [target for target in targets if target.priority == Target.Priority.HIGH]
    if len(high) > HIGH_PRIORITY_LIMIT:
        warnings.append(
            _(
                "%(count)s targets are high priority. Beyond %(limit)s, none really is: "
                "keep the few that matter most."
            )
            % {"count": len(high), "limit": HIGH_PRIORITY_LIMIT}
        )
    if len(targets) > TARGET_LIMIT:
        warnings.append(
            _("The plan has %(count)s targets. Beyond %(limit)s, the team's effort is scattered.")
            % {"count": len(targets), "limit": TARGET_LIMIT}
        )
    total = sum((target.budget_planned for target in targets), ZERO)
    thin = [
        target for target in targets if total and target.budget_planned < total * THIN_BUDGET_SHARE
    ]
    if len(thin) > 1:
        warnings.append(
            _(
                "%(names)s each get less than %(share)s of the planned budget: too little to "
                "make a difference. Fund them properly or drop them."
            )
            % {
                "names": ", ".join(target.name for target in thin),
                "share": f"{int(THIN_BUDGET_SHARE * 100)} %",
            }
        )
    return warnings


def with_shares(target):
    """The target's team objectives (`target.team_objectives`), each with its reps' shares by
    name (`share_rows`) and its split (`split`), from the objectives already read."""
    objectives = list(target.objectives.all())
    shares = defaultdict(list)
    for objective in objectives:
        if objective.parent_id is not None:
            shares[objective.parent_id].append(objective)
    target.team_objectives = [objective for objective in objectives if objective.parent_id is None]
    for objective in target.team_objectives:
        objective.share_rows = sorted(
            shares[objective.pk], key=lambda share: str(share.owner).lower()
        )
        objective.split = (
            split_of(objective.to_split, [share.target_value for share in objective.share_rows])
            if objective.share_rows
            else None
        )


def targets_section(plan):
    """Targets with their budget, objectives (how each is measured, a qualitative one's latest
    assessment) and the objectives' KPIs with their latest value."""
    today = timezone.localdate()
    objectives = with_measures(Objective.objects.select_related("owner", "measure_kpi"), today)
    kpis = with_latest(Kpi.objects.select_related("owner"), today)
    targets = list(
        plan.targets.annotate(
            budget_planned=Coalesce(
                Sum("actions__budget_planned"), Value(ZERO), output_field=DecimalField()
            )
        )
        .prefetch_related(
            Prefetch("objectives", queryset=objectives),
            Prefetch("objectives__kpis", queryset=kpis),
        )
        # Spelled out: Django leaves Meta.ordering out of a grouped query, and PostgreSQL then
        # returns the groups in whatever order its plan gives.
        .order_by(*Target._meta.ordering)
    )
    for target in targets:
        with_shares(target)
    return {
        "targets": targets,
        "focus_warnings": focus_warnings(targets) + coverage_warnings(plan, targets),
        "focus_limits": {
            "high": HIGH_PRIORITY_LIMIT,
            "targets": TARGET_LIMIT,
            "share": f"{int(THIN_BUDGET_SHARE * 100)} %",
        },
    }


DEALS_PER_PAGE = 20


def deals_section(plan, page=None):
    """The carnet: its weighted total, and its deals by milestone (one page of them, or all when
    `page` is None)."""
    deals = plan.deals.select_related("owner", "target").order_by("milestone_date", "company", "pk")
    if page is None:
        count, weighted = plan.deals.summary()
        return {"deals_weighted_total": weighted, "deals": list(deals)}
    shown, (count, weighted) = carnet_page(deals, page)
    # Forms opened on this page come back to it.
    return {
        "deals_weighted_total": weighted,
        "deals": list(shown),
        "deals_page": shown,
        "deals_query": f"?deals_page={shown.number}",
    }


def carnet_page(deals, number):
    """(one page of the carnet, its summary), in one query: the page asked for, each of its
    deals carrying the summary of all of them. A page past the end costs the summary, then
    the last page."""
    try:
        wanted = max(int(number), 1)
    except (TypeError, ValueError):
        wanted = 1
    rows = []
    if wanted <= MAX_PAGE:
        start = (wanted - 1) * DEALS_PER_PAGE
        rows = list(deals.with_summary()[start : start + DEALS_PER_PAGE])
    if rows:
        summary = rows[0].summary_count, forecast(rows[0].summary_total)
    elif wanted == 1:
        summary = 0, forecast(0)  # an empty carnet
    else:
        summary = deals.summary()
        return page_of(deals, DEALS_PER_PAGE, number, summary[0]), summary
    paginator = Paginator((), DEALS_PER_PAGE)
    paginator.count = summary[0]
    return Page(rows, wanted, paginator), summary


# A page number beyond any carnet's (20 deals a page) is not asked of the database.
MAX_PAGE = 10**6


# What each in-place section of the plan page needs; a section alone is rendered with its own.
SECTIONS = {
    "header": lambda plan: {},
    "strategy": strategy_section,
    "swot": swot_section,
    "competitors": competitors_section,
    "targets": targets_section,
}


def plan_overview(plan, actions_per_domain=None, deals_page=None):
    """Every section of a plan, in the order of the printed document: whole by default, the
    first actions of each domain and a page of deals for the web page."""
    return {
        **strategy_section(plan),
        **swot_section(plan),
        **competitors_section(plan),
        **targets_section(plan),
        **actions_section(plan, first=actions_per_domain),
        **deals_section(plan, page=deals_page),
        "latest_review": plan.reviews.first(),
    }


def budget_summary(plan):
    """Planned against spent per domain, per target and per rep, and the plan against its envelope.

    One grouped query (domain × target × owner) folded three ways here, whatever the number of
    actions: sums of Decimals, so the three views add up to the same total to the cent.
    """
    rows = (
        Action.objects.of_plan(plan)
        .values("domain", "target", "target__name", "owner")
        .annotate(planned=Sum("budget_planned"), actual=Sum("budget_actual"))
        .values_list(
            "domain",
            "target",
            "target__name",
            "owner",
            "planned",
            "actual",
            *(f"owner__{name}" for name in NAME_FIELDS),
        )
    )
    domains = {value: BudgetLine(label) for value, label in Action.Domain.choices}
    targets, reps = {}, {}
    for domain, target, target_name, owner, planned, actual, *name in rows:
        rep_name = User.name_of(*name) if owner else str(_("Nobody"))
        for line in (
            domains[domain],
            targets.setdefault(target, BudgetLine(target_name)),
            reps.setdefault(owner, BudgetLine(rep_name)),
        ):
            line.planned += planned or ZERO
            line.actual += actual or ZERO
    domains = list(domains.values())
    total = BudgetLine(
        plan.title, sum((d.planned for d in domains), ZERO), sum((d.actual for d in domains), ZERO)
    )
    return {
        "budget_domains": domains,
        "budget_targets": [targets[key] for key in sorted(targets)],
        "budget_reps": [reps[key] for key in sorted(reps, key=lambda pk: (pk is None, pk or 0))],
        "budget_total": total,
        "budget_remaining": plan.budget_envelope - total.planned,
        "envelope_overrun": max(total.planned - plan.budget_envelope, ZERO),
        "spend_overrun": max(total.actual - plan.budget_envelope, ZERO),
    }


def plan_contents(plan):
    """What deleting a plan removes, counted in words ("1 cible", "12 actions"), for the
    confirmation page."""
    kpis = Kpi.objects.of_plan(plan)
    counts = [
        (ngettext_lazy("%(count)s target", "%(count)s targets", "count"), plan.targets.count()),
        (
            ngettext_lazy("%(count)s objective", "%(count)s objectives", "count"),
            Objective.objects.of_plan(plan).count(),
        ),
        (
            ngettext_lazy("%(count)s action", "%(count)s actions", "count"),
            Action.objects.of_plan(plan).count(),
        ),
        (
            ngettext_lazy("%(count)s step", "%(count)s steps", "count"),
            ActionStep.objects.of_plan(plan).count(),
        ),
        (ngettext_lazy("%(count)s KPI", "%(count)s KPIs", "count"), kpis.count()),
        (
            ngettext_lazy("%(count)s KPI value", "%(count)s KPI values", "count"),
            KpiValue.objects.filter(kpi__in=kpis).count(),
        ),
        (ngettext_lazy("%(count)s deal", "%(count)s deals", "count"), plan.deals.count()),
        (ngettext_lazy("%(count)s review", "%(count)s reviews", "count"), plan.reviews.count()),
        (
            ngettext_lazy("%(count)s SWOT item", "%(count)s SWOT items", "count"),
            plan.swot_items.count(),
        ),
        (
            ngettext_lazy("%(count)s competitor", "%(count)s competitors", "count"),
            plan.competitors.count(),
        ),
    ]
    return [text % {"count": count} for text, count in counts if count]


def plan_history(plan, limit=200):
    """Changes to the plan, its diagnosis, targets and objectives, newest first."""
    sources = [
        (Plan.history.filter(id=plan.pk), _("Plan"), "masculine"),
        (SwotItem.history.filter(plan_id=plan.pk), _("SWOT item"), "masculine"),
        (Competitor.history.filter(plan_id=plan.pk), _("Competitor"), "masculine"),
        (Target.history.filter(plan_id=plan.pk), _("Target"), "feminine"),
        (
            Objective.history.filter(
                target_id__in=Target.history.filter(plan_id=plan.pk).values("id")
            ),
            _("Objective"),
            "masculine",
        ),
    ]
    entries = []
    for records, subject, gender in sources:
        entries += changes(records.select_related("history_user"), subject, limit, gender)
    return sorted(entries, key=lambda change: change.when, reverse=True)[:limit]
