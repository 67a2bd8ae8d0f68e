"""Writes on action sheets and their steps; only the plan's editors make them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from actions.models import Action, ActionStep
from pac.core.access import can_report_on_action, ensure, ensure_can_edit_plan
from pac.core.ordering import move_in, next_order
from pac.core.validators import team_member_errors
from pac.core.versioning import lock_version, save_as
from targets.models import Objective, Target

SHEET_FIELDS = [
    "title",
    "target",
    "domain",
    "sales_type",
    "description",
    "means",
    "owner",
    "start_date",
    "end_date",
    "budget_planned",
    "budget_actual",
    "occurrences_planned",
    "occurrences_done",
    "status",
    "progress",
]


def check_relations(plan, target, participants, objectives):
    """Everything an action points to belongs to its plan and its team."""
    errors = {}
    if target.plan_id != plan.pk:
        errors["target"] = _("Choose a target of this plan.")
    if any(objective.target.plan_id != plan.pk for objective in objectives):
        errors["objectives"] = _("Choose objectives of this plan.")
    if team_member_errors(plan, **{f"user{user.pk}": user for user in participants}):
        errors["participants"] = _("Only members of the plan's team take part in its actions.")
    if errors:
        raise ValidationError(errors)


def save_sheet(actor, action, plan, data, participants, objectives):
    check_relations(plan, data["target"], participants, objectives)
    save_as(actor, action, **{name: data[name] for name in SHEET_FIELDS})
    action.participants.set(participants)
    action.objectives.set(objectives)
    return action


@transaction.atomic
def action_create(*, actor, plan, data, participants=(), objectives=()) -> Action:
    ensure_can_edit_plan(actor, plan)
    return save_sheet(actor, Action(), plan, data, list(participants), list(objectives))


@transaction.atomic
def action_update(*, actor, action: Action, version, data, participants=(), objectives=()):
    plan = action.target.plan
    ensure_can_edit_plan(actor, plan)
    current = lock_version(action, version)
    return save_sheet(actor, current, plan, data, list(participants), list(objectives))


@transaction.atomic
def action_delete(*, actor, action: Action) -> None:
    ensure_can_edit_plan(actor, action.target.plan)
    action._history_user = actor
    action.delete()


STEP_FIELDS = ["title", "owner", "due_date", "done"]


@transaction.atomic
def step_create(*, actor, action: Action, data) -> ActionStep:
    ensure_can_edit_plan(actor, action.target.plan)
    return save_as(
        actor,
        ActionStep(action=action, order=next_order(action.steps)),
        **{name: data[name] for name in STEP_FIELDS},
    )


@transaction.atomic
def step_update(*, actor, step: ActionStep, version, data) -> ActionStep:
    ensure_can_edit_plan(actor, step.action.target.plan)
    current = lock_version(step, version)
    return save_as(actor, current, **{name: data[name] for name in STEP_FIELDS})


# What the action's owner and participants report as the work goes on.
REPORT_FIELDS = ["status", "progress", "occurrences_done", "budget_actual"]


@transaction.atomic
def action_report(*, actor, action: Action, version, data) -> Action:
    """Record the progress side of an action: status, progress, occurrences done, spend."""
    ensure(can_report_on_action(actor, action), action.target.plan)
    unknown = set(data) - set(REPORT_FIELDS)
    if unknown:
        raise ValueError(f"action_report cannot change {sorted(unknown)}")
    current = lock_version(action, version)
    return save_as(actor, current, **data)


@transaction.atomic
def step_set_done(*, actor, step: ActionStep, done: bool) -> ActionStep:
    """Tick or untick a step. Setting the state asked for (not flipping it) makes a double
    click or two people ticking at once harmless."""
    ensure(can_report_on_action(actor, step.action), step.action.target.plan)
    current = lock_version(step, None)
    if current.done == done:
        return current
    # Only the tick is saved and checked: a step whose date fell outside the plan's period when
    # the period changed, or whose owner left the team, can still be ticked.
    current.done = done
    current._history_user = actor
    current.save(update_fields=["done"])
    return current


@transaction.atomic
def step_delete(*, actor, step: ActionStep) -> None:
    ensure_can_edit_plan(actor, step.action.target.plan)
    step._history_user = actor
    step.delete()


@transaction.atomic
def step_move(*, actor, step: ActionStep, direction) -> None:
    ensure_can_edit_plan(actor, step.action.target.plan)
    siblings = (
        ActionStep.objects.select_for_update().filter(action=step.action_id).order_by("order", "pk")
    )
    move_in(siblings, step, direction, actor)


def roll_over(rollover):
    """The plan's actions into its next period, with their participants, the objectives they
    serve and their steps: dates moved, statuses, progress, spend and ticks starting again."""
    actions = list(
        Action.objects.of_plan(rollover.source).prefetch_related(
            "participants", "objectives", "steps"
        )
    )
    participants = {a.pk: [user.pk for user in a.participants.all()] for a in actions}
    served = {a.pk: [objective.pk for objective in a.objectives.all()] for a in actions}
    steps = [step for action in actions for step in action.steps.all()]
    rollover.create(
        Action,
        actions,
        target=lambda action: rollover.copy_of(Target, action.target_id),
        start_date=lambda action: rollover.move(action.start_date),
        end_date=lambda action: rollover.move(action.end_date),
        status=lambda action: Action.Status.PLANNED,
        progress=lambda action: 0,
        occurrences_done=lambda action: 0,
        budget_actual=lambda action: 0,
    )
    new = rollover.copies[Action]
    Action.participants.through.objects.bulk_create(
        Action.participants.through(action_id=new[old].pk, user_id=user_id)
        for old, users in participants.items()
        for user_id in users
    )
    Action.objectives.through.objects.bulk_create(
        Action.objectives.through(
            action_id=new[old].pk, objective_id=rollover.copy_of(Objective, objective).pk
        )
        for old, objectives in served.items()
        for objective in objectives
    )
    rollover.create(
        ActionStep,
        steps,
        action=lambda step: new[step.action_id],
        due_date=lambda step: rollover.move(step.due_date),
        done=lambda step: False,
    )
