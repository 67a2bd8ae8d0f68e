"""Review meetings: their record, the snapshot of figures they keep, and the corrective actions
they decide."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from actions import services as action_services
from actions.models import Action
from pac.core.access import PlanAccess, ensure_can_edit_plan
from pac.core.models import Plan
from pac.core.versioning import lock_version, save_as
from pac.steering.models import PaciSignature, Review
from pac.steering.selectors import paci_people, rep_actions, snapshot
from pac.steering.signatures import commitments, fingerprint, latest_signature
from targets.models import Objective

# Review meetings along the PDCA loop.

REVIEW_FIELDS = ("held_on", "other_attendees", "findings", "decisions")


@transaction.atomic
def review_create(*, actor, plan: Plan, data, attendees=()) -> Review:
    """Record a review meeting with the figures of the plan frozen at its date."""
    ensure_can_edit_plan(actor, plan)
    review = Review(plan=plan, snapshot=snapshot(plan, data["held_on"]))
    save_as(actor, review, **{name: data[name] for name in REVIEW_FIELDS})
    review.attendees.set(attendees)
    return review


@transaction.atomic
def review_update(*, actor, review: Review, version, data, attendees=()) -> Review:
    """Change what was said and decided; the figures stay those of the review's date."""
    ensure_can_edit_plan(actor, review.plan)
    current = lock_version(review, version)
    if data["held_on"] != current.held_on:
        raise ValidationError(
            {"held_on": _("The date of a review cannot change: its figures belong to that day.")}
        )
    save_as(actor, current, **{name: data[name] for name in REVIEW_FIELDS})
    current.attendees.set(attendees)
    return current


@transaction.atomic
def corrective_action_create(*, actor, review: Review, data) -> Action:
    """Turn a decision of a review into an action of the plan, in one step, through the action
    sheet's own service (its checks included): the fields the form leaves out keep a new
    sheet's defaults."""
    description = _("Corrective action decided at the %(review)s.") % {
        "review": str(review).lower()
    }
    if data.get("description"):
        description = f"{description}\n{data['description']}"
    blank = Action()
    fields = {
        name: data[name] if name in data else getattr(blank, name)
        for name in action_services.SHEET_FIELDS
    }
    action = action_services.action_create(
        actor=actor, plan=review.plan, data=fields | {"description": description}
    )
    review.corrective_actions.add(action)
    return action


# The PACI each rep signs.


@transaction.atomic
def paci_sign(*, actor, plan: Plan, rep) -> PaciSignature:
    """The rep acknowledges their PACI as it stands: its objectives and actions are kept with the
    signature. Only the rep signs, on an open plan; a PACI signed and unchanged since is not
    signed twice (a double click signs once)."""
    access = PlanAccess.of(actor, plan)
    if actor.pk != rep.pk and not plan.is_closed:
        raise PermissionDenied(_("Only its rep signs a PACI."))
    access.ensure(access.can_sign_paci(rep) and paci_people(plan).filter(pk=rep.pk).exists())
    # Signatures of one PACI are taken one at a time: the rep's row is locked till the end.
    type(rep).objects.select_for_update().filter(pk=rep.pk).first()
    objectives = Objective.objects.of_plan(plan).filter(owner=rep)
    committed = commitments(objectives, rep_actions(plan, rep))
    latest = latest_signature(plan, rep)
    if latest is not None and latest.fingerprint == fingerprint(committed):
        return latest
    return PaciSignature.objects.create(
        plan=plan, rep=rep, snapshot=committed, fingerprint=fingerprint(committed)
    )
