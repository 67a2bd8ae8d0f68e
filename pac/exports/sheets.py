"""What each export holds, sheet by sheet, read through the selectors of the pages it exports:
the figures in a file are the figures on the page (the same "late", standings and forecast).

Each function runs a fixed number of queries whatever the size of the plan; tests pin them.
"""

from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from actions import selectors as action_selectors
from actions.models import Action
from kpis.measures import objectives_progress
from kpis.models import Kpi
from kpis.selectors import by_attention, with_standing, with_values
from pac.exports.workbook import AMOUNT, DATE, INTEGER, NUMBER, PERCENT, Column, Sheet
from pac.plans.selectors import budget_summary, deals_section
from pac.steering import selectors as steering
from targets.models import Assessment, Deal, Objective
from targets.progress import Standing


def label(model, name):
    """A model field's name as a header: "Unit", "Target value"."""
    return capfirst(str(model._meta.get_field(name).verbose_name))


def person(user):
    return str(user) if user is not None else ""


def yes(flag):
    return _("Yes") if flag else _("No")


def standing_label(value):
    return Standing(value).label if value in Standing.values else ""


# The action list.


def action_sheet(plan, filters, group, today):
    """The actions of the list with its filters, in the list's order (grouped as it groups them),
    every action whole rather than a page of them."""
    actions = action_selectors.filtered_actions(plan, filters).with_lateness(today)
    order = [*action_selectors.GROUP_ORDER[group], "start_date", "order", "pk"]
    columns = [
        Column(_("Action")),
        Column(_("Domain")),
        Column(_("Sales type")),
        Column(_("Target")),
        Column(_("Owner")),
        Column(_("Participants")),
        Column(_("Start date"), DATE),
        Column(_("End date"), DATE),
        Column(_("Status")),
        Column(_("Late")),
        Column(_("Progress"), PERCENT),
        Column(_("Steps done"), INTEGER),
        Column(_("Steps total"), INTEGER),
        Column(label(Action, "occurrences_planned"), INTEGER),
        Column(label(Action, "occurrences_done"), INTEGER),
        Column(pgettext("budget", "Planned"), AMOUNT),
        Column(_("Spent"), AMOUNT),
    ]
    rows = [
        [
            action.title,
            action.get_domain_display(),
            action.get_sales_type_display(),
            action.target.name,
            person(action.owner),
            ", ".join(str(participant) for participant in action.participants.all()),
            action.start_date,
            action.end_date,
            action.get_status_display(),
            yes(action.is_late),
            action.progress,
            action.steps_done,
            action.steps_total,
            action.occurrences_planned,
            action.occurrences_done,
            action.budget_planned,
            action.budget_actual,
        ]
        for action in actions.order_by(*order)
    ]
    return [Sheet(_("Actions"), columns, rows)]


# The budget summary.


def budget_columns(title):
    return [
        Column(title),
        Column(pgettext("budget", "Planned"), AMOUNT),
        Column(_("Spent"), AMOUNT),
        Column(_("Overrun"), AMOUNT),
    ]


def budget_table(title, lines):
    rows = [[line.label, line.planned, line.actual, line.overrun] for line in lines]
    return Sheet(title, budget_columns(title), rows)


def envelope_sheet(plan, summary):
    """The plan against its envelope, as the cards at the top of the budget page say it."""
    total = summary["budget_total"]
    rows = [
        [_("Envelope"), plan.budget_envelope],
        [pgettext("budget", "Planned"), total.planned],
        [_("Spent"), total.actual],
        [_("Left to allocate"), summary["budget_remaining"]],
        [_("Over the envelope"), summary["envelope_overrun"]],
        [_("Spent over the envelope"), summary["spend_overrun"]],
    ]
    columns = [Column(_("Plan against envelope")), Column(_("Amount"), AMOUNT)]
    return Sheet(_("Plan against envelope"), columns, rows)


def budget_sheets(plan):
    summary = budget_summary(plan)
    return [
        envelope_sheet(plan, summary),
        budget_table(_("By domain"), summary["budget_domains"]),
        budget_table(_("By target"), summary["budget_targets"]),
        budget_table(_("By rep"), summary["budget_reps"]),
    ]


