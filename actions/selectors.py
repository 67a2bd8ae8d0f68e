"""Reads of the action list and the action sheet."""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import Lower, RowNumber
from django.utils.translation import gettext_lazy as _

from actions.models import Action, ActionStep
from pac.core.models import person_name
from pac.core.paging import detached

ZERO = Decimal("0")


def filtered_actions(plan, filters, actions=None):
    """The plan's actions (with what a list shows, unless `actions` is given) narrowed by the
    valid filters of ActionFilterForm."""
    actions = plan_actions(plan) if actions is None else actions
    for name in ("domain", "sales_type", "target", "status"):
        if filters.get(name):
            actions = actions.filter(**{name: filters[name]})
    if filters.get("owner"):
        # The rep's work, as the calendar and the PACI show it: owned or taken part in.
        actions = actions.involving(filters["owner"])
    month = filters.get("month")
    if month:
        last = date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])
        # An action runs in a month when it starts before the month ends and ends after it starts.
        actions = actions.filter(start_date__lte=last, end_date__gte=month)
    return actions


@dataclass
class Group:
    key: object
    label: str
    actions: list = field(default_factory=list)
    planned: Decimal = ZERO
    actual: Decimal = ZERO
    count: int = 0


def grouped(actions, by):
    """Actions under headings: domain (theme), target or rep, in a stable order."""
    if by == "none":
        groups = {None: Group(None, _("All actions"))}
    elif by == "domain":
        groups = {value: Group(value, label) for value, label in Action.Domain.choices}
    else:
        groups = {}
    for action in actions:
        if by == "target":
            key, label = action.target_id, action.target.name
        elif by == "rep":
            key, label = action.owner_id, str(action.owner) if action.owner else _("Nobody")
        elif by == "domain":
            key, label = action.domain, None
        else:
            key, label = None, None
        group = groups.setdefault(key, Group(key, label))
        group.actions.append(action)
        group.planned += action.budget_planned
        group.actual += action.budget_actual
        group.count += 1
    result = list(groups.values())
    if by in {"target", "rep"}:
        result.sort(key=lambda group: str(group.label).lower())
    return [group for group in result if group.actions or by == "domain"]


ACTIONS_PER_PAGE = 50

# The column a grouping adds up by, and the order that keeps each group's rows together.
GROUP_FIELD = {"domain": "domain", "target": "target", "rep": "owner", "none": None}
GROUP_ORDER = {
    "domain": ["domain"],
    "target": [Lower("target__name"), "target"],
    "rep": [Lower(person_name("owner")).asc(nulls_last=True), "owner"],
    "none": [],
}


def paged_groups(plan, filters, by, page):
    """One page of the filtered actions under their headings, each heading with the count and
    budget of its whole group (one grouped query), so a group cut by a page break still adds up.
    """
    column = GROUP_FIELD[by]
    # Sums over the plain actions: the list's step counts join each action to its steps.
    plain = filtered_actions(plan, filters, Action.objects.of_plan(plan))
    actions = filtered_actions(plan, filters)
    totals = {
        row.get(column): row
        for row in plain.values(*[column] if column else [])
        .annotate(count=Count("pk"), planned=Sum("budget_planned"), actual=Sum("budget_actual"))
        .order_by()
    }
    order = [*GROUP_ORDER[by], "start_date", "order", "pk"]
    # The page is cut from the plain actions; the step counts are joined to its 50 actions only
    # (sorting the grouped join of 1,000 actions to keep 50 took SQLite twice as long).
    shown = Paginator(plain.order_by(*order), ACTIONS_PER_PAGE).get_page(page)
    rows = list(actions.filter(pk__in=shown.object_list.values("pk")).order_by(*order))
    shown.object_list = rows  # the page's rows are these, with their step counts
    detached(shown)
    groups = grouped(rows, by)
    if shown.paginator.num_pages > 1:
        groups = [group for group in groups if group.actions]
    for group in groups:
        whole = totals.get(group.key, {})
        group.count = whole.get("count", 0)
        group.planned = whole.get("planned") or ZERO
        group.actual = whole.get("actual") or ZERO
    return shown, groups


def steps_region(action):
    steps = list(action.steps.select_related("owner"))
    return {"steps": steps, "steps_done": sum(step.done for step in steps)}


@dataclass
class Buckets:
    """A rep's actions sorted by what they call for."""

    late: list = field(default_factory=list)
    this_week: list = field(default_factory=list)
    upcoming: list = field(default_factory=list)
    done: list = field(default_factory=list)

    @property
    def sections(self):
        return [
            ("late", _("Late"), self.late),
            ("this_week", _("Due this week"), self.this_week),
            ("upcoming", _("Upcoming"), self.upcoming),
            ("done", _("Done"), self.done),
        ]


def end_of_week(today):
    return today + timedelta(days=6 - today.weekday())


@dataclass(frozen=True)
class StepRow:
    """What a rep's pages show of a step, without the cost of a model instance: a rep's PACI
    reads hundreds of steps to sort actions by urgency and shows a few of them."""

    pk: int
    action: object
    title: str
    due_date: object
    done: bool
    is_late: bool

    @property
    def action_id(self):
        return self.action.pk


