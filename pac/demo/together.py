"""The demo plan as it was built with the reps: a team objective split between them with a little
left to split, proposals waiting and decided, one PACI signed and one changed since its
signature. Made through the services, as the pages make them, by the people who would."""

from datetime import timedelta
from decimal import Decimal

from actions.models import Action
from pac.proposals import services as proposals
from pac.proposals.models import Proposal
from pac.steering import services as steering
from pac.steering.models import PaciSignature
from targets import services as targets
from targets.models import Objective, Target

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


def within(plan, day):
    return min(max(day, plan.period_start), plan.period_end)


def new_action(plan, target_name, title, sales_type, start, days, budget, means):
    return {
        "title": title,
        "target": Target.objects.get(plan=plan, name=target_name),
        "domain": Action.Domain.SALES,
        "sales_type": sales_type,
        "description": "",
        "means": means,
        "start_date": within(plan, start),
        "end_date": within(plan, start + timedelta(days=days)),
        "budget_planned": Decimal(budget),
        "occurrences_planned": None,
    }


def build_proposals(plan, users, today):
    """Two proposals waiting (one from Julien Petit), one accepted, one declined with its reason;
    made by the reps on their PACI, decided by the manager on the plan page."""
    manager = users["manager"]
    proposals.proposal_create(
        actor=users["rep1"],
        plan=plan,
        kind=Proposal.Kind.NEW_ACTION,
        data=new_action(
            plan,
            "Groupe Hospitalier Saint-Louis",
            "Atelier cybersécurité avec la DSI du Groupe Hospitalier",
            Action.SalesType.FARMING,
            today + timedelta(days=7),
            14,
            1500,
            "Démonstrateur SOC, support d'atelier, salle du client",
        ),
        comment="La DSI m'a demandé une session pour ses équipes après l'incident de septembre : "
        "c'est l'occasion de présenter l'offre SOC avant le renouvellement.",
    )
    late = (
        Action.objects.of_plan(plan)
        .filter(owner=users["rep3"])
        .order_by("end_date", "pk")
        .exclude(end_date__gte=plan.period_end)
        .last()
    )
    proposals.proposal_create(
        actor=users["rep3"],
        plan=plan,
        kind=Proposal.Kind.ACTION_CHANGE,
        action=late,
        data={
            "end_date": within(plan, late.end_date + timedelta(days=14)),
            "budget_planned": late.budget_planned + Decimal(800),
        },
        comment="Deux collectivités ont décalé leurs comités : il faut deux semaines de plus et "
        "un second déplacement.",
    )
    accepted = proposals.proposal_create(
        actor=users["rep2"],
        plan=plan,
        kind=Proposal.Kind.NEW_ACTION,
        data=new_action(
            plan,
            "PME industrielles",
            "Petit-déjeuner sécurité des PME de Massy",
            Action.SalesType.HUNTING,
            plan.period_start + timedelta(days=45),
            1,
            600,
            "Salle de l'hôtel d'entreprises, invitations, témoignage client",
        ),
        comment="Le club d'entreprises de Massy nous prête sa salle : vingt dirigeants de PME "
        "déjà inscrits à ses rencontres.",
    )
    proposals.proposal_accept(
        actor=manager, proposal=accepted, version=accepted.version, notify=False
    )
    decided_long_ago(accepted, plan.period_start + timedelta(days=3))
    contracts = Objective.objects.of_plan(plan).get(title="Signer des contrats SOC")
    declined = proposals.proposal_create(
        actor=users["rep3"],
        plan=plan,
        kind=Proposal.Kind.OBJECTIVE_CHANGE,
        objective=contracts,
        data={"target_value": Decimal(4)},
        comment="Le cycle de vente est plus long que prévu : six contrats ce semestre me "
        "paraissent hors d'atteinte.",
    )
    proposals.proposal_decline(
        actor=manager,
        proposal=declined,
        version=declined.version,
        reason="On garde six : deux appels d'offres sortent en fin de semestre ; on en reparle "
        "à la revue.",
        notify=False,
    )
    decided_long_ago(declined, plan.period_start + timedelta(days=2))


def decided_long_ago(proposal, day):
    """Proposed and decided in the first days of the period, before the entretien PAC where the
    reps sign (build_signatures)."""
    day = within(proposal.plan, day)
    proposal.refresh_from_db()
    Proposal.objects.filter(pk=proposal.pk).update(
        created_at=proposal.created_at.replace(year=day.year, month=day.month, day=day.day),
        decided_at=proposal.decided_at.replace(year=day.year, month=day.month, day=day.day)
        + timedelta(days=2),
    )