# The carnet.


def deal_sheets(plan):
    """Every deal of the carnet by milestone, and the forecast beneath them."""
    carnet = deals_section(plan)
    columns = [
        Column(_("Milestone"), DATE),
        Column(_("Company")),
        Column(_("Contact")),
        Column(_("Nature")),
        Column(_("Target")),
        Column(_("Owner")),
        Column(_("Stage")),
        Column(_("Amount"), AMOUNT),
        Column(_("Probability"), PERCENT),
        Column(_("Weighted"), AMOUNT),
    ]
    rows = [
        [
            deal.milestone_date,
            deal.company,
            deal.contact,
            deal.nature,
            deal.target.name if deal.target else "",
            person(deal.owner),
            deal.get_stage_display(),
            deal.amount,
            deal.probability,
            deal.weighted_amount,
        ]
        for deal in carnet["deals"]
    ]
    totals = []
    if rows:
        # Named in the company's column: the milestone's holds dates.
        forecast = [None, _("Forecast"), *[None] * 7, carnet["deals_weighted_total"]]
        totals.append(forecast)
    return [Sheet(_("Carnet commercial"), columns, rows, totals)]


# KPIs.


def followed(kpi):
    """What a KPI follows: its action or its objective."""
    return (kpi.action or kpi.objective).title


def kpi_columns():
    return [
        Column(_("KPI")),
        Column(_("Follows")),
        Column(label(Kpi, "unit")),
        Column(label(Kpi, "target_value"), NUMBER),
        Column(label(Kpi, "per_period")),
        Column(_("Direction")),
        Column(_("Frequency")),
        Column(_("Owner")),
        Column(_("Latest value"), NUMBER),
        Column(_("Date"), DATE),
        Column(_("Reached"), PERCENT),
        Column(_("Expected pace"), PERCENT),
        Column(_("Standing")),
    ]


def kpi_row(kpi, followed_by_reader=True):
    """A KPI's line; its standing only for a reader who may follow it (PlanAccess.can_follow)."""
    standing = (
        [kpi.attainment, kpi.expected, standing_label(kpi.standing)]
        if followed_by_reader
        else [None, None, None]
    )
    return [
        kpi.name,
        followed(kpi),
        kpi.unit,
        kpi.target_value,
        kpi.period_label,
        kpi.get_direction_display(),
        kpi.get_frequency_display(),
        person(kpi.owner),
        kpi.latest.value if kpi.latest else None,
        kpi.latest.recorded_on if kpi.latest else None,
        *standing,
    ]


def kpi_sheets(access, today, action=None):
    """The plan's KPIs (or an action's) with their latest value, as its pages show them to every
    reader; their standing and every value recorded for the KPIs the reader follows."""
    plan = access.plan
    kpis = Kpi.objects.of_plan(plan) if action is None else Kpi.objects.filter(action=action)
    kpis = with_values(kpis, plan, today)
    values = Sheet(
        _("Values"),
        [
            Column(_("KPI")),
            Column(label(Kpi, "unit")),
            Column(_("Date"), DATE),
            Column(_("Value"), NUMBER),
            Column(_("Recorded by")),
            Column(_("Comment")),
        ],
        [
            [kpi.name, kpi.unit, row.recorded_on, row.value, row.recorded_by, row.comment]
            for kpi in kpis
            if access.can_follow(kpi)
            for row in kpi.series
        ],
    )
    rows = [kpi_row(kpi, access.can_follow(kpi)) for kpi in kpis]
    return [Sheet(_("KPIs"), kpi_columns(), rows), values]


# The cockpit.


def objective_row(item, share=False):
    objective = item.objective
    verdict = item.assessment[0].value if item.assessment else None
    return [
        _("Share of %(person)s") % {"person": objective.owner} if share else objective.title,
        objective.target.name,
        "" if share else person(objective.owner),
        objective.unit,
        objective.target_value,
        item.actual,
        item.attainment,
        item.expected if objective.kind == Objective.Kind.QUANTITATIVE else None,
        Assessment.verdict_label(verdict) if verdict else "",
        standing_label(item.standing),
    ]


