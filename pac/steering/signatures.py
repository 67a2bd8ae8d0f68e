"""A rep's PACI signed after the "entretien PAC": what they commit to, the fingerprint of that
version, and what has changed in it since they signed.

What a rep commits to is their objectives (title, target value, unit, deadline) and their actions
(title, dates, means, budget and occurrences planned); progress, spend and ticks are reported
along the way and change nothing to what was agreed.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import JSONField, OuterRef, Subquery
from django.utils.formats import date_format, number_format

from actions.models import Action
from pac.steering.models import PaciSignature
from targets.models import Objective

OBJECTIVE_TERMS = ("title", "target_value", "unit", "deadline")
ACTION_TERMS = ("title", "start_date", "end_date", "means", "budget_planned", "occurrences_planned")


def value_of(row, name):
    """A field of a model instance, or of a row read with `values()`."""
    return row[name] if isinstance(row, dict) else getattr(row, name)


def as_text(value):
    """A value as the JSON of a signature keeps it: dates in ISO, decimals as written."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    return str(value) if not isinstance(value, str) else value


def terms(row, names):
    return {name: as_text(value_of(row, name)) for name in names}


def commitments(objectives, actions):
    """What a rep commits to, as JSON, by id: `objectives` and `actions` are model instances or
    rows read with `values()` (with their "pk")."""
    return {
        "objectives": {str(value_of(row, "pk")): terms(row, OBJECTIVE_TERMS) for row in objectives},
        "actions": {str(value_of(row, "pk")): terms(row, ACTION_TERMS) for row in actions},
    }


def fingerprint(committed):
    """The version of a PACI: eight hex digits of the digest of what it commits to."""
    text = json.dumps(committed, sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()[:8]


@dataclass(frozen=True)
class Change:
    """An objective or an action added to a PACI, taken from it, or changed (`fields`: label,
    value when signed, value now), since its signature."""

    model: type
    title: str
    state: str  # "added", "removed" or "changed"
    fields: tuple = ()

    @property
    def is_objective(self):
        return self.model is Objective


def shown(model, name, text):
    """A value kept as text, as the pages show it (dates 31/12/2026, figures 1 000)."""
    if text is None or text == "":
        return ""
    field = model._meta.get_field(name)
    if isinstance(field, models.DateField):
        return date_format(date.fromisoformat(text), "SHORT_DATE_FORMAT")
    if isinstance(field, models.DecimalField | models.IntegerField):
        return number_format(Decimal(text), use_l10n=True, force_grouping=True)
    return text


def changes_since(signed, now):
    """What differs between the commitments signed and those of now, objectives first."""
    changes = []
    for key, model, names in (
        ("objectives", Objective, OBJECTIVE_TERMS),
        ("actions", Action, ACTION_TERMS),
    ):
        before, after = signed.get(key, {}), now.get(key, {})
        for pk in sorted(set(before) | set(after), key=int):
            old, new = before.get(pk), after.get(pk)
            if old is None:
                changes.append(Change(model, new["title"], "added"))
            elif new is None:
                changes.append(Change(model, old["title"], "removed"))
            elif old != new:
                fields = tuple(
                    (
                        model._meta.get_field(name).verbose_name,
                        shown(model, name, old.get(name)),
                        shown(model, name, new.get(name)),
                    )
                    for name in names
                    if old.get(name) != new.get(name)
                )
                changes.append(Change(model, new["title"], "changed", fields))
    return changes


@dataclass
class SignatureState:
    """The latest signature of a PACI (None: never signed) and what changed since."""

    signature: PaciSignature | None
    changes: list

    @property
    def changed(self):
        return bool(self.changes)

    @property
    def to_sign(self):
        """Never signed, or changed since: a signature is called for."""
        return self.signature is None or self.changed


def with_latest_signature(people, plan):
    """People, each with their latest signature of their PACI in `plan` read in the same query
    (the PACI's page reads its owner anyway)."""
    latest = PaciSignature.objects.filter(plan=plan, rep=OuterRef("pk")).order_by(
        "-signed_at", "-pk"
    )
    return people.annotate(
        signature_pk=Subquery(latest.values("pk")[:1]),
        signature_at=Subquery(latest.values("signed_at")[:1]),
        signature_version=Subquery(latest.values("fingerprint")[:1]),
        signature_snapshot=Subquery(latest.values("snapshot")[:1], output_field=JSONField()),
    )


def latest_signature(plan, rep):
    """The rep's latest signature of their PACI in the plan, or None: read with the rep when it
    was (with_latest_signature), else now."""
    if not hasattr(rep, "signature_pk"):
        return PaciSignature.objects.filter(plan=plan, rep=rep).select_related("rep").first()
    if rep.signature_pk is None:
        return None
    return PaciSignature(
        pk=rep.signature_pk,
        plan=plan,
        rep=rep,
        signed_at=rep.signature_at,
        fingerprint=rep.signature_version,
        snapshot=rep.signature_snapshot,
    )


def signature_state(signature, objectives, actions):
    """How the PACI of these objectives and actions stands against its latest signature."""
    if signature is None:
        return SignatureState(None, [])
    now = commitments(objectives, actions)
    if fingerprint(now) == signature.fingerprint:
        return SignatureState(signature, [])
    return SignatureState(signature, changes_since(signature.snapshot, now))


def paci_signature(plan, rep, objectives, buckets):
    """How a PACI stands against its latest signature, from what its page already read: the
    progress of its objectives and its actions by urgency."""
    actions = [action for _key, _title, members in buckets.sections for action in members]
    return signature_state(
        latest_signature(plan, rep), [item.objective for item in objectives], actions
    )
