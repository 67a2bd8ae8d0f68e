from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from targets.models import Assessment, Deal, Objective, Target
from tests.pac.factories import PlanFactory, UserFactory


class TargetFactory(DjangoModelFactory):
    class Meta:
        model = Target

    plan = factory.SubFactory(PlanFactory)
    kind = Target.Kind.SEGMENT
    name = factory.Sequence(lambda n: f"Segment {n}")
    priority = Target.Priority.MEDIUM


class ObjectiveFactory(DjangoModelFactory):
    class Meta:
        model = Objective

    target = factory.SubFactory(TargetFactory)
    kind = Objective.Kind.QUANTITATIVE
    title = factory.Sequence(lambda n: f"Objectif {n}")
    metric = "Nouveaux clients"
    unit = "clients"
    baseline = Decimal("0")
    target_value = Decimal("10")
    deadline = date(2027, 6, 30)
    measured_by = factory.LazyAttribute(
        lambda objective: (
            Objective.Measure.ASSESSMENT
            if objective.kind == Objective.Kind.QUALITATIVE
            else Objective.Measure.WON_COUNT
        )
    )


class AssessmentFactory(DjangoModelFactory):
    class Meta:
        model = Assessment

    objective = factory.SubFactory(
        ObjectiveFactory, kind=Objective.Kind.QUALITATIVE, metric="", unit="", target_value=None
    )
    assessed_on = date(2027, 3, 31)
    verdict = Assessment.Verdict.PARTLY
    comment = "Deux DSI rencontrés sur cinq."
    recorded_by = factory.SubFactory(UserFactory)


class DealFactory(DjangoModelFactory):
    class Meta:
        model = Deal

    plan = factory.SubFactory(PlanFactory)
    milestone_date = date(2027, 3, 15)
    company = factory.Faker("company", locale="fr_FR")
    contact = factory.Faker("name", locale="fr_FR")
    nature = "Infogérance"
    amount = Decimal("1000.00")
    probability = 50
    owner = factory.SubFactory(UserFactory)
    stage = Deal.Stage.PROPOSAL