def cockpit_objectives(plan, today):
    items = objectives_progress(plan, Objective.objects.of_plan(plan), today)
    rows = []
    for item in items:
        if item.objective.is_share:
            continue
        rows.append(objective_row(item))
        rows += [objective_row(share, share=True) for share in item.shares]
    columns = [
        Column(_("Objective")),
        Column(_("Target")),
        Column(_("Owner")),
        Column(label(Objective, "unit")),
        Column(label(Objective, "target_value"), NUMBER),
        Column(_("Actual"), NUMBER),
        Column(_("Reached"), PERCENT),
        Column(_("Expected pace"), PERCENT),
        Column(label(Assessment, "verdict")),
        Column(_("Standing")),
    ]
    return items, Sheet(_("Objectives"), columns, rows)


def reps_sheet(plan, objectives, today):
    reps = steering.rep_standings(plan, objectives, today)
    steering.with_late(reps, steering.late_by_rep(plan, today))
    steering.with_signatures_checked(plan, reps)
    columns = [
        Column(_("Rep")),
        Column(_("Attainment of objectives"), PERCENT),
        Column(_("Late actions"), INTEGER),
        Column(_("Weighted open deals"), AMOUNT),
        Column(_("Left to win"), AMOUNT),
        Column(_("Coverage"), PERCENT),
        Column(_("Signed on"), DATE),
        Column(_("Changed since its signature")),
    ]
    rows = [
        [
            str(row.rep),
            row.attainment,
            row.late,
            row.pipeline,
            row.to_win,
            row.coverage,
            row.signed_at,
            yes(row.changed_since_signed) if row.signed_at else "",
        ]
        for row in reps
    ]
    return Sheet(_("Reps"), columns, rows)


def late_sheet(plan, today):
    """Every late action, those that ended first first (the cockpit shows the first of them)."""
    actions, _count = action_selectors.first_late_actions(plan, today, None)
    columns = [
        Column(_("Action")),
        Column(_("Target")),
        Column(_("Owner")),
        Column(_("End date"), DATE),
        Column(_("Why")),
    ]
    rows = [
        [
            action.title,
            action.target.name,
            person(action.owner),
            action.end_date,
            # The reason the cockpit gives (includes/late_reason.html).
            _("due to end on %(day)s") % {"day": date_format(action.end_date, "SHORT_DATE_FORMAT")}
            if action.end_date and action.end_date < today
            else _("a step is past due"),
        ]
        for action in actions
    ]
    return Sheet(_("Late actions"), columns, rows)


def off_track_sheet(plan, today):
    """Every KPI off track, the furthest behind its pace first."""
    kpis = by_attention(with_standing(Kpi.objects.of_plan(plan), plan, today))
    rows = [kpi_row(kpi) for kpi in kpis if kpi.standing == Standing.OFF_TRACK]
    return Sheet(_("KPIs off track"), kpi_columns(), rows)


def pipeline_sheet(plan):
    figures = steering.deal_figures(Deal.objects.filter(plan=plan))
    columns = [
        Column(_("Month")),
        Column(_("Amount in play"), AMOUNT),
        Column(_("Weighted forecast"), AMOUNT),
    ]
    rows = [list(month) for month in figures.by_month]
    totals = [[_("Forecast"), None, figures.weighted_total]] if rows else []
    return Sheet(_("Pipeline by month"), columns, rows, totals)


def cockpit_sheets(plan, today):
    """The cockpit's tables, each whole: objectives, reps, late actions, KPIs off track, budget,
    pipeline by month."""
    objectives, objectives_sheet = cockpit_objectives(plan, today)
    summary = budget_summary(plan)
    return [
        objectives_sheet,
        reps_sheet(plan, objectives, today),
        late_sheet(plan, today),
        off_track_sheet(plan, today),
        budget_table(_("By domain"), summary["budget_domains"]),
        budget_table(_("By target"), summary["budget_targets"]),
        pipeline_sheet(plan),
    ]
