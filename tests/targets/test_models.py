"""Targets, objectives and deals refuse what a person could not mean."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from pac.core.models import Role
from targets.models import Deal, Objective
from tests.pac.factories import MembershipFactory, PlanFactory, UserFactory
from tests.targets.factories import DealFactory, ObjectiveFactory, TargetFactory

pytestmark = pytest.mark.django_db


def refused_by_database(instance):
    with pytest.raises(IntegrityError), transaction.atomic():
        instance.save()


def test_target_names_are_unique_in_a_plan():
    target = TargetFactory(name="PME industrielles")
    twin = TargetFactory.build(plan=target.plan, name="PME industrielles")
    with pytest.raises(ValidationError) as error:
        twin.full_clean()
    assert error.value.messages == ["Le plan a déjà une cible de ce nom."]
    refused_by_database(twin)


def test_the_same_target_name_is_fine_in_another_plan():
    TargetFactory(name="PME industrielles")
    TargetFactory(name="PME industrielles").full_clean()


def test_a_quantitative_objective_needs_a_figure_to_reach():
    objective = ObjectiveFactory.build(
        target=TargetFactory(), metric="", unit="", target_value=None
    )
    with pytest.raises(ValidationError) as error:
        objective.full_clean()
    assert set(error.value.message_dict) >= {"metric", "unit", "target_value"}
    refused_by_database(objective)
    assert Objective.objects.count() == 0


def test_a_qualitative_objective_needs_no_figure():
    target = TargetFactory()
    objective = ObjectiveFactory.build(
        target=target, kind="qualitative", metric="", unit="", target_value=None, deadline=None
    )
    objective.full_clean()
    objective.save()


def test_an_objective_deadline_stays_inside_the_plan_period():
    objective = ObjectiveFactory.build(target=TargetFactory(), deadline=date(2027, 7, 1))
    with pytest.raises(ValidationError) as error:
        objective.full_clean()
    assert error.value.message_dict["deadline"] == [
        "Choisissez une date dans la période du plan (01/01/2027 – 30/06/2027)."
    ]


def test_an_objective_owner_must_belong_to_the_team():
    target = TargetFactory()
    outsider = UserFactory(first_name="Jean", last_name="Dehors")
    objective = ObjectiveFactory.build(target=target, owner=outsider)
    with pytest.raises(ValidationError) as error:
        objective.full_clean()
    assert error.value.message_dict["owner"] == [
        "Jean Dehors ne fait pas partie de l'équipe de ce plan."
    ]
    MembershipFactory(team=target.plan.team, user=outsider, role=Role.REP)
    objective.full_clean()


@pytest.mark.parametrize("probability", [-1, 101, 140])
def test_deal_probability_is_a_percentage(probability):
    plan = PlanFactory()
    deal = DealFactory.build(plan=plan, owner=UserFactory(), probability=probability)
    with pytest.raises(ValidationError) as error:
        deal.full_clean()
    assert "probability" in error.value.message_dict
    if probability >= 0:  # a negative number does not even fit the unsigned column
        refused_by_database(deal)
    assert Deal.objects.count() == 0


def test_deal_amount_cannot_be_negative():
    deal = DealFactory.build(plan=PlanFactory(), owner=UserFactory(), amount=Decimal("-5"))
    with pytest.raises(ValidationError):
        deal.full_clean()
    refused_by_database(deal)


def test_won_deal_is_certain_and_lost_deal_is_zero():
    plan, owner = PlanFactory(), UserFactory()
    won = DealFactory.build(plan=plan, owner=owner, stage=Deal.Stage.WON, probability=80)
    with pytest.raises(ValidationError) as error:
        won.full_clean()
    assert "Une affaire gagnée est certaine : mettez sa probabilité à 100." in error.value.messages
    refused_by_database(won)
    lost = DealFactory.build(plan=plan, owner=owner, stage=Deal.Stage.LOST, probability=10)
    refused_by_database(lost)


def test_deal_target_must_belong_to_the_same_plan():
    plan = PlanFactory()
    owner = UserFactory()
    MembershipFactory(team=plan.team, user=owner)
    deal = DealFactory.build(plan=plan, owner=owner, target=TargetFactory())
    with pytest.raises(ValidationError) as error:
        deal.full_clean()
    assert error.value.message_dict["target"] == ["Choisissez une cible du même plan."]


def test_summary_counts_and_weighs_as_the_seed_example():
    """1 000 € × 20 % + 2 000 € × 50 % + 4 000 € × 75 % = 4 200 € (seed 004)."""
    plan = PlanFactory()
    for amount, probability in [(1000, 20), (2000, 50), (4000, 75)]:
        DealFactory(plan=plan, amount=Decimal(amount), probability=probability)
    DealFactory(amount=Decimal("99999"), probability=90)  # another plan, not counted
    assert Deal.objects.filter(plan=plan).summary() == (3, Decimal("4200.00"))


def test_summary_keeps_cents_and_is_zero_when_empty():
    plan = PlanFactory()
    assert Deal.objects.filter(plan=plan).summary() == (0, Decimal("0.00"))
    DealFactory(plan=plan, amount=Decimal("333.33"), probability=33)
    # 333.33 × 0.33 = 109.9989, rounded to the cent.
    assert Deal.objects.filter(plan=plan).summary() == (1, Decimal("110.00"))
    assert Deal.objects.get().weighted_amount == Decimal("110.00")


def test_open_deals_are_neither_won_nor_lost():
    plan = PlanFactory()
    for stage, probability in [
        ("lead", 10),
        ("qualified", 30),
        ("proposal", 50),
        ("negotiation", 70),
        ("won", 100),
        ("lost", 0),
    ]:
        DealFactory(plan=plan, company=stage, stage=stage, probability=probability)
    in_play = Deal.objects.filter(plan=plan).open()
    assert sorted(in_play.values_list("company", flat=True)) == [
        "lead",
        "negotiation",
        "proposal",
        "qualified",
    ]
