from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from actions.models import Action, ActionStep
from tests.targets.factories import TargetFactory


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    target = factory.SubFactory(TargetFactory)
    domain = Action.Domain.SALES
    sales_type = Action.SalesType.HUNTING
    title = factory.Sequence(lambda n: f"Action {n}")
    budget_planned = Decimal("1000.00")
    budget_actual = Decimal("0.00")
    start_date = date(2027, 2, 1)
    end_date = date(2027, 3, 31)

    @factory.post_generation
    def participants(self, create, extracted, **kwargs):
        if create and extracted:
            self.participants.set(extracted)


class ActionStepFactory(DjangoModelFactory):
    class Meta:
        model = ActionStep

    action = factory.SubFactory(ActionFactory)
    title = factory.Sequence(lambda n: f"Étape {n}")
    due_date = date(2027, 2, 15)
    order = factory.Sequence(int)
