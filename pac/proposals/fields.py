"""What a proposal may change, and its values as it keeps them (text, by field name)."""

from datetime import date

from django.db import models

from actions.models import Action
from pac.proposals.models import Proposal
from targets.models import Objective

Kind = Proposal.Kind

# What each kind of proposal may carry: a new action's sheet (its owner is the rep who proposes
# it; status, progress, spend and occurrences done start as a new sheet's), the dates, means,
# budget and occurrences of one of the rep's actions, the target value of one of their objectives.
FIELDS = {
    Kind.NEW_ACTION: [
        "title",
        "target",
        "domain",
        "sales_type",
        "description",
        "means",
        "start_date",
        "end_date",
        "budget_planned",
        "occurrences_planned",
    ],
    Kind.ACTION_CHANGE: [
        "start_date",
        "end_date",
        "means",
        "budget_planned",
        "occurrences_planned",
    ],
    Kind.OBJECTIVE_CHANGE: ["target_value"],
}

MODELS = {Kind.NEW_ACTION: Action, Kind.ACTION_CHANGE: Action, Kind.OBJECTIVE_CHANGE: Objective}

# A new action's sheet besides what the rep proposes.
NEW_SHEET = {
    "budget_actual": 0,
    "occurrences_done": 0,
    "status": Action.Status.PLANNED,
    "progress": 0,
}


def as_text(value):
    """A proposed value as the proposal keeps it: a row by its key, a date in ISO, "" for none."""
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def from_text(kind, plan, name, text):
    """A kept value as the model takes it."""
    field = MODELS[kind]._meta.get_field(name)
    if text == "" and field.null:
        return None
    if name == "target":
        return plan.targets.get(pk=text)
    return field.to_python(text)


def values_of(proposal, texts=None):
    """The proposal's values (or `texts` in its shape) as the model takes them."""
    texts = proposal.changes if texts is None else texts
    return {
        name: from_text(proposal.kind, proposal.plan, name, texts[name])
        for name in FIELDS[proposal.kind]
        if name in texts
    }


def is_stale(proposal):
    """Whether a field the rep proposed to change has moved since they saw it. The rest of the
    row may move (the rep reporting progress on the action, another field edited): accepting
    the proposal then changes only its fields, on the row as it is."""
    if proposal.kind == Kind.NEW_ACTION:
        return False
    row = proposal.action if proposal.kind == Kind.ACTION_CHANGE else proposal.objective
    return any(
        as_text(getattr(row, name)) != proposal.seen.get(name, "") for name in proposal.changes
    )
