"""When things happen and who does them: the month grid, the timeline and the rolling horizon.

Dates are calendar days (no time, no time zone): an action on 31/12 is on 31/12 for everyone. Only
"today" depends on the server's time zone (TIME_ZONE, Europe/Paris by default).
"""

import calendar as calendar_module
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext_lazy as _

from actions.models import Action, ActionStep
from actions.selectors import GROUP_ORDER, with_step_rows
from pac.core.models import NAME_FIELDS
from pac.core.periods import add_months
from targets.models import Deal

WEEKDAYS = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]


def month_bounds(month):
    """The first and last day of the month holding `month`."""
    first = month.replace(day=1)
    last = first.replace(day=calendar_module.monthrange(first.year, first.month)[1])
    return first, last


def scoped_actions(plan, filters):
    """The plan's actions narrowed by the calendar filters; a rep filter keeps the actions the
    rep owns or takes part in."""
    actions = Action.objects.of_plan(plan)
    for name in ("domain", "target", "status", "sales_type"):
        if filters.get(name):
            actions = actions.filter(**{name: filters[name]})
    if filters.get("owner"):
        actions = actions.involving(filters["owner"])
    return actions


def scoped_deals(plan, filters):
    deals = Deal.objects.filter(plan=plan)
    if filters.get("owner"):
        deals = deals.filter(owner=filters["owner"])
    if filters.get("target"):
        deals = deals.filter(target=filters["target"])
    return deals


@dataclass
class Bar:
    """An action's stretch inside one week: columns 1 to 7, and whether it goes on beyond."""

    action: Action
    start: int
    span: int
    before: bool
    after: bool


@dataclass
class Day:
    day: date
    in_month: bool
    today: bool
    steps: list = field(default_factory=list)  # the first DAY_ITEMS
    deals: list = field(default_factory=list)
    step_count: int = 0
    deal_count: int = 0

    @property
    def more_steps(self):
        return self.step_count - len(self.steps)

    @property
    def more_deals(self):
        return self.deal_count - len(self.deals)


@dataclass
class Week:
    days: list
    bars: list


def month_grid(plan, month, filters, today):
    """The weeks (Monday to Sunday) covering a month, with each action as a bar over its days,
    steps as milestones and deal milestone dates. Three queries whatever the plan's size."""
    first, last = month_bounds(month)
    grid_start = first - timedelta(days=first.weekday())
    grid_end = last + timedelta(days=6 - last.weekday())
    # Only the fields the grid shows: a busy month holds a hundred actions or more.
    actions = list(
        scoped_actions(plan, filters)
        .filter(start_date__lte=grid_end, end_date__gte=grid_start)
        .select_related("owner")
        .only("title", "domain", "start_date", "end_date", *(f"owner__{f}" for f in NAME_FIELDS))
        .order_by("start_date", "end_date", "pk")
    )
    steps = first_of_each_day(
        ActionStep.objects.filter(
            action__in=scoped_actions(plan, filters), due_date__range=(grid_start, grid_end)
        )
        .select_related("action")
        .only("title", "done", "due_date", "action__title"),
        "due_date",
    )
    deals = first_of_each_day(
        scoped_deals(plan, filters)
        .filter(milestone_date__range=(grid_start, grid_end))
        .only("company", "stage", "milestone_date"),
        "milestone_date",
    )
    days = {}
    weeks = []
    week_start = grid_start
    while week_start <= grid_end:
        week_days = [
            Day(d, d.month == first.month, d == today)
            for d in (week_start + timedelta(days=i) for i in range(7))
        ]
        days.update({d.day: d for d in week_days})
        week_end = week_start + timedelta(days=6)
        bars = [
            Bar(
                action=action,
                start=(max(action.start_date, week_start) - week_start).days + 1,
                span=(min(action.end_date, week_end) - max(action.start_date, week_start)).days + 1,
                before=action.start_date < week_start,
                after=action.end_date > week_end,
            )
            for action in actions
            if action.start_date <= week_end and action.end_date >= week_start
        ]
        weeks.append(Week(week_days, bars))
        week_start += timedelta(days=7)
    for step in steps:
        days[step.due_date].steps.append(step)
        days[step.due_date].step_count = step.day_count
    for deal in deals:
        days[deal.milestone_date].deals.append(deal)
        days[deal.milestone_date].deal_count = deal.day_count
    return weeks


# A day of the month shows this many steps and deals, and counts the others.
DAY_ITEMS = 3


