"""Writes on targets and objectives; only the plan's editors make them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pac.core import revisions
from pac.core.access import can_edit_deal, ensure, ensure_can_edit_plan
from pac.core.models import Plan, Role, User
from pac.core.ordering import next_order
from pac.core.versioning import lock_version, save_as, versioned_update
from targets.models import Assessment, Deal, Objective, Target
from targets.splits import equal_shares


@transaction.atomic
def target_create(*, actor, plan, data) -> Target:
    ensure_can_edit_plan(actor, plan)
    return save_as(actor, Target(plan=plan, order=next_order(plan.targets)), **data)


@transaction.atomic
def target_update(*, actor, target: Target, version, data) -> Target:
    ensure_can_edit_plan(actor, target.plan)
    return versioned_update(actor=actor, instance=target, version=version, data=data)


@transaction.atomic
def target_delete(*, actor, target: Target) -> None:
    """Delete a target with its objectives and actions."""
    ensure_can_edit_plan(actor, target.plan)
    target._history_user = actor
    target.delete()


@transaction.atomic
def objective_create(*, actor, target: Target, data) -> Objective:
    ensure_can_edit_plan(actor, target.plan)
    return save_as(actor, Objective(target=target, order=next_order(target.objectives)), **data)


@transaction.atomic
def objective_update(*, actor, objective: Objective, version, data) -> Objective:
    """Change an objective. A rep's share changes only its figure (its target value): the rest
    it holds of its team objective, which its shares follow when it changes (title, metric,
    unit, deadline, measure). A split objective stays one that splits, owned by no rep."""
    ensure_can_edit_plan(actor, objective.target.plan)
    if objective.is_share:
        current = Objective.objects.get(pk=objective.pk)
        moved = [name for name, value in data.items() if getattr(current, name) != value]
        if set(moved) - {"target_value"}:
            raise ValidationError(
                _(
                    "A rep's share follows its team objective: change its figure in the split, "
                    "the rest on the team objective."
                )
            )
    updated = versioned_update(actor=actor, instance=objective, version=version, data=data)
    shares = list(updated.shares.all())
    if shares:
        errors = updated.split_refusal() or rep_owner_errors(updated)
        if errors:
            raise ValidationError(
                {
                    field: _("This objective is split between reps. %(reason)s")
                    % {"reason": message}
                    for field, message in errors.items()
                }
            )
    for share in shares:
        fields = shared_fields(updated)
        if any(getattr(share, name) != value for name, value in fields.items()):
            save_as(actor, share, **fields)
    return updated


def rep_owner_errors(objective):
    """A rep's own objective is already theirs: only the team's are split (owned by a manager,
    or by nobody)."""
    owner = objective.owner
    if owner is None:
        return {}
    team = objective.target.plan.team_id
    if User.objects.members_of(team, [Role.REP]).filter(pk=owner.pk).exists():
        return {
            "owner": _(
                "This objective is %(person)s's own: split the team's objectives, owned by a "
                "manager or by nobody."
            )
            % {"person": owner}
        }
    return {}


def shared_fields(team_objective):
    """What a rep's share holds of its team objective. A share of an objective measured by a
    KPI is measured by a KPI of its own; one measured by the deals won counts the rep's."""
    return {
        "kind": team_objective.kind,
        "title": team_objective.title,
        "metric": team_objective.metric,
        "unit": team_objective.unit,
        "deadline": team_objective.deadline,
        "measured_by": team_objective.measured_by,
    }


def split_reps(objective):
    """The people a team objective can be split between: the reps of the plan's team, and
    anyone who already holds a share of it."""
    team = objective.target.plan.team_id
    holders = objective.shares.values("owner")
    return User.objects.filter(
        Q(pk__in=User.objects.members_of(team, [Role.REP]).values("pk")) | Q(pk__in=holders)
    ).by_name()


@transaction.atomic
def objective_split(*, actor, objective: Objective, version, shares) -> Objective:
    """Split a team objective between reps: `shares` maps each rep to their share of the way
    from its baseline to its target value, None to hold none (a share they held goes). The team
    objective's version moves on, so that a split opened before meets a conflict."""
    ensure_can_edit_plan(actor, objective.target.plan)
    current = lock_version(objective, version)
    refusal = current.split_refusal() or rep_owner_errors(current)
    if refusal:
        raise ValidationError(list(refusal.values()))
    allowed = {person.pk for person in split_reps(current)}
    existing = {share.owner_id: share for share in current.shares.select_for_update()}
    errors = {}
    for rep, value in shares.items():
        if rep.pk not in allowed:
            errors[rep.pk] = _("%(person)s is not a rep of this team.") % {"person": rep}
        elif value is not None and value <= 0:
            errors[rep.pk] = _("A share is a figure above zero; leave it empty to give none.")
        elif (
            value is None
            and rep.pk in existing
            and existing[rep.pk].proposals.filter(state="waiting").exists()
        ):
            # Taking a share away would take the rep's proposal on it with it, undecided.
            errors[rep.pk] = _(
                "%(person)s has proposed a change to this share: decide it before taking the "
                "share away."
            ) % {"person": rep}
    if errors:
        raise ValidationError({f"share_{pk}": message for pk, message in errors.items()})
    fields = shared_fields(current)
    for rep, value in shares.items():
        share = existing.get(rep.pk)
        if value is None:
            if share is not None:
                share._history_user = actor
                share.delete()
        elif share is None:
            save_as(
                actor,
                Objective(
                    target=current.target,
                    parent=current,
                    owner=rep,
                    order=next_order(current.target.objectives),
                ),
                target_value=value,
                **fields,
            )
        elif share.target_value != value:
            save_as(actor, share, target_value=value)
    return save_as(actor, current)


