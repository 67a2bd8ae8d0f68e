from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from pac.core.models import Membership, Plan, Role, Team, User
from pac.plans.models import Competitor, SwotItem
from pac.steering.models import Review


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("secret-pass-123")


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Équipe {n}")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.REP


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = Plan

    team = factory.SubFactory(TeamFactory)
    title = factory.Sequence(lambda n: f"PAC 2027 – S1 n°{n}")
    period_start = date(2027, 1, 1)
    period_end = date(2027, 6, 30)
    status = Plan.Status.ACTIVE
    budget_envelope = Decimal("50000.00")
    strategy = factory.Faker("paragraph", locale="fr_FR")


class SwotItemFactory(DjangoModelFactory):
    class Meta:
        model = SwotItem

    plan = factory.SubFactory(PlanFactory)
    quadrant = SwotItem.Quadrant.STRENGTH
    text = factory.Faker("sentence", locale="fr_FR")
    order = factory.Sequence(int)


class CompetitorFactory(DjangoModelFactory):
    class Meta:
        model = Competitor

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"Concurrent {n}")
    strengths = "Prix bas"
    weaknesses = "Peu de proximité"
    positioning = "Généraliste"


class ReviewFactory(DjangoModelFactory):
    class Meta:
        model = Review

    plan = factory.SubFactory(PlanFactory)
    held_on = date(2027, 3, 31)
    findings = "Prospection en retard."
    decisions = "Deuxième vague d'appels."
