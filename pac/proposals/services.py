"""Proposals from reps and the manager's decision on each.

A rep proposes on their own PACI while the plan is open; nothing of the plan changes then. A
manager accepts a proposal (as it is, or amended): it is applied through the apps' own services
in the same transaction, the applied row's history saying who proposed and who accepted. A change
proposed on a row that has moved since is not applied as it is: the manager sees what the rep saw,
what is there now and what was proposed, and amends it.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from actions import services as action_services
from actions.models import Action
from pac.core.access import PlanAccess
from pac.core.models import Role
from pac.core.versioning import EditConflict, lock_version, save_as
from pac.proposals import mail
from pac.proposals.fields import FIELDS, NEW_SHEET, as_text, is_stale, values_of
from pac.proposals.models import Proposal
from targets import services as target_services

Kind = Proposal.Kind


def can_propose(access, rep=None):
    """Reps propose on their own PACI of an open plan (draft or active); managers edit the plan
    themselves, viewers write nothing."""
    own = rep is None or rep.pk == access.user.pk
    return access.open and access.active and access.role == Role.REP and own


def ensure_can_propose(access, rep=None):
    """Refuse, with the reason, anyone who may not propose (on `rep`'s PACI, when given)."""
    if access.plan.is_closed:
        raise PermissionDenied(_("This plan is closed: it can no longer be changed."))
    if not can_propose(access, rep):
        raise PermissionDenied(_("Only the team's reps propose changes, on their own PACI."))


def ensure_can_decide(access):
    """The team's managers and staff decide, while the plan is open."""
    access.ensure_can_edit()


def candidate(kind, plan, author, row, data):
    """The row as the proposal would leave it, unsaved."""
    if kind == Kind.NEW_ACTION:
        return Action(owner=author, **NEW_SHEET, **data)
    fresh = type(row)._default_manager.select_related("target__plan").get(pk=row.pk)
    for name, value in data.items():
        setattr(fresh, name, value)
    return fresh


def check_values(kind, plan, author, row, data):
    """Refuse what the row would refuse, beside the proposed field (what lands on another field,
    such as occurrences done above the number planned, on the whole proposal)."""
    unknown = set(data) - set(FIELDS[kind])
    if unknown:
        raise ValueError(f"a proposal of kind {kind} cannot change {sorted(unknown)}")
    proposed = candidate(kind, plan, author, row, data)
    others = [f.name for f in proposed._meta.concrete_fields if f.name not in data]
    if kind == Kind.NEW_ACTION:
        others = [name for name in others if name not in NEW_SHEET and name != "owner"]
    try:
        proposed.full_clean(exclude=others, validate_unique=False)
    except ValidationError as error:
        raise ValidationError(
            {
                (name if name in data else "__all__"): messages
                for name, messages in error.message_dict.items()
            }
        ) from error
    return proposed


def owned_row(access, kind, action, objective):
    """The action or objective a change is proposed on: one of the plan's, owned by the rep."""
    row = action if kind == Kind.ACTION_CHANGE else objective
    if row is None or row.target.plan_id != access.plan.pk:
        raise ValidationError(_("Choose one of this plan's actions or objectives."))
    if row.owner_id != access.user.pk:
        raise PermissionDenied(_("This is someone else's work: you cannot change it."))
    return row


@transaction.atomic
def proposal_create(*, actor, plan, kind, action=None, objective=None, data, comment) -> Proposal:
    """A rep's proposal on their PACI: a new action on one of the plan's targets (`data` holds its
    sheet), or a change to one of their actions or objectives (`data` holds the fields changed).
    The plan does not change."""
    access = PlanAccess.of(actor, plan)
    ensure_can_propose(access)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say why you propose it.")})
    proposal = Proposal(plan=plan, author=actor, kind=kind)
    if kind == Kind.NEW_ACTION:
        target = data.get("target")
        if target is None or target.plan_id != plan.pk:
            raise ValidationError({"target": _("Choose a target of this plan.")})
        check_values(kind, plan, actor, None, data)
        proposal.target = target
    else:
        row = owned_row(access, kind, action, objective)
        check_values(kind, plan, actor, row, data)
        current = type(row)._default_manager.get(pk=row.pk)
        changed = {name for name, value in data.items() if getattr(current, name) != value}
        if not changed:
            raise ValidationError(_("Change at least one value: this is what it is now."))
        data = {name: data[name] for name in FIELDS[kind] if name in changed}
        proposal.target_id = current.target_id
        proposal.action = current if kind == Kind.ACTION_CHANGE else None
        proposal.objective = current if kind == Kind.OBJECTIVE_CHANGE else None
        proposal.seen = {name: as_text(getattr(current, name)) for name in data}
        proposal.seen_version = current.version
    return save_as(
        actor,
        proposal,
        changes={name: as_text(value) for name, value in data.items()},
        comment=comment,
    )


def decided(actor, proposal, version):
    """The proposal, locked, if it still waits for a decision."""
    ensure_can_decide(PlanAccess.of(actor, proposal.plan))
    current = lock_version(proposal, None)
    if not current.waiting:
        raise ValidationError(_("This proposal has already been decided."))
    if version is not None and current.version != version:
        raise EditConflict(current)
    current.plan = proposal.plan
    return current


def history_reason(proposal, actor, amended):
    """What the applied row's history says (a history reason holds 100 characters)."""
    names = {"author": proposal.author, "manager": actor}
    if amended:
        reason = _("Proposed by %(author)s, amended and accepted by %(manager)s") % names
    else:
        reason = _("Proposed by %(author)s, accepted by %(manager)s") % names
    return Truncator(reason).chars(100)


def explain(row, reason):
    """Write `reason` on the row's latest history record, the one its save just wrote."""
    record = row.history.order_by("-history_date", "-history_id").first()
    record.history_change_reason = reason
    record.save(update_fields=["history_change_reason"])


def apply(actor, proposal, values):
    """Apply the values through the apps' services; the row they changed or created."""
    plan = proposal.plan
    if proposal.kind == Kind.NEW_ACTION:
        return action_services.action_create(
            actor=actor, plan=plan, data=NEW_SHEET | values | {"owner": proposal.author}
        )
    if proposal.kind == Kind.ACTION_CHANGE:
        action = proposal.action
        # Everything else of the sheet, its participants and its objectives, as they are now.
        return action_services.action_update(
            actor=actor,
            action=action,
            version=action.version,
            data={name: getattr(action, name) for name in action_services.SHEET_FIELDS} | values,
            participants=list(action.participants.all()),
            objectives=list(action.objectives.all()),
        )
    objective = proposal.objective
    return target_services.objective_update(
        actor=actor, objective=objective, version=objective.version, data=values
    )


@transaction.atomic
def proposal_accept(*, actor, proposal: Proposal, version, amended=None, notify=True) -> Proposal:
    """Apply the proposal (or `amended`, the manager's values for its fields) and record the
    decision; its author is told by e-mail unless `notify` is off (the demo's past decisions).
    A change whose row moved since the rep saw it is an EditConflict (its `current` is the row
    now) unless the manager amends it: amending decides against the row as it is now."""
    current = decided(actor, proposal, version)
    kind = current.kind
    row = None
    if kind != Kind.NEW_ACTION:
        row = lock_version(
            current.action if kind == Kind.ACTION_CHANGE else current.objective, None
        )
        setattr(current, "action" if kind == Kind.ACTION_CHANGE else "objective", row)
    if amended is None:
        if is_stale(current):
            raise EditConflict(row)
        values = values_of(current)
    else:
        unknown = set(amended) - set(FIELDS[kind])
        if unknown:
            raise ValueError(f"a proposal of kind {kind} cannot change {sorted(unknown)}")
        values = amended
    check_values(kind, current.plan, current.author, row, values)
    applied = apply(actor, current, values)
    reason = history_reason(current, actor, amended is not None)
    explain(applied, reason)
    current._change_reason = reason
    save_as(
        actor,
        current,
        state=Proposal.State.ACCEPTED,
        decided_by=actor,
        decided_at=timezone.now(),
        applied={name: as_text(value) for name, value in values.items()},
        created_action=applied if kind == Kind.NEW_ACTION else None,
    )
    if notify:
        transaction.on_commit(lambda: mail.send_decision(current), robust=True)
    return current


@transaction.atomic
def proposal_decline(*, actor, proposal: Proposal, version, reason, notify=True) -> Proposal:
    """Decline the proposal with the reason the rep reads; nothing of the plan changes."""
    current = decided(actor, proposal, version)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you decline it: the rep reads it.")})
    save_as(
        actor,
        current,
        state=Proposal.State.DECLINED,
        decided_by=actor,
        decided_at=timezone.now(),
        reason=reason,
    )
    if notify:
        transaction.on_commit(lambda: mail.send_decision(current), robust=True)
    return current
