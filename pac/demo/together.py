"""The demo plan as it was built with the reps: a team objective split between them with a little
left to split, proposals waiting and decided, one PACI signed and one changed since its
signature. Made through the services, as the pages make them, by the people who would."""

from datetime import timedelta
from decimal import Decimal

from actions.models import Action
from pac.steering import services as steering
from pac.steering.models import PaciSignature
from targets import services as targets
from targets.models import Objective

# The team objective split, and each rep's share: 280 000 € of 300 000 €, 20 000 € left.
SPLIT_TITLE = "Chiffre d'affaires nouveau sur les PME industrielles"
SHARES = {"rep1": 120000, "rep2": 110000, "rep3": 50000}


def build_split(plan, users):
    objective = Objective.objects.of_plan(plan).get(title=SPLIT_TITLE)
    targets.objective_split(
        actor=users["manager"],
        objective=objective,
        version=objective.version,
        shares={users[rep]: Decimal(value) for rep, value in SHARES.items()},
    )


def build_signatures(plan, users, today):
    """Sophie Bernard signed her PACI after the entretien PAC and nothing has moved since; Julien
    Petit signed his too, then one of his actions was given another week."""
    signed_on = min(plan.period_start + timedelta(days=10), today)
    for rep in ("rep2", "rep1"):
        signature = steering.paci_sign(actor=users[rep], plan=plan, rep=users[rep])
        PaciSignature.objects.filter(pk=signature.pk).update(
            signed_at=signature.signed_at.replace(
                year=signed_on.year, month=signed_on.month, day=signed_on.day
            )
        )
    moved = (
        Action.objects.of_plan(plan).filter(owner=users["rep1"]).order_by("-end_date", "pk").first()
    )
    moved.end_date = min(moved.end_date + timedelta(days=7), plan.period_end)
    if moved.end_date == plan.period_end:
        moved.start_date = moved.start_date - timedelta(days=7)
    moved._history_user = users["manager"]
    moved.save()
