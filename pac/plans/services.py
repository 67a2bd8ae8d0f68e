"""Writes on a plan and its diagnosis: create, edit, period change, status, roll-over, delete;
SWOT items and competitors.

Each service takes the acting user, checks what they may do, and saves inside a transaction. Edits
carry the version the editor opened (pac.core.versioning).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actions import services as action_services
from actions.models import Action, ActionStep
from kpis import services as kpi_services
from kpis.models import Kpi, KpiValue
from pac.core.access import ensure_can_edit_plan
from pac.core.models import Plan, Team
from pac.core.ordering import move_in, next_order
from pac.core.periods import span_errors
from pac.core.rollover import RollOver, shifted
from pac.core.versioning import lock_version, save_as, versioned_update
from pac.diagnosis import services as diagnosis_services
from pac.plans.models import Competitor, SwotItem
from targets import services as target_services
from targets.models import Deal, Objective

PLAN_HEADER_FIELDS = ("title", "period_start", "period_end", "budget_envelope")
PLAN_STRATEGY_FIELDS = ("strategy", "ambitions", "segmentation", "company_goals")


def ensure_can_create_plan(user, team):
    if not Team.objects.managed_by(user).filter(pk=team.pk).exists():
        raise PermissionDenied(_("Only the team's managers create its plans."))


@transaction.atomic
def plan_create(*, actor, team: Team, title, period_start, period_end, budget_envelope) -> Plan:
    ensure_can_create_plan(actor, team)
    return save_as(
        actor,
        Plan(team=team),
        title=title,
        period_start=period_start,
        period_end=period_end,
        budget_envelope=budget_envelope,
    )


@transaction.atomic
def plan_update(*, actor, plan: Plan, version, data, shift_dates=False) -> Plan:
    """Change the header or the strategy reminder of a plan.

    A new period never leaves the plan's content outside it unsaid: the change is refused with
    what would fall outside, unless `shift_dates` asks to move the dates of the actions, steps,
    deals and objective deadlines as a duplication does. KPI values were measured on their days:
    a period that would leave some outside is refused.
    """
    ensure_can_edit_plan(actor, plan)
    unknown = set(data) - set(PLAN_HEADER_FIELDS) - set(PLAN_STRATEGY_FIELDS)
    if unknown:
        raise ValueError(f"plan_update cannot change {sorted(unknown)}")
    current = lock_version(plan, version)
    start = data.get("period_start", current.period_start)
    end = data.get("period_end", current.period_end)
    moved = (start, end) != (current.period_start, current.period_end)
    # A period that ends before it starts is left to the plan's own check, in save_as below.
    if moved and not span_errors(start, end, "period_end", period=True):
        outside = dates_outside(current, start, end)
        if outside.values:
            raise ValidationError({"period_start": outside.values_message(start, end)})
        if outside.movable and not shift_dates:
            raise ValidationError(
                {"period_start": ValidationError(outside.message(start, end), code="outside")}
            )
        if outside.movable:
            shift_dates_into(actor, current, start, end)
    return save_as(actor, current, **data)


@dataclass
class Outside:
    """How many of a plan's dated rows fall outside a period."""

    actions: int
    steps: int
    deals: int
    objectives: int
    values: int
    first_value: date | None
    last_value: date | None

    @property
    def movable(self):
        return self.actions + self.steps + self.deals + self.objectives

    def message(self, start, end):
        listed = [
            text % {"count": count}
            for count, text in [
                (self.actions, ngettext("%(count)s action", "%(count)s actions", self.actions)),
                (self.steps, ngettext("%(count)s step", "%(count)s steps", self.steps)),
                (self.deals, ngettext("%(count)s deal", "%(count)s deals", self.deals)),
                (
                    self.objectives,
                    ngettext(
                        "%(count)s objective deadline",
                        "%(count)s objective deadlines",
                        self.objectives,
                    ),
                ),
            ]
            if count
        ]
        return _(
            "Outside the new period (%(start)s – %(end)s): %(what)s. Save again with “Shift "
            "their dates” to move them by the gap between the two starts, kept inside the period "
            "as a duplication does, or choose another period."
        ) % {
            "start": date_format(start, "SHORT_DATE_FORMAT"),
            "end": date_format(end, "SHORT_DATE_FORMAT"),
            "what": ", ".join(listed),
        }

    def values_message(self, start, end):
        return ngettext(
            "%(count)s KPI value was recorded outside the new period (%(start)s – %(end)s), on "
            "%(first)s: a period must hold the values already measured.",
            "%(count)s KPI values were recorded outside the new period (%(start)s – %(end)s), "
            "from %(first)s to %(last)s: a period must hold the values already measured.",
            self.values,
        ) % {
            "count": self.values,
            "start": date_format(start, "SHORT_DATE_FORMAT"),
            "end": date_format(end, "SHORT_DATE_FORMAT"),
            "first": date_format(self.first_value, "SHORT_DATE_FORMAT"),
            "last": date_format(self.last_value, "SHORT_DATE_FORMAT"),
        }


