"""A KPI may carry its target per period ("30 demos a week"): its standing compares the figure of
its period with that target, whatever share of the action's time has gone."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from kpis.models import Kpi, period_of
from kpis.selectors import ValueRow, kpi_standing, latest_of, per_period_points, standings
from targets.progress import Standing
from tests.actions.factories import ActionFactory
from tests.kpis.factories import KpiFactory, KpiValueFactory
from tests.targets.factories import TargetFactory

WEDNESDAY = date(2027, 3, 17)


@pytest.mark.parametrize(
    ("frequency", "day", "first", "last"),
    [
        (Kpi.Frequency.WEEKLY, WEDNESDAY, date(2027, 3, 15), date(2027, 3, 21)),
        (Kpi.Frequency.WEEKLY, date(2027, 3, 15), date(2027, 3, 15), date(2027, 3, 21)),
        (Kpi.Frequency.WEEKLY, date(2026, 12, 31), date(2026, 12, 28), date(2027, 1, 3)),
        (Kpi.Frequency.MONTHLY, date(2028, 2, 10), date(2028, 2, 1), date(2028, 2, 29)),
        (Kpi.Frequency.QUARTERLY, date(2027, 5, 10), date(2027, 4, 1), date(2027, 6, 30)),
        (Kpi.Frequency.QUARTERLY, date(2027, 12, 31), date(2027, 10, 1), date(2027, 12, 31)),
    ],
)
def test_the_period_holding_a_day(frequency, day, first, last):
    assert period_of(frequency, day) == (first, last)


def weekly_kpi(value, on=WEDNESDAY, direction=Kpi.Direction.INCREASE):
    # An action of the whole semester, barely begun on 17/03: a steady pace would ask for little.
    return SimpleNamespace(
        direction=direction,
        target_value=Decimal("30"),
        per_period=True,
        latest=latest_of(Decimal(value), on),
        action=SimpleNamespace(start_date=date(2027, 3, 1), end_date=date(2027, 8, 31)),
        objective=None,
    )


@pytest.mark.parametrize(
    ("value", "reached", "standing"),
    [
        # 20 of 30 this week: 66,7 %, more than 25 points short of the whole week's target.
        ("20", Decimal("66.7"), Standing.OFF_TRACK),
        # 24 of 30: 80 %, within 25 points.
        ("24", Decimal("80.0"), Standing.AT_RISK),
        # 28 of 30: 93,3 %, within 10 points.
        ("28", Decimal("93.3"), Standing.ON_TRACK),
        ("35", Decimal("116.7"), Standing.ON_TRACK),
    ],
)
def test_a_target_per_period_is_due_whole_in_its_period(value, reached, standing):
    assert kpi_standing(weekly_kpi(value), plan=None) == (reached, Decimal("100"), standing)


def test_the_same_figure_on_a_cumulative_kpi_keeps_the_pace_rule(world):
    """20 of 30 on 17/03 over an action from 01/03 to 31/08 (16 of 183 days: 8,7 % expected)
    is well ahead: only a target per period asks for the whole target in each period."""
    kpi = weekly_kpi("20")
    kpi.per_period = False
    assert kpi_standing(kpi, plan=world.plan) == (
        Decimal("66.7"),
        Decimal("8.7"),
        Standing.ON_TRACK,
    )


def test_lower_is_better_per_period_too():
    assert kpi_standing(weekly_kpi("32", direction="decrease"), plan=None)[2] == Standing.AT_RISK
    assert kpi_standing(weekly_kpi("29", direction="decrease"), plan=None)[2] == Standing.ON_TRACK


def test_the_chart_draws_the_figure_of_each_period():
    kpi = SimpleNamespace(
        frequency=Kpi.Frequency.WEEKLY,
        series=[
            ValueRow(date(2027, 3, 9), Decimal("5"), "", "Julien"),
            ValueRow(date(2027, 3, 12), Decimal("12"), "", "Julien"),  # same week: the last
            ValueRow(date(2027, 3, 16), Decimal("7"), "", "Julien"),
        ],
    )
    assert per_period_points(kpi) == [
        (date(2027, 3, 8), Decimal("12")),
        (date(2027, 3, 15), Decimal("7")),
    ]


@pytest.mark.django_db
def test_the_ranking_rows_judge_per_period_kpis_alike(world):
    action = ActionFactory(target=TargetFactory(plan=world.plan), start_date=date(2027, 3, 1))
    kpi = KpiFactory(action=action, target_value=Decimal("30"), per_period=True)
    KpiValueFactory(kpi=kpi, recorded_on=WEDNESDAY, value=Decimal("20"))
    [row] = standings(Kpi.objects.filter(pk=kpi.pk), world.plan, WEDNESDAY)
    assert (row.attainment, row.standing) == (Decimal("66.7"), Standing.OFF_TRACK)
