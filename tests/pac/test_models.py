"""Invariants of the plan's own models: refused with a readable message, nothing saved."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from pac.core.models import Membership, Plan, Role, User, person_name
from tests.pac.factories import (
    CompetitorFactory,
    MembershipFactory,
    PlanFactory,
    ReviewFactory,
    TeamFactory,
    UserFactory,
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
    # Beside the end, as the forms put it (they ask the plan: the rule is written once).
    assert error.value.message_dict == {
        "period_end": ["La période doit se terminer après son début."]
    }
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


def test_a_team_works_with_its_managers_and_reps_listed_by_name(world):
    """The people a plan's forms offer: managers and reps of its team, never a viewer or someone
    of another team, sorted by the name the pages show whatever its case."""
    for user, first, last in [
        (world.manager, "zoé", "Martin"),
        (world.rep, "Alice", "Durand"),
        (world.other_rep, "", ""),  # no name: the pages call them by their username
        (world.viewer, "Bruno", "Petit"),
    ]:
        user.first_name, user.last_name = first, last
        user.save()
    working = list(User.objects.working_on(world.team))
    assert [str(user) for user in working] == ["Alice Durand", "rep_b", "zoé Martin"]
    assert list(User.objects.working_on(world.team.pk)) == working
    everyone = [str(user) for user in User.objects.members_of(world.team)]
    assert everyone == ["Alice Durand", "Bruno Petit", "rep_b", "zoé Martin"]


def test_people_are_named_the_same_in_sql_and_in_python(world):
    people = [
        UserFactory(username="lou", first_name="", last_name=""),
        UserFactory(username="ana", first_name="Ana", last_name=""),
        UserFactory(username="bo", first_name="", last_name="Bo Roux"),
        UserFactory(username="cy", first_name="Cy", last_name="Lenoir"),
    ]
    named = dict(
        User.objects.filter(pk__in=[p.pk for p in people]).values_list("pk", person_name())
    )
    assert named == {p.pk: str(p) for p in people}
    assert [str(p) for p in people] == ["lou", "Ana", "Bo Roux", "Cy Lenoir"]