def first_of_each_day(rows, day_field):
    """The first DAY_ITEMS rows of each day, each with the number of rows of its day
    (`day_count`): a busy month loads a few rows per day, not hundreds."""
    return list(
        rows.annotate(
            rank=Window(RowNumber(), partition_by=F(day_field), order_by="pk"),
            day_count=Window(Count("pk"), partition_by=F(day_field)),
        )
        .filter(rank__lte=DAY_ITEMS)
        .order_by(day_field, "pk")
    )


def undated_count(plan, filters):
    return (
        scoped_actions(plan, filters)
        .filter(Q(start_date__isnull=True) | Q(end_date__isnull=True))
        .count()
    )


# The timeline: one bar per action over a quarter, a semester or the whole period.

WINDOWS = {"quarter": 3, "semester": 6}


def timeline_window(plan, length, start):
    """The dates the timeline shows: the plan's period, or a quarter or semester from `start`."""
    if length not in WINDOWS:
        return plan.period_start, plan.period_end
    first = start.replace(day=1)
    return first, add_months(first, WINDOWS[length]) - timedelta(days=1)


@dataclass
class Lane:
    label: str
    actions: list


TIMELINE_ACTIONS = 50


def timeline_lanes(plan, filters, group, first, last, today, page=None):
    """Actions running in the window, grouped by domain, target or rep, each with `is_late` as of
    `today`; their steps prefetched.

    All of them when `page` is None (the printed timeline); else (lanes, page) for that page of
    TIMELINE_ACTIONS actions taken lane by lane. Two or three queries whatever their number.
    """
    actions = (
        scoped_actions(plan, filters)
        .filter(start_date__lte=last, end_date__gte=first)
        .with_lateness(today)
        .select_related("owner", "target")
        .prefetch_related(
            Prefetch("steps", queryset=ActionStep.objects.filter(due_date__isnull=False))
        )
    )
    if page is None:
        return lanes_of(actions.order_by("start_date", "end_date", "pk"), group)
    ordered = actions.order_by(*GROUP_ORDER[group], "start_date", "end_date", "pk")
    shown = Paginator(ordered, TIMELINE_ACTIONS).get_page(page)
    return lanes_of(list(shown), group), shown


def lanes_of(actions, group):
    lanes = {}
    if group == "domain":
        lanes = {value: Lane(label, []) for value, label in Action.Domain.choices}
    for action in actions:
        if group == "target":
            key, label = action.target_id, action.target.name
        elif group == "rep":
            key, label = action.owner_id, str(action.owner) if action.owner else None
        else:
            key, label = action.domain, None
        lanes.setdefault(key, Lane(label, [])).actions.append(action)
    result = [lane for lane in lanes.values() if lane.actions]
    if group in {"target", "rep"}:
        result.sort(key=lambda lane: (lane.label is None, str(lane.label).lower()))
    return result


# The rolling horizon: what starts, is due or is late in the next 7, 30 or 90 days.

HORIZONS = (7, 30, 90)


@dataclass
class Horizon:
    days: int
    late: list  # late actions (Action.objects.late), those late by a step included
    starting: list
    due: list  # not late, ending within the horizon
    steps_due: list
    steps_late: list  # each belongs to one of the late actions

    @property
    def empty(self):
        return not (self.late or self.starting or self.due or self.steps_due or self.steps_late)


def horizon_of(actions, today, days):
    """The horizon of actions loaded by `with_step_rows`: no query of its own, so the PACI
    reuses the actions it has already loaded."""
    end = today + timedelta(days=days)
    open_actions = sorted(
        (action for action in actions if action.is_open),
        key=lambda a: (a.end_date or date.max, a.start_date or date.max, a.pk),
    )
    steps = sorted(
        (
            step
            for action in open_actions
            for step in action.step_rows
            if not step.done and step.due_date and step.due_date <= end
        ),
        key=lambda step: (step.due_date, step.pk),
    )
    return Horizon(
        days=days,
        late=[a for a in open_actions if a.is_late],
        starting=[a for a in open_actions if a.start_date and today <= a.start_date <= end],
        due=[a for a in open_actions if not a.is_late and a.end_date and a.end_date <= end],
        steps_due=[s for s in steps if not s.is_late],
        steps_late=[s for s in steps if s.is_late],
    )


def horizon(plan, filters, today, days):
    """Two queries: the open actions in scope and their steps."""
    actions = with_step_rows(
        scoped_actions(plan, filters).open().select_related("owner", "target"), today
    )
    return horizon_of(actions, today, days)
