"""Progress arithmetic, with every expected figure worked out by hand."""

from datetime import date
from decimal import Decimal

import pytest

from targets.progress import Standing, attainment, expected, standing


@pytest.mark.parametrize(
    ("baseline", "target", "actual", "result"),
    [
        (0, 8, 3, Decimal("37.5")),  # 3 new clients of 8
        (420000, 500000, 460000, Decimal("50.0")),  # 40 000 of the 80 000 to gain
        (78, 85, 82, Decimal("57.1")),  # 4 points of 7 = 57.14 %
        (20, 10, 15, Decimal("50.0")),  # a cycle cut from 20 to 10 days, now 15
        (20, 10, 22, Decimal("-20.0")),  # worse than the start
        (0, 8, 10, Decimal("125.0")),  # beyond the target
        (None, 6, 2, Decimal("33.3")),  # no baseline counts from zero
        (5, 5, 5, Decimal("100")),  # nothing to gain and nothing lost
        (5, 5, 4, Decimal("0")),
    ],
)
def test_attainment(baseline, target, actual, result):
    assert attainment(baseline, target, actual) == result


def test_attainment_without_a_figure_is_unknown():
    assert attainment(0, 8, None) is None
    assert attainment(0, None, 3) is None


@pytest.mark.parametrize(
    ("today", "result"),
    [
        (date(2026, 12, 31), Decimal("0")),  # before the start
        (date(2027, 1, 1), Decimal("0")),
        # 1 January to 31 March: 89 of the 180 days to 30 June.
        (date(2027, 3, 31), Decimal("49.4")),
        (date(2027, 6, 30), Decimal("100")),
        (date(2027, 9, 1), Decimal("100")),  # past the deadline
    ],
)
def test_expected_pace(today, result):
    assert expected(date(2027, 1, 1), date(2027, 6, 30), today) == result


def test_expected_pace_over_a_leap_february():
    # 1 to 29 February 2028 is 28 of the 59 days to 31 March.
    assert expected(date(2028, 2, 1), date(2028, 3, 31), date(2028, 2, 29)) == Decimal("47.5")


@pytest.mark.parametrize(
    ("reached", "due", "result"),
    [
        (Decimal("50"), Decimal("50"), Standing.ON_TRACK),
        (Decimal("40"), Decimal("50"), Standing.ON_TRACK),  # 10 points behind: still on track
        (Decimal("39.9"), Decimal("50"), Standing.AT_RISK),
        (Decimal("25"), Decimal("50"), Standing.AT_RISK),  # 25 points behind
        (Decimal("24.9"), Decimal("50"), Standing.OFF_TRACK),
        (Decimal("100"), Decimal("100"), Standing.ON_TRACK),
        (Decimal("110"), Decimal("100"), Standing.ON_TRACK),
        (Decimal("-5"), Decimal("0"), Standing.ON_TRACK),
        (None, Decimal("50"), Standing.UNMEASURED),
    ],
)
def test_standing(reached, due, result):
    assert standing(reached, due) == result
