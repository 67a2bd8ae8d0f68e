"""KPIs follow exactly one action or objective; one value per KPI and date."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from kpis.models import Kpi, KpiValue
from tests.actions.factories import ActionFactory
from tests.kpis.factories import KpiFactory, KpiValueFactory
from tests.pac.factories import UserFactory
from tests.targets.factories import ObjectiveFactory, TargetFactory

pytestmark = pytest.mark.django_db


def refused_by_database(instance):
    with pytest.raises(IntegrityError), transaction.atomic():
        instance.save()


def test_a_kpi_follows_an_action_or_an_objective_not_both():
    action = ActionFactory()
    both = KpiFactory.build(action=action, objective=ObjectiveFactory(target=action.target))
    with pytest.raises(ValidationError) as error:
        both.full_clean()
    assert "Un KPI suit soit une action, soit un objectif." in error.value.messages
    refused_by_database(both)
    neither = KpiFactory.build(action=None, objective=None)
    with pytest.raises(ValidationError):
        neither.full_clean()
    refused_by_database(neither)
    assert Kpi.objects.count() == 0


def test_a_kpi_on_an_objective_knows_its_plan():
    objective = ObjectiveFactory()
    kpi = KpiFactory(action=None, objective=objective)
    assert kpi.plan == objective.target.plan


def test_one_value_per_kpi_and_date():
    value = KpiValueFactory(recorded_on=date(2027, 3, 31))
    twin = KpiValueFactory.build(
        kpi=value.kpi, recorded_on=date(2027, 3, 31), recorded_by=value.recorded_by
    )
    with pytest.raises(ValidationError) as error:
        twin.full_clean()
    assert error.value.messages == ["Une valeur est déjà relevée pour ce KPI à cette date."]
    refused_by_database(twin)
    assert KpiValue.objects.count() == 1


def test_a_kpi_value_must_be_a_number():
    kpi = KpiFactory()
    value = KpiValueFactory.build(kpi=kpi, recorded_by=UserFactory(), value="abc")
    with pytest.raises(ValidationError) as error:
        value.full_clean()
    assert error.value.message_dict["value"] == [
        "La valeur «\xa0abc\xa0» doit être un nombre décimal."
    ]
    assert not KpiValue.objects.exists()


def test_a_plans_kpis_are_those_of_its_actions_and_objectives_each_once(world):
    target = TargetFactory(plan=world.plan)
    action, objective = ActionFactory(target=target), ObjectiveFactory(target=target)
    own = {KpiFactory(action=action), KpiFactory(action=None, objective=objective)}
    own.add(KpiFactory(action=action))
    foreign = TargetFactory(plan=world.foreign_plan)
    KpiFactory(action=ActionFactory(target=foreign))
    KpiFactory(action=None, objective=ObjectiveFactory(target=foreign))
    kpis = list(Kpi.objects.of_plan(world.plan))
    assert len(kpis) == 3
    assert set(kpis) == own
    assert Kpi.objects.of_plan(world.plan).filter(objective=objective).count() == 1
