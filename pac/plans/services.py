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

from actions.models import Action, ActionStep
from kpis.models import Kpi, KpiValue
from pac.core.access import ensure_can_edit_plan
from pac.core.models import Plan, Team
from pac.core.ordering import move_in, next_order
from pac.core.periods import span_errors
from pac.core.versioning import lock_version, save_as, versioned_update
from pac.plans.models import Competitor, SwotItem
from targets.models import Deal, Objective, Target

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


def shifted(day, offset, start, end):
    """A date moved by the offset between two periods, kept inside the new period."""
    if day is None:
        return None
    # A day saved before the bounds of pac.models.plausible_errors (year 9999) has no day after.
    moved = day + offset if date.min + abs(offset) <= day <= date.max - abs(offset) else day
    return min(max(moved, start), end)


@transaction.atomic
def plan_duplicate(*, actor, plan: Plan, title, period_start: date, period_end: date) -> Plan:
    """Roll a plan over to a new period (the PDCA loop).

    Strategy, SWOT, competitors, targets, objectives, actions with their steps and participants,
    and KPIs are copied; dates move by the offset between the two period starts, clipped to the new
    period; statuses, progress, spend and ticks start again; recorded KPI values, deals and reviews
    belong to the old period and stay there. The copy is a draft linked to its parent.
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
    offset = timedelta(days=(period_start - plan.period_start).days)

    def move(day):
        return shifted(day, offset, period_start, period_end)

    def clone(instance, **changes):
        instance.pk = None
        instance.id = None
        instance._state.adding = True
        instance.version = 1
        for name, value in changes.items():
            setattr(instance, name, value)
        return instance

    def create(model, objects):
        created = model.objects.bulk_create(objects)
        model.history.bulk_history_create(created, default_user=actor)
        return created

    create(SwotItem, [clone(item, plan=copy) for item in plan.swot_items.all()])
    create(Competitor, [clone(item, plan=copy) for item in plan.competitors.all()])

    targets = list(plan.targets.all())
    old_target_ids = [target.pk for target in targets]
    new_targets = create(Target, [clone(target, plan=copy) for target in targets])
    target_map = dict(zip(old_target_ids, new_targets, strict=True))

    objectives = list(Objective.objects.of_plan(plan))
    old_objective_ids = [objective.pk for objective in objectives]
    measures = {objective.pk: objective.measure_kpi_id for objective in objectives}
    new_objectives = create(
        Objective,
        [
            # Measured by the copy of its KPI, once the KPIs are copied below.
            clone(o, target=target_map[o.target_id], deadline=move(o.deadline), measure_kpi=None)
            for o in objectives
        ],
    )
    objective_map = dict(zip(old_objective_ids, new_objectives, strict=True))

    actions = list(
        Action.objects.of_plan(plan).prefetch_related("participants", "objectives", "steps")
    )
    old_actions = {action.pk: action for action in actions}
    participants = {a.pk: [user.pk for user in a.participants.all()] for a in actions}
    served = {a.pk: [objective.pk for objective in a.objectives.all()] for a in actions}
    steps = {a.pk: list(a.steps.all()) for a in actions}
    old_action_ids = list(old_actions)
    new_actions = create(
        Action,
        [
            clone(
                action,
                target=target_map[action.target_id],
                start_date=move(action.start_date),
                end_date=move(action.end_date),
                status=Action.Status.PLANNED,
                progress=0,
                occurrences_done=0,
                budget_actual=0,
            )
            for action in actions
        ],
    )
    action_map = dict(zip(old_action_ids, new_actions, strict=True))
    Action.participants.through.objects.bulk_create(
        Action.participants.through(action_id=action_map[old].pk, user_id=user_id)
        for old, users in participants.items()
        for user_id in users
    )
    Action.objectives.through.objects.bulk_create(
        Action.objectives.through(action_id=action_map[old].pk, objective_id=objective_map[o].pk)
        for old, objective_ids in served.items()
        for o in objective_ids
    )
    create(
        ActionStep,
        [
            clone(step, action=action_map[old], due_date=move(step.due_date), done=False)
            for old, action_steps in steps.items()
            for step in action_steps
        ],
    )
    kpis = list(Kpi.objects.of_plan(plan))
    old_kpi_ids = [kpi.pk for kpi in kpis]
    new_kpis = create(
        Kpi,
        [
            clone(
                kpi,
                action=action_map[kpi.action_id] if kpi.action_id else None,
                objective=objective_map[kpi.objective_id] if kpi.objective_id else None,
            )
            for kpi in kpis
        ],
    )
    kpi_map = dict(zip(old_kpi_ids, new_kpis, strict=True))
    measured = []
    for old, measure in measures.items():
        if measure in kpi_map:
            objective_map[old].measure_kpi = kpi_map[measure]
            measured.append(objective_map[old])
    Objective.objects.bulk_update(measured, ["measure_kpi"])
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
