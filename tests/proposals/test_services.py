"""Proposals: a rep proposes on their own PACI, nothing changes until a manager decides; an
accepted proposal applies exactly its fields, through the apps' services, its history saying who
proposed and who accepted."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from actions import services as action_services
from actions.models import Action
from pac.core.models import Plan
from pac.core.versioning import EditConflict
from pac.proposals import services
from pac.proposals.models import Proposal
from pac.proposals.selectors import rep_proposals
from targets import services as target_services
from tests.builders import objective_fields, sheet

pytestmark = pytest.mark.django_db

Kind = Proposal.Kind


@pytest.fixture
def plan_work(world):
    """A target, an action and an objective of the rep's, one action of the other rep's, built
    through the services as the manager does."""
    plan, manager = world.plan, world.manager
    target = target_services.target_create(
        actor=manager, plan=plan, data={"name": "PME", "kind": "segment", "priority": 1}
    )
    other_target = target_services.target_create(
        actor=manager, plan=plan, data={"name": "ETI", "kind": "segment", "priority": 2}
    )
    objective = target_services.objective_create(
        actor=manager,
        target=target,
        data=objective_fields(world.rep, measured_by="won_count", unit="clients"),
    )
    action = action_services.action_create(
        actor=manager,
        plan=plan,
        data=sheet(target, "Salon Industrie", world.rep, date(2027, 3, 1), date(2027, 3, 4))
        | {
            "description": "Stand de 9 m²",
            "means": "Kakémonos",
            "budget_planned": Decimal("5000"),
            "budget_actual": Decimal("1200"),
            "occurrences_planned": 4,
            "occurrences_done": 1,
            "progress": 30,
        },
        participants=[world.other_rep],
        objectives=[objective],
    )
    colleague = action_services.action_create(
        actor=manager,
        plan=plan,
        data=sheet(target, "Relances", world.other_rep, date(2027, 2, 1), date(2027, 2, 28)),
    )
    return {
        "target": target,
        "other_target": other_target,
        "objective": objective,
        "action": action,
        "colleague": colleague,
    }


NEW_ACTION = {
    "title": "Webinaire RH",
    "domain": Action.Domain.SALES,
    "sales_type": Action.SalesType.NOTORIETY,
    "description": "Un webinaire pour les DRH",
    "means": "Zoom, emailing",
    "start_date": date(2027, 4, 1),
    "end_date": date(2027, 4, 30),
    "budget_planned": Decimal("800"),
    "occurrences_planned": 2,
}


def propose_action(world, work, **changes):
    return services.proposal_create(
        actor=world.rep,
        plan=world.plan,
        kind=Kind.NEW_ACTION,
        data=NEW_ACTION | {"target": work["target"]} | changes,
        comment="Les DRH demandent une démo",
    )


def propose_change(world, work, **data):
    return services.proposal_create(
        actor=world.rep,
        plan=world.plan,
        kind=Kind.ACTION_CHANGE,
        action=work["action"],
        data=data,
        comment="Le salon est décalé",
    )


def sheet_of(action):
    """Everything of an action: its fields, participants and objectives."""
    action.refresh_from_db()
    fields = {
        field.attname: getattr(action, field.attname)
        for field in Action._meta.concrete_fields
        if field.name != "updated_at"
    }
    return fields | {
        "participants": sorted(user.pk for user in action.participants.all()),
        "objectives": sorted(objective.pk for objective in action.objectives.all()),
    }


def test_a_proposal_changes_nothing_of_the_plan(world, plan_work):
    before = sheet_of(plan_work["action"])
    actions = Action.objects.count()
    propose_action(world, plan_work)
    propose_change(world, plan_work, budget_planned=Decimal("7000"))
    assert Action.objects.count() == actions
    assert sheet_of(plan_work["action"]) == before
    assert Proposal.objects.waiting().count() == 2


def test_an_accepted_new_action_is_exactly_the_one_proposed(world, plan_work):
    proposal = propose_action(world, plan_work)
    accepted = services.proposal_accept(
        actor=world.manager, proposal=proposal, version=proposal.version
    )
    action = accepted.created_action
    assert accepted.state == Proposal.State.ACCEPTED
    assert accepted.decided_by == world.manager
    assert action.title == "Webinaire RH"
    assert action.target == plan_work["target"]
    assert action.domain == "sales"
    assert action.sales_type == "notoriety"
    assert action.description == "Un webinaire pour les DRH"
    assert action.means == "Zoom, emailing"
    assert action.owner == world.rep
    assert (action.start_date, action.end_date) == (date(2027, 4, 1), date(2027, 4, 30))
    assert action.budget_planned == Decimal("800")
    assert action.occurrences_planned == 2
    # A new sheet's progress side.
    assert action.status == Action.Status.PLANNED
    assert (action.progress, action.occurrences_done, action.budget_actual) == (0, 0, 0)
    assert list(action.participants.all()) == []
    assert list(action.objectives.all()) == []
    assert accepted.applied["title"] == "Webinaire RH"
    assert accepted.applied["budget_planned"] == "800"


def test_the_history_says_who_proposed_and_who_accepted(world, plan_work):
    world.rep.first_name, world.rep.last_name = "Julien", "Petit"
    world.rep.save()
    world.manager.first_name, world.manager.last_name = "Marie", "Durand"
    world.manager.save()
    proposal = propose_action(world, plan_work)
    # Written in the language of the manager who decides.
    with translation.override("en"):
        accepted = services.proposal_accept(
            actor=world.manager, proposal=proposal, version=proposal.version
        )
    record = accepted.created_action.history.first()
    assert record.history_user == world.manager
    assert record.history_change_reason == "Proposed by Julien Petit, accepted by Marie Durand"
    assert accepted.history.first().history_change_reason == record.history_change_reason
    assert accepted.history.last().history_user == world.rep


def test_an_accepted_change_applies_its_fields_and_nothing_else(world, plan_work):
    action = plan_work["action"]
    before = sheet_of(action)
    proposal = propose_change(
        world, plan_work, end_date=date(2027, 3, 10), budget_planned=Decimal("6500")
    )
    assert proposal.changes == {"end_date": "2027-03-10", "budget_planned": "6500"}
    assert proposal.seen == {"end_date": "2027-03-04", "budget_planned": "5000.00"}
    services.proposal_accept(actor=world.manager, proposal=proposal, version=proposal.version)
    after = sheet_of(action)
    assert after.pop("end_date") == date(2027, 3, 10)
    assert after.pop("budget_planned") == Decimal("6500")
    before.pop("end_date"), before.pop("budget_planned")
    assert after.pop("version") == before.pop("version") + 1
    assert after == before
    assert action.history.first().history_change_reason


def test_an_accepted_objective_change_sets_its_target_value(world, plan_work):
    objective = plan_work["objective"]
    proposal = services.proposal_create(
        actor=world.rep,
        plan=world.plan,
        kind=Kind.OBJECTIVE_CHANGE,
        objective=objective,
        data={"target_value": Decimal("18")},
        comment="Deux grands comptes perdus",
    )
    objective.refresh_from_db()
    assert objective.target_value == Decimal("25")
    services.proposal_accept(actor=world.manager, proposal=proposal, version=proposal.version)
    objective.refresh_from_db()
    assert objective.target_value == Decimal("18")
    assert (objective.title, objective.unit, objective.owner) == (
        "Taux de transformation",
        "clients",
        world.rep,
    )


def test_a_declined_proposal_changes_nothing_and_needs_a_reason(world, plan_work):
    action = plan_work["action"]
    before = sheet_of(action)
    proposal = propose_change(world, plan_work, budget_planned=Decimal("9000"))
    with pytest.raises(ValidationError) as refused:
        services.proposal_decline(
            actor=world.manager, proposal=proposal, version=proposal.version, reason="  "
        )
    assert "reason" in refused.value.message_dict
    proposal.refresh_from_db()
    assert proposal.waiting
    declined = services.proposal_decline(
        actor=world.manager,
        proposal=proposal,
        version=proposal.version,
        reason="Le budget est bouclé",
    )
    assert declined.state == Proposal.State.DECLINED
    assert declined.reason == "Le budget est bouclé"
    assert sheet_of(action) == before


def test_a_stale_proposal_is_a_conflict_and_can_be_amended(world, plan_work):
    action = plan_work["action"]
    proposal = propose_change(world, plan_work, budget_planned=Decimal("6500"))
    # The manager changes the budget and the means after the rep proposed.
    action_services.action_update(
        actor=world.manager,
        action=action,
        version=action.version,
        data={name: getattr(action, name) for name in action_services.SHEET_FIELDS}
        | {"budget_planned": Decimal("5500"), "means": "Kakémonos, flyers"},
        participants=[world.other_rep],
        objectives=[plan_work["objective"]],
    )
    with pytest.raises(EditConflict) as conflict:
        services.proposal_accept(actor=world.manager, proposal=proposal, version=proposal.version)
    assert conflict.value.current.budget_planned == Decimal("5500")
    proposal.refresh_from_db()
    assert proposal.waiting
    action.refresh_from_db()
    assert action.budget_planned == Decimal("5500")
    with translation.override("en"):
        accepted = services.proposal_accept(
            actor=world.manager,
            proposal=proposal,
            version=proposal.version,
            amended={"budget_planned": Decimal("6000")},
        )
    action.refresh_from_db()
    assert action.budget_planned == Decimal("6000")
    assert action.means == "Kakémonos, flyers"  # the manager's change kept
    assert accepted.applied == {"budget_planned": "6000"}
    assert "amended and accepted by" in action.history.first().history_change_reason


def test_progress_reported_after_a_proposal_leaves_it_to_accept_as_it_is(world, plan_work):
    """The rep reports progress on their action after proposing a new budget: the fields
    proposed have not moved, so one click accepts it, and the progress stays."""
    action = plan_work["action"]
    proposal = propose_change(world, plan_work, budget_planned=Decimal("6500"))
    action.refresh_from_db()
    action_services.action_report(
        actor=world.rep,
        action=action,
        version=action.version,
        data={"status": "in_progress", "progress": 30, "occurrences_done": 0, "budget_actual": 0},
    )
    services.proposal_accept(actor=world.manager, proposal=proposal, version=proposal.version)
    action.refresh_from_db()
    assert (action.budget_planned, action.progress) == (Decimal("6500"), 30)


def test_an_action_given_another_target_reads_both_targets_by_name(world, plan_work):
    proposal = propose_action(world, plan_work)
    values = dict(NEW_ACTION, target=plan_work["other_target"])
    services.proposal_accept(
        actor=world.manager,
        proposal=proposal,
        version=proposal.version,
        amended={name: values[name] for name in proposal.changes},
    )
    [described] = rep_proposals(world.plan, world.rep)["my_proposals"]
    [row] = [row for row in described.rows if row.label == "cible"]
    assert (row.proposed, row.applied) == (
        str(plan_work["target"]),
        str(plan_work["other_target"]),
    )


def test_a_proposal_is_decided_once(world, plan_work):
    proposal = propose_action(world, plan_work)
    services.proposal_accept(actor=world.manager, proposal=proposal, version=proposal.version)
    with pytest.raises(ValidationError):
        services.proposal_accept(actor=world.manager, proposal=proposal, version=None)
    assert Action.objects.filter(title="Webinaire RH").count() == 1


def test_a_rep_cannot_propose_on_a_colleagues_action(world, plan_work):
    with pytest.raises(PermissionDenied):
        services.proposal_create(
            actor=world.rep,
            plan=world.plan,
            kind=Kind.ACTION_CHANGE,
            action=plan_work["colleague"],
            data={"budget_planned": Decimal("1")},
            comment="Pourquoi pas",
        )
    assert not Proposal.objects.exists()


def test_a_rep_cannot_propose_on_a_colleagues_objective(world, plan_work):
    objective = plan_work["objective"]
    objective.owner = world.other_rep
    objective.save()
    with pytest.raises(PermissionDenied):
        services.proposal_create(
            actor=world.rep,
            plan=world.plan,
            kind=Kind.OBJECTIVE_CHANGE,
            objective=objective,
            data={"target_value": Decimal("1")},
            comment="Pourquoi pas",
        )


@pytest.mark.parametrize("who", ["viewer", "manager", "foreign_manager", "staff"])
def test_only_reps_propose(world, plan_work, who):
    with pytest.raises(PermissionDenied):
        services.proposal_create(
            actor=getattr(world, who),
            plan=world.plan,
            kind=Kind.NEW_ACTION,
            data=NEW_ACTION | {"target": plan_work["target"]},
            comment="Essai",
        )


def test_a_closed_plan_takes_no_proposal(world, plan_work):
    Plan.objects.filter(pk=world.plan.pk).update(status=Plan.Status.CLOSED)
    world.plan.refresh_from_db()
    with pytest.raises(PermissionDenied):
        propose_action(world, plan_work)


def test_a_draft_plan_takes_proposals(world, plan_work):
    Plan.objects.filter(pk=world.plan.pk).update(status=Plan.Status.DRAFT)
    world.plan.refresh_from_db()
    assert propose_action(world, plan_work).waiting


@pytest.mark.parametrize("who", ["rep", "other_rep", "viewer"])
def test_only_managers_decide(world, plan_work, who):
    proposal = propose_action(world, plan_work)
    with pytest.raises(PermissionDenied):
        services.proposal_accept(
            actor=getattr(world, who), proposal=proposal, version=proposal.version
        )
    with pytest.raises(PermissionDenied):
        services.proposal_decline(
            actor=getattr(world, who), proposal=proposal, version=proposal.version, reason="Non"
        )
    proposal.refresh_from_db()
    assert proposal.waiting


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end_date": date(2027, 12, 31)}, "end_date"),
        ({"start_date": date(2027, 5, 1), "end_date": date(2027, 4, 1)}, "end_date"),
        ({"sales_type": ""}, "sales_type"),
        ({"title": ""}, "title"),
    ],
)
def test_a_new_action_is_checked_as_a_sheet_is(world, plan_work, changes, field):
    with pytest.raises(ValidationError) as refused:
        propose_action(world, plan_work, **changes)
    assert field in refused.value.message_dict
    assert not Proposal.objects.exists()


def test_a_proposal_says_why(world, plan_work):
    with pytest.raises(ValidationError) as refused:
        services.proposal_create(
            actor=world.rep,
            plan=world.plan,
            kind=Kind.NEW_ACTION,
            data=NEW_ACTION | {"target": plan_work["target"]},
            comment=" ",
        )
    assert "comment" in refused.value.message_dict


def test_a_change_changes_something(world, plan_work):
    with pytest.raises(ValidationError):
        propose_change(world, plan_work, budget_planned=Decimal("5000"))
