"""Action sheets and steps refuse impossible dates, budgets and counts."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from actions.models import Action
from tests.actions.factories import ActionFactory, ActionStepFactory
from tests.targets.factories import TargetFactory

pytestmark = pytest.mark.django_db


def refused_by_database(instance):
    with pytest.raises(IntegrityError), transaction.atomic():
        instance.save()


def build(**fields):
    return ActionFactory.build(target=TargetFactory(), **fields)


def test_an_action_cannot_end_before_it_starts():
    action = build(start_date=date(2027, 3, 1), end_date=date(2027, 2, 1))
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert error.value.message_dict["end_date"] == [
        "La date de fin ne peut pas précéder la date de début."
    ]
    refused_by_database(action)
    assert Action.objects.count() == 0


def test_a_one_day_action_is_fine():
    build(start_date=date(2027, 3, 1), end_date=date(2027, 3, 1)).full_clean()


def test_an_action_without_dates_is_allowed():
    build(start_date=None, end_date=None).full_clean()


@pytest.mark.parametrize("field", ["budget_planned", "budget_actual"])
def test_budgets_cannot_be_negative(field):
    action = build(**{field: Decimal("-10")})
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert field in error.value.message_dict
    refused_by_database(action)


def test_progress_is_a_percentage():
    action = build(progress=120)
    with pytest.raises(ValidationError):
        action.full_clean()
    refused_by_database(action)


def test_occurrences_done_cannot_exceed_planned():
    action = build(occurrences_planned=12, occurrences_done=13)
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert error.value.message_dict["occurrences_done"] == [
        "13 réalisées, c'est plus que les 12 prévues : augmentez d'abord le nombre prévu."
    ]
    refused_by_database(action)
    build(occurrences_planned=12, occurrences_done=12).full_clean()


def test_occurrences_done_need_occurrences_planned():
    action = build(occurrences_planned=None, occurrences_done=3)
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            action.full_clean()
        assert error.value.message_dict["occurrences_done"] == [
            "Set the number of occurrences planned before counting those done."
        ]
    refused_by_database(action)


def test_sales_actions_and_only_they_have_a_sales_type():
    no_type = build(domain=Action.Domain.SALES, sales_type="")
    with pytest.raises(ValidationError) as error:
        no_type.full_clean()
    assert "sales_type" in error.value.message_dict
    refused_by_database(no_type)
    internal_with_type = build(domain=Action.Domain.INTERNAL, sales_type="farming")
    with pytest.raises(ValidationError):
        internal_with_type.full_clean()
    refused_by_database(internal_with_type)
    build(domain=Action.Domain.INTERNAL, sales_type="").full_clean()


def test_action_dates_stay_inside_the_plan_period():
    action = build(start_date=date(2026, 12, 15), end_date=date(2027, 7, 15))
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert set(error.value.message_dict) == {"start_date", "end_date"}


def test_budget_overrun_is_what_was_spent_beyond_the_plan():
    assert build(
        budget_planned=Decimal("1000"), budget_actual=Decimal("1250")
    ).budget_overrun == Decimal("250")
    assert build(budget_planned=Decimal("1000"), budget_actual=Decimal("800")).budget_overrun == 0


def test_step_due_date_stays_inside_the_plan_period():
    step = ActionStepFactory.build(action=ActionFactory(), due_date=date(2027, 8, 1))
    with pytest.raises(ValidationError) as error:
        step.full_clean()
    assert "due_date" in error.value.message_dict


def test_participants_changes_are_kept_in_history():
    action = ActionFactory()
    assert action.history.count() == 1
    action.title = "Nouveau titre"
    action.save()
    assert action.history.first().title == "Nouveau titre"