def with_step_rows(actions, today):
    """The actions, each with `is_late` and its steps in order as `step_rows` (each with its own
    `is_late`), as of `today`: two queries, whatever their number."""
    actions = list(actions.with_lateness(today))
    by_pk = {action.pk: action for action in actions}
    for action in actions:
        action.step_rows = []
    rows = (
        ActionStep.objects.filter(action__in=list(by_pk))
        .with_lateness(today)
        .order_by("action", "order", "pk")
        .values_list("pk", "action_id", "title", "due_date", "done", "is_late")
    )
    for pk, action_id, title, due_date, done, is_late in rows:
        action = by_pk[action_id]
        action.step_rows.append(StepRow(pk, action, title, due_date, done, bool(is_late)))
    return actions


def bucket_of(action, today):
    """Done: done or cancelled. Late: `Action.objects.late`. This week: ends or has a step due
    by Sunday. Upcoming: the rest. Needs `with_step_rows`."""
    if not action.is_open:
        return "done"
    if action.is_late:
        return "late"
    open_dues = [step.due_date for step in action.step_rows if not step.done and step.due_date]
    sunday = end_of_week(today)
    if (action.end_date and action.end_date <= sunday) or any(due <= sunday for due in open_dues):
        return "this_week"
    return "upcoming"


def bucketed(actions, today):
    buckets = Buckets()
    for action in actions:
        getattr(buckets, bucket_of(action, today)).append(action)
    return buckets


def first_late_actions(plan, today, limit):
    """(the `limit` late actions that ended first, how many are late): one query."""
    first = list(
        Action.objects.of_plan(plan)
        .late(today)
        .select_related("owner", "target")
        .annotate(late_count=Window(Count("pk")))  # over all late actions, before the limit
        .order_by(F("end_date").asc(nulls_last=True), "pk")[:limit]
    )
    return first, first[0].late_count if first else 0


ZERO = Decimal("0")


@dataclass
class BudgetLine:
    label: str
    planned: Decimal = ZERO
    actual: Decimal = ZERO

    @property
    def overrun(self):
        return max(self.actual - self.planned, ZERO)


@dataclass
class DomainGroup:
    domain: str
    label: str
    actions: list = field(default_factory=list)
    budget: BudgetLine = None
    # How many actions the domain has; `actions` may hold only the first of them.
    count: int = 0


def group_by_domain(actions):
    """Actions in the three domains of DOMAIN.md, in their order, each with its budget subtotal."""
    groups = {
        value: DomainGroup(value, label, [], BudgetLine(label))
        for value, label in Action.Domain.choices
    }
    for action in actions:
        group = groups[action.domain]
        group.actions.append(action)
        group.budget.planned += action.budget_planned
        group.budget.actual += action.budget_actual
        group.count += 1
    return list(groups.values())


def plan_actions(plan):
    """The plan's actions with what a list shows: target, owner, participants, steps done."""
    return (
        Action.objects.of_plan(plan)
        .select_related("target", "owner")
        .prefetch_related("participants")
        .annotate(
            steps_total=Count("steps", distinct=True),
            steps_done=Count("steps", filter=Q(steps__done=True), distinct=True),
        )
        .order_by("domain", "start_date", "order", "pk")
    )


def actions_section(plan, first=None):
    """Actions by domain and the budget they add up to against the envelope.

    With `first`, each domain brings only its first actions (the page links to the action list
    for the rest): counts and budgets come from one grouped query, the actions from one query
    numbering them within their domain, whatever the size of the plan.
    """
    domains = group_by_domain(plan_actions(plan)) if first is None else first_by_domain(plan, first)
    total = BudgetLine(plan.title)
    for group in domains:
        total.planned += group.budget.planned
        total.actual += group.budget.actual
    return {
        "domains": domains,
        "action_count": sum(group.count for group in domains),
        "budget_total": total,
        "budget_remaining": plan.budget_envelope - total.planned,
    }


def first_by_domain(plan, first):
    sums = {
        row["domain"]: row
        for row in Action.objects.of_plan(plan)
        .values("domain")
        .annotate(count=Count("pk"), planned=Sum("budget_planned"), actual=Sum("budget_actual"))
        .order_by()
    }
    groups = {}
    for value, label in Action.Domain.choices:
        row = sums.get(value, {})
        budget = BudgetLine(label, row.get("planned") or ZERO, row.get("actual") or ZERO)
        groups[value] = DomainGroup(value, label, [], budget, row.get("count", 0))
    # The window numbers plain actions; the step counts are joined to the chosen ones only
    # (numbering the grouped join of all of them took SQLite 45 ms on 1,000 actions, this 6).
    chosen = (
        Action.objects.of_plan(plan)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("domain"),
                order_by=[F("start_date").asc(nulls_last=True), "order", "pk"],
            )
        )
        .filter(rank__lte=first)
    )
    for action in plan_actions(plan).filter(pk__in=chosen.values("pk")):
        groups[action.domain].actions.append(action)
    return list(groups.values())