def dates_outside(plan, start, end):
    """What of the plan's dated content lies outside `start`–`end`."""

    def outside(name):
        return Q(**{f"{name}__lt": start}) | Q(**{f"{name}__gt": end})

    values = KpiValue.objects.filter(kpi__in=Kpi.objects.of_plan(plan)).filter(
        outside("recorded_on")
    )
    bounds = values.aggregate(count=Count("pk"), first=Min("recorded_on"), last=Max("recorded_on"))
    return Outside(
        actions=Action.objects.of_plan(plan)
        .filter(outside("start_date") | outside("end_date"))
        .count(),
        steps=ActionStep.objects.of_plan(plan).filter(outside("due_date")).count(),
        deals=plan.deals.filter(outside("milestone_date")).count(),
        objectives=Objective.objects.of_plan(plan).filter(outside("deadline")).count(),
        values=bounds["count"],
        first_value=bounds["first"],
        last_value=bounds["last"],
    )


def shift_dates_into(actor, plan, start, end):
    """Move the plan's dates by the gap between the old start and `start`, kept inside the new
    period (`shifted`, as duplication does). Bulk writes, each row's version moved on (an edit
    opened before meets a conflict) and its history kept; the plan's own save that follows gives
    it a new revision."""
    offset = timedelta(days=(start - plan.period_start).days)

    def move(model, rows, *names):
        for row in rows:
            for name in names:
                setattr(row, name, shifted(getattr(row, name), offset, start, end))
            row.version += 1
        model.objects.bulk_update(rows, [*names, "version"])
        model.history.bulk_history_create(rows, update=True, default_user=actor)

    move(Action, list(Action.objects.of_plan(plan)), "start_date", "end_date")
    move(ActionStep, list(ActionStep.objects.of_plan(plan)), "due_date")
    move(Deal, list(plan.deals.all()), "milestone_date")
    move(Objective, list(Objective.objects.of_plan(plan)), "deadline")


# The workflow a plan follows: draft → active → closed. A closed plan stays as it was.
@transaction.atomic
def plan_set_status(*, actor, plan: Plan, status) -> Plan:
    ensure_can_edit_plan(actor, plan)
    current = lock_version(plan, None)
    error = Plan.status_change_error(current.status, status)
    if error:
        raise ValidationError(error)
    return save_as(actor, current, status=status)


@transaction.atomic
def plan_delete(*, actor, plan: Plan) -> None:
    """Delete a plan and everything it holds."""
    ensure_can_edit_plan(actor, plan)
    plan._history_user = actor
    plan.delete()


@transaction.atomic
def plan_duplicate(*, actor, plan: Plan, title, period_start: date, period_end: date) -> Plan:
    """Roll a plan over to a new period (the PDCA loop).

    Strategy, SWOT, competitors, targets, objectives, actions with their steps and participants,
    KPIs, and the diagnosis's figures (those of the period before, until replaced) are copied;
    dates move by the offset between the two period starts, clipped to the new period; statuses,
    progress, spend and ticks start again; recorded KPI values, deals and reviews belong to the
    old period and stay there. The copy is a draft linked to its parent.
    """
    ensure_can_create_plan(actor, plan.team)
    copy = save_as(
        actor,
        Plan(team=plan.team, parent=plan, status=Plan.Status.DRAFT),
        title=title,
        period_start=period_start,
        period_end=period_end,
        budget_envelope=plan.budget_envelope,
        **{name: getattr(plan, name) for name in PLAN_STRATEGY_FIELDS},
    )
    rollover = RollOver(actor, plan, copy)
    rollover.create(SwotItem, list(plan.swot_items.all()), plan=lambda item: copy)
    rollover.create(Competitor, list(plan.competitors.all()), plan=lambda item: copy)
    # Each app copies its own rows, in the order they point to each other.
    target_services.roll_over(rollover)
    action_services.roll_over(rollover)
    kpi_services.roll_over(rollover)
    diagnosis_services.roll_over(rollover)
    return copy


# The SWOT matrix and the competitors.


@transaction.atomic
def swot_item_create(*, actor, plan: Plan, quadrant, text) -> SwotItem:
    ensure_can_edit_plan(actor, plan)
    return save_as(
        actor,
        SwotItem(plan=plan),
        quadrant=quadrant,
        text=text,
        order=next_order(plan.swot_items.filter(quadrant=quadrant)),
    )


@transaction.atomic
def swot_item_update(*, actor, item: SwotItem, version, text) -> SwotItem:
    ensure_can_edit_plan(actor, item.plan)
    return versioned_update(actor=actor, instance=item, version=version, data={"text": text})


@transaction.atomic
def swot_item_delete(*, actor, item: SwotItem) -> None:
    ensure_can_edit_plan(actor, item.plan)
    item._history_user = actor
    item.delete()


@transaction.atomic
def swot_item_move(*, actor, item: SwotItem, direction) -> None:
    """Move an item up or down inside its quadrant."""
    ensure_can_edit_plan(actor, item.plan)
    siblings = (
        SwotItem.objects.select_for_update()
        .filter(plan=item.plan_id, quadrant=item.quadrant)
        .order_by("order", "pk")
    )
    move_in(siblings, item, direction, actor)


@transaction.atomic
def competitor_create(*, actor, plan: Plan, data) -> Competitor:
    ensure_can_edit_plan(actor, plan)
    return save_as(actor, Competitor(plan=plan, order=next_order(plan.competitors)), **data)


@transaction.atomic
def competitor_update(*, actor, competitor: Competitor, version, data) -> Competitor:
    ensure_can_edit_plan(actor, competitor.plan)
    return versioned_update(actor=actor, instance=competitor, version=version, data=data)


@transaction.atomic
def competitor_delete(*, actor, competitor: Competitor) -> None:
    ensure_can_edit_plan(actor, competitor.plan)
    competitor._history_user = actor
    competitor.delete()
