"""What each PDF document holds: the whole plan, a rep's PACI, one action sheet."""

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse

from actions.models import Action, ActionStep
from kpis.measures import objectives_progress
from kpis.models import Kpi
from kpis.selectors import with_values
from pac.core import charts
from pac.core.periods import PeriodKind
from pac.documents.pdf import filename
from pac.planning import calendars
from pac.plans import selectors
from pac.plans.forms import period_kind_of
from pac.steering import selectors as steering
from targets.models import Objective

# Rows of the timeline that fit on one landscape A4 page.
TIMELINE_ROWS = 26


def period_label(plan):
    """2026, 2026-S2, 2026-T3 or the two dates, for file names."""
    start = plan.period_start
    kind = period_kind_of(plan)
    if kind == PeriodKind.YEAR and start.month == 1:
        return f"{start.year}"
    if kind == PeriodKind.SEMESTER and start.month in (1, 7):
        return f"{start.year}-S{1 if start.month == 1 else 2}"
    if kind == PeriodKind.QUARTER and start.month in (1, 4, 7, 10):
        return f"{start.year}-T{(start.month - 1) // 3 + 1}"
    return f"{start:%Y%m%d}-{plan.period_end:%Y%m%d}"


def sheets(actions):
    """Actions with everything their sheet prints, in a fixed number of queries."""
    return list(
        actions.select_related("target", "owner")
        .prefetch_related(
            "participants",
            "objectives",
            Prefetch("steps", queryset=ActionStep.objects.select_related("owner")),
            Prefetch("kpis", queryset=Kpi.objects.select_related("owner")),
        )
        .order_by("domain", "start_date", "pk")
    )


def timeline_pages(plan, filters, group, today):
    """The timeline cut into landscape pages of at most TIMELINE_ROWS rows each."""
    first, last = plan.period_start, plan.period_end
    pages, page, rows = [], [], 0
    for lane in calendars.timeline_lanes(plan, filters, group, first, last, today):
        for index in range(0, len(lane.actions), TIMELINE_ROWS - 1):
            chunk = calendars.Lane(lane.label, lane.actions[index : index + TIMELINE_ROWS - 1])
            if rows + 1 + len(chunk.actions) > TIMELINE_ROWS and page:
                pages.append(page)
                page, rows = [], 0
            page.append(chunk)
            rows += 1 + len(chunk.actions)
    if page:
        pages.append(page)

    def url_of(action):
        return settings.SITE_URL + reverse("actions:action-detail", args=[plan.pk, action.pk])

    return [charts.timeline(lanes, first, last, today, url_of) for lanes in pages]


def kpis_by_kind(kpis):
    """Objective KPIs get a chart in the plan; action KPIs a line each (their charts are on
    their own sheet), which keeps a 200-action plan readable and quick to print."""
    return {
        "objective_kpis": [kpi for kpi in kpis if kpi.objective_id],
        "action_kpis": [kpi for kpi in kpis if kpi.action_id],
    }


def base(plan, user, today, title):
    return {"plan": plan, "printed": today, "author": str(user), "document_title": title}


def plan_document(plan, user, today):
    context = base(plan, user, today, plan.title)
    context |= selectors.plan_overview(plan)
    context |= {
        "sheets": sheets(Action.objects.of_plan(plan)),
        "timeline_pages": timeline_pages(plan, {}, "domain", today),
        "objectives": objectives_progress(plan, Objective.objects.of_plan(plan), today),
        **kpis_by_kind(with_values(Kpi.objects.of_plan(plan), plan, today)),
        "deals_by_month": steering.deal_figures(plan.deals.all()).by_month,
        **selectors.budget_summary(plan),
    }
    return "pdf/plan.html", context, filename(plan.team, period_label(plan))


def paci_document(plan, rep, user, today):
    context = base(plan, user, today, f"PACI · {rep} · {plan.title}")
    context |= steering.rep_paci(plan, rep, today)
    context |= {
        "rep": rep,
        "sheets": sheets(
            Action.objects.filter(pk__in=steering.rep_actions(plan, rep).values("pk"))
        ),
        "timeline_pages": timeline_pages(plan, {"owner": rep}, "target", today),
    }
    return "pdf/paci.html", context, filename("PACI", rep.username, plan.team, period_label(plan))


def action_document(plan, action, user, today):
    context = base(plan, user, today, f"{action.title} · {plan.title}")
    context |= {
        "sheets": sheets(Action.objects.filter(pk=action.pk)),
        "kpis": with_values(Kpi.objects.filter(action=action), plan, today),
    }
    return (
        "pdf/action.html",
        context,
        filename(plan.team, period_label(plan), f"action-{action.pk}"),
    )
