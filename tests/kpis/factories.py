from datetime import date, timedelta
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from kpis.models import Kpi, KpiValue
from tests.actions.factories import ActionFactory
from tests.pac.factories import UserFactory


class KpiFactory(DjangoModelFactory):
    class Meta:
        model = Kpi

    action = factory.SubFactory(ActionFactory)
    name = factory.Sequence(lambda n: f"Rendez-vous obtenus {n}")
    unit = "rendez-vous"
    target_value = Decimal("20")


class KpiValueFactory(DjangoModelFactory):
    class Meta:
        model = KpiValue

    kpi = factory.SubFactory(KpiFactory)
    recorded_on = factory.Sequence(lambda n: date(2027, 1, 1) + timedelta(days=n))
    value = Decimal("5")
    recorded_by = factory.SubFactory(UserFactory)
