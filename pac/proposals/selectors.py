"""Reads of proposals: a plan's, a rep's, each described field by field for reading.

Each list is one query whatever its length: the proposal with its author, its decider, its
target and the action or objective it changes, whose values now are read from that row.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pac.core.display import readable
from pac.proposals.fields import FIELDS, MODELS, from_text, is_stale
from pac.proposals.models import Proposal

Kind = Proposal.Kind


@dataclass
class Row:
    """One field of a proposal: what the rep saw, what is there now, what they proposed, and
    what was applied once accepted ("" where it does not apply)."""

    label: str
    seen: str
    now: str
    proposed: str
    applied: str = ""

    @property
    def moved(self):
        """The row's value changed since the rep proposed."""
        return self.seen != self.now


def shown(proposal, name, text):
    """A kept value as a person reads it (a target by its name)."""
    field = MODELS[proposal.kind]._meta.get_field(name)
    if name == "target":
        # The target the rep proposed, or the one the manager gave the action in amending it.
        created = proposal.created_action
        for target in (proposal.target, created.target if created is not None else None):
            if target is not None and text == str(target.pk):
                return str(target)
        return text
    try:
        return readable(field, from_text(proposal.kind, proposal.plan, name, text))
    except (ValidationError, ValueError, TypeError, LookupError):
        return text  # a value kept in an older shape reads as it was kept


def describe(proposal):
    """The proposal with `rows` (its fields), `stale` (its row moved since), `subject` (what it
    is about), for pages and e-mails."""
    row = proposal.action if proposal.kind == Kind.ACTION_CHANGE else proposal.objective
    model = MODELS[proposal.kind]
    rows = []
    for name in FIELDS[proposal.kind]:
        if name not in proposal.changes:
            continue
        field = model._meta.get_field(name)
        now = readable(field, getattr(row, name)) if row is not None else ""
        rows.append(
            Row(
                label=str(field.verbose_name),
                seen=shown(proposal, name, proposal.seen.get(name, "")),
                now=now,
                proposed=shown(proposal, name, proposal.changes[name]),
                applied=shown(proposal, name, proposal.applied[name])
                if name in proposal.applied
                else "",
            )
        )
    proposal.rows = rows
    proposal.stale = proposal.waiting and is_stale(proposal)
    proposal.subject = subject(proposal)
    return proposal


def subject(proposal):
    if proposal.kind == Kind.NEW_ACTION:
        return _("New action “%(title)s” on %(target)s") % {
            "title": proposal.changes.get("title", ""),
            "target": proposal.target,
        }
    if proposal.kind == Kind.ACTION_CHANGE:
        return _("Change to the action “%(title)s”") % {"title": proposal.action}
    return _("Change to the objective “%(title)s”") % {"title": proposal.objective}


def plan_proposals(plan):
    """The plan's proposals, waiting first, each described; the count still waiting."""
    proposals = list(
        Proposal.objects.filter(plan=plan)
        .select_related(
            "author", "decided_by", "target", "action", "objective", "created_action__target"
        )
        .order_by("-created_at", "-pk")
    )
    for proposal in proposals:
        proposal.plan = plan
        describe(proposal)
    waiting = [proposal for proposal in proposals if proposal.waiting]
    return {
        "proposals": waiting + [proposal for proposal in proposals if not proposal.waiting],
        "proposals_waiting": len(waiting),
        "proposals_shown": bool(proposals),
    }


def rep_proposals(plan, rep):
    """The rep's own proposals in the plan, waiting first, newest first, each described."""
    proposals = list(
        Proposal.objects.filter(plan=plan, author=rep)
        .select_related("decided_by", "target", "action", "objective", "created_action__target")
        .order_by("-created_at", "-pk")
    )
    for proposal in proposals:
        proposal.plan = plan
        proposal.author = rep
        describe(proposal)
    waiting = [proposal for proposal in proposals if proposal.waiting]
    return {"my_proposals": waiting + [proposal for proposal in proposals if not proposal.waiting]}
