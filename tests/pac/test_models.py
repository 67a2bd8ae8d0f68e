"""Invariants of the plan's own models: refused with a readable message, nothing saved."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from pac.core.models import Membership, Plan, Role
from tests.pac.factories import (
    CompetitorFactory,
    MembershipFactory,
    PlanFactory,
    ReviewFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db


def refused_by_database(instance):
    """Saving bypasses clean(); the database constraint must still refuse the row."""
    with pytest.raises(IntegrityError), transaction.atomic():
        instance.save()


def test_plan_period_must_end_after_it_starts():
    plan = PlanFactory.build(
        team=TeamFactory(), period_start=date(2027, 6, 30), period_end=date(2027, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        plan.full_clean()
    assert error.value.messages == ["La période doit se terminer après son début."]
    refused_by_database(plan)
    assert Plan.objects.count() == 0


def test_plan_period_error_reads_in_english_for_english_users():
    plan = PlanFactory.build(
        team=TeamFactory(), period_start=date(2027, 6, 30), period_end=date(2027, 6, 30)
    )
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            plan.full_clean()
        assert error.value.messages == ["The period must end after it starts."]


def test_plan_budget_envelope_cannot_be_negative():
    plan = PlanFactory.build(team=TeamFactory(), budget_envelope=Decimal("-1"))
    with pytest.raises(ValidationError) as error:
        plan.full_clean()
    assert "budget_envelope" in error.value.message_dict
    refused_by_database(plan)
    assert Plan.objects.count() == 0


def test_plan_status_outside_the_workflow_is_refused():
    plan = PlanFactory.build(team=TeamFactory(), status="archived")
    with pytest.raises(ValidationError):
        plan.full_clean()
    refused_by_database(plan)


def test_plan_contains_both_ends_of_its_period():
    plan = PlanFactory.build(period_start=date(2027, 1, 1), period_end=date(2027, 6, 30))
    assert plan.contains(date(2027, 1, 1))
    assert plan.contains(date(2027, 6, 30))
    assert not plan.contains(date(2026, 12, 31))
    assert not plan.contains(date(2027, 7, 1))
    assert not plan.contains(None)


def test_a_person_has_one_role_per_team():
    membership = MembershipFactory(role=Role.REP)
    duplicate = Membership(team=membership.team, user=membership.user, role=Role.MANAGER)
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert error.value.messages == ["Cette personne a déjà un rôle dans cette équipe."]
    refused_by_database(duplicate)
    assert Membership.objects.get().role == Role.REP


def test_a_competitor_appears_once_per_plan():
    competitor = CompetitorFactory(name="Cap Numérique")
    twin = CompetitorFactory.build(plan=competitor.plan, name="Cap Numérique")
    with pytest.raises(ValidationError):
        twin.full_clean()
    refused_by_database(twin)


def test_review_reads_with_its_french_date():
    assert str(ReviewFactory(held_on=date(2027, 3, 31))) == "Revue du 31/03/2027"


def test_plan_changes_are_kept_in_history():
    plan = PlanFactory(title="Premier titre")
    plan.title = "Second titre"
    plan.save()
    assert [h.title for h in plan.history.order_by("history_date")] == [
        "Premier titre",
        "Second titre",
    ]
