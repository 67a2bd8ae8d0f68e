"""An action's occurrences are one figure, on the action: the KPIs that repeated them are folded
into it by the migration (kpis 0005), and the demo has none."""

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone

from kpis.models import Kpi, KpiValue
from pac.demo.data import build_demo
from tests.actions.factories import ActionFactory
from tests.kpis.factories import KpiFactory, KpiValueFactory
from tests.targets.factories import TargetFactory

pytestmark = pytest.mark.django_db

fold = importlib.import_module("kpis.migrations.0005_fold_occurrence_kpis").fold_occurrence_kpis


def action_with(world, planned, done, kpi_name, kpi_unit, latest):
    action = ActionFactory(
        target=TargetFactory(plan=world.plan),
        occurrences_planned=planned,
        occurrences_done=done,
    )
    kpi = KpiFactory(action=action, name=kpi_name, unit=kpi_unit, target_value=Decimal(planned))
    KpiValueFactory(kpi=kpi, recorded_on=date(2027, 1, 31), value=Decimal(latest) - 1)
    KpiValueFactory(kpi=kpi, recorded_on=date(2027, 2, 28), value=Decimal(latest))
    return action, kpi


def test_the_kpis_that_repeated_the_occurrences_go_and_the_larger_figure_stays(world):
    # A finished training: 3 of 3 sessions on the sheet, its KPI left at 2 of 3.
    training, _ = action_with(world, 3, 3, "Réalisations · Formation SOC", "réalisations", 2)
    # Visits counted only on the KPI: 5 on it, 0 on the sheet.
    visits, _ = action_with(world, 12, 0, "Visites", "occurrences", 5)
    # A KPI of another figure, with the same target, stays.
    calls, kept = action_with(world, 20, 4, "Appels passés", "appels", 9)
    plan = type(world.plan).objects.get(pk=world.plan.pk)
    fold(apps, None)
    for action in (training, visits, calls):
        action.refresh_from_db()
    assert (training.occurrences_done, visits.occurrences_done, calls.occurrences_done) == (3, 5, 4)
    assert list(Kpi.objects.all()) == [kept]
    assert KpiValue.objects.count() == 2
    # Pages cached for the plan were computed before: its revision changed.
    assert type(world.plan).objects.get(pk=world.plan.pk).revision != plan.revision


def test_the_demo_counts_occurrences_on_the_actions_alone():
    demo_plan = build_demo(timezone.localdate())
    words = ("réalisation", "occurrence")
    assert not [
        kpi.name
        for kpi in Kpi.objects.filter(action__target__plan=demo_plan)
        if any(word in f"{kpi.name} {kpi.unit}".lower() for word in words)
    ]
