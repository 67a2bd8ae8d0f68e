"""A KPI may carry its target per period ("30 demos a week"): its standing compares the figure of
its period with that target, whatever share of the action's time has gone."""

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

from actions import services as actions
from kpis import services as kpis
from kpis.models import Kpi, KpiValue, period_of
from kpis.selectors import ValueRow, kpi_standing, latest_of, per_period_points, standings
from pac.plans import services as plans
from targets import services as targets
from targets.progress import Standing
from tests.builders import kpi_fields, sheet

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
        frequency=Kpi.Frequency.WEEKLY,
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
    assert kpi_standing(weekly_kpi(value), None, WEDNESDAY) == (reached, Decimal("100"), standing)


def test_a_week_with_nothing_recorded_yet_is_not_measured_yet():
    """30 of 30 recorded last Friday says nothing of this week (15/03 – 21/03)."""
    last_week = weekly_kpi("30", on=date(2027, 3, 12))
    assert kpi_standing(last_week, None, WEDNESDAY) == (None, None, Standing.UNMEASURED)
    # Recorded on Monday, it is this week's figure.
    assert kpi_standing(weekly_kpi("30", on=date(2027, 3, 15)), None, WEDNESDAY)[2] == (
        Standing.ON_TRACK
    )


def test_once_the_action_is_over_its_last_period_is_judged():
    """The action ended on 31/08/2027, a Tuesday: its last week is 30/08 – 05/09, whatever the
    day the page is read."""
    kpi = weekly_kpi("12", on=date(2027, 8, 31))
    assert kpi_standing(kpi, None, date(2027, 11, 2)) == (
        Decimal("40.0"),
        Decimal("100"),
        Standing.OFF_TRACK,
    )
    kpi = weekly_kpi("30", on=date(2027, 8, 27))
    assert kpi_standing(kpi, None, date(2027, 11, 2))[2] == Standing.UNMEASURED


def test_the_same_figure_on_a_cumulative_kpi_keeps_the_pace_rule(world):
    """20 of 30 on 17/03 over an action from 01/03 to 31/08 (16 of 183 days: 8,7 % expected)
    is well ahead: only a target per period asks for the whole target in each period."""
    kpi = weekly_kpi("20")
    kpi.per_period = False
    assert kpi_standing(kpi, world.plan, WEDNESDAY) == (
        Decimal("66.7"),
        Decimal("8.7"),
        Standing.ON_TRACK,
    )


def test_lower_is_better_per_period_too():
    assert kpi_standing(weekly_kpi("32", direction="decrease"), None, WEDNESDAY)[2] == (
        Standing.AT_RISK
    )
    assert kpi_standing(weekly_kpi("29", direction="decrease"), None, WEDNESDAY)[2] == (
        Standing.ON_TRACK
    )


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
    """Built through the services: a weekly KPI of 30, 20 recorded this week."""
    plan = plans.plan_create(
        actor=world.manager,
        team=world.team,
        title="PAC de la semaine",
        period_start=WEDNESDAY - timedelta(days=30),
        period_end=WEDNESDAY + timedelta(days=60),
        budget_envelope=Decimal("0"),
    )
    target = targets.target_create(
        actor=world.manager, plan=plan, data={"name": "PME", "kind": "segment", "priority": 1}
    )
    action = actions.action_create(
        actor=world.manager,
        plan=plan,
        data=sheet(target, "Démos", world.rep, plan.period_start, plan.period_end),
    )
    kpi = kpis.kpi_create(
        actor=world.manager,
        action=action,
        data=kpi_fields(
            world.rep,
            name="Démos",
            unit="démos",
            target_value=Decimal("30"),
            per_period=True,
            frequency=Kpi.Frequency.WEEKLY,
        ),
    )
    KpiValue.objects.create(
        kpi=kpi, recorded_on=WEDNESDAY, value=Decimal("20"), recorded_by=world.rep
    )
    [row] = standings(Kpi.objects.filter(pk=kpi.pk), plan, WEDNESDAY)
    assert (row.attainment, row.standing) == (Decimal("66.7"), Standing.OFF_TRACK)
    # The next Monday, the new week has nothing yet.
    [row] = standings(Kpi.objects.filter(pk=kpi.pk), plan, WEDNESDAY + timedelta(days=5))
    assert row.standing == Standing.UNMEASURED