@transaction.atomic
def objective_split_equally(*, actor, objective: Objective, version) -> Objective:
    """The way from the team objective's baseline to its target shared out equally between the
    team's reps (targets.splits.equal_shares); a rep whose equal share would be nothing (2
    accounts between 3 reps) holds none."""
    reps = list(split_reps(objective))
    equal = equal_shares(objective.to_split, len(reps))
    return objective_split(
        actor=actor,
        objective=objective,
        version=version,
        shares={rep: value or None for rep, value in zip(reps, equal, strict=True)},
    )


@transaction.atomic
def objective_delete(*, actor, objective: Objective) -> None:
    ensure_can_edit_plan(actor, objective.target.plan)
    objective._history_user = actor
    objective.delete()


@transaction.atomic
def assessment_record(*, actor, objective: Objective, data) -> Assessment:
    """The manager's verdict on a qualitative objective, on a day that has come."""
    ensure_can_edit_plan(actor, objective.target.plan)
    if data["assessed_on"] > timezone.localdate():
        raise ValidationError({"assessed_on": _("Assess an objective on a day that has come.")})
    return save_as(
        actor,
        Assessment(objective=objective, recorded_by=actor),
        **{name: data[name] for name in ("verdict", "assessed_on", "comment")},
    )


# The carnet commercial: reps keep their own deals, managers everyone's.

DEAL_FIELDS = [
    "milestone_date",
    "company",
    "contact",
    "nature",
    "amount",
    "probability",
    "stage",
    "target",
    "owner",
]


@transaction.atomic
def deal_create(*, actor, plan, data) -> Deal:
    deal = Deal(plan=plan, owner=data["owner"])
    ensure(can_edit_deal(actor, deal), plan)
    return save_as(actor, deal, **{name: data[name] for name in DEAL_FIELDS})


@transaction.atomic
def deal_update(*, actor, deal: Deal, version, data) -> Deal:
    ensure(can_edit_deal(actor, deal), deal.plan)
    if data["owner"] != deal.owner:
        # Handing a deal to someone else is the manager's call.
        ensure(can_edit_deal(actor, Deal(plan=deal.plan, owner=data["owner"])), deal.plan)
    return versioned_update(
        actor=actor, instance=deal, version=version, data={name: data[name] for name in DEAL_FIELDS}
    )


@transaction.atomic
def deal_delete(*, actor, deal: Deal) -> None:
    ensure(can_edit_deal(actor, deal), deal.plan)
    deal._history_user = actor
    deal.delete()


@transaction.atomic
def deals_import(*, actor, plan, rows, fields) -> tuple[list, list]:
    """The deals of a CRM's export (targets.crm: each row valid as the deal form found it, with
    its id in the CRM and its owner): a row whose id the plan already has updates that deal's
    `fields` (those the export gives), the others are created. Managers import, for anyone
    working on the plan. All the rows or none, in bulk with their history, whatever the size of
    the export; a bulk write sends no signal, so the plan's revision is moved on here
    (pac.core.revisions). The import stands for the CRM: it overwrites what was changed in PAC
    since, without a version check."""
    ensure_can_edit_plan(actor, plan)
    # One import at a time per plan: a confirmation sent twice at once (PostgreSQL) waits for
    # the first, then finds its deals and updates them instead of creating them again.
    Plan.objects.select_for_update().filter(pk=plan.pk).first()
    people = set(User.objects.working_on(plan.team_id).values_list("pk", flat=True))
    errors, seen = [], set()
    for row in rows:
        if row["owner"].pk not in people:
            errors.append(
                _("%(person)s neither manages nor sells for this team.") % {"person": row["owner"]}
            )
        if not row["external_id"] or row["external_id"] in seen:
            errors.append(_("Each deal needs its own id in the CRM."))
        seen.add(row["external_id"])
    if errors:
        raise ValidationError(errors)
    fields = [name for name in fields if name in DEAL_FIELDS]
    existing = {
        deal.external_id: deal
        for deal in Deal.objects.select_for_update().filter(plan=plan, external_id__in=seen)
    }
    created, updated = [], []
    for row in rows:
        deal = existing.get(row["external_id"])
        if deal is None:
            values = {name: row.get(name, "") for name in DEAL_FIELDS if name != "target"}
            created.append(Deal(plan=plan, external_id=row["external_id"], **values))
        else:
            for name in fields:
                setattr(deal, name, row[name])
            deal.version += 1
            updated.append(deal)
    Deal.objects.bulk_create(created)
    Deal.history.bulk_history_create(created, default_user=actor)
    if updated:
        # In batches: one statement for thousands of rows is a CASE the database reads slowly.
        Deal.objects.bulk_update(updated, [*fields, "version"], batch_size=200)
        Deal.history.bulk_history_create(updated, default_user=actor, update=True)
    revisions.touch(Plan.objects.filter(pk=plan.pk))
    return created, updated


def roll_over(rollover):
    """The plan's targets and objectives into its next period; an objective is measured by the
    copy of its KPI once the KPIs are copied (kpis.services.roll_over)."""
    plan = rollover.source
    rollover.create(Target, list(plan.targets.all()), plan=lambda target: rollover.copy)
    objectives = list(Objective.objects.of_plan(plan))
    rollover.measures = {objective.pk: objective.measure_kpi_id for objective in objectives}
    # The team's objectives first, then the reps' shares of their copies.
    for level in (
        [objective for objective in objectives if objective.parent_id is None],
        [objective for objective in objectives if objective.parent_id is not None],
    ):
        rollover.create(
            Objective,
            level,
            target=lambda objective: rollover.copy_of(Target, objective.target_id),
            parent=lambda objective: rollover.copy_of(Objective, objective.parent_id),
            deadline=lambda objective: rollover.move(objective.deadline),
            measure_kpi=lambda objective: None,
        )
