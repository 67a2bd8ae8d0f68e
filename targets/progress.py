"""The arithmetic of steering: how far an objective has come, how far it should be by now.

Pure functions on numbers and dates, tested with figures worked out by hand.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

HUNDRED = Decimal("100")
TENTH = Decimal("0.1")

# How far behind the expected pace an objective may be, in percentage points, and still count as
# on track, or as at risk rather than off track. Printed on the pages that use them.
ON_TRACK_MARGIN = 10
AT_RISK_MARGIN = 25


class Standing(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    UNMEASURED = "unmeasured", _("Not measured yet")


def percent(value):
    return Decimal(value).quantize(TENTH, rounding=ROUND_HALF_UP)


def attainment(baseline, target, actual):
    """The share of the way from the baseline to the target that the actual figure covers, in %.

    Works both ways: from 20 days of sales cycle down to 10, an actual 15 is 50 %. Below the
    baseline it is negative, beyond the target over 100: the figures say what happened.
    """
    if actual is None or target is None:
        return None
    start = Decimal(baseline or 0)
    span = Decimal(target) - start
    if span == 0:
        return HUNDRED if Decimal(actual) == Decimal(target) else Decimal(0)
    return percent((Decimal(actual) - start) / span * HUNDRED)


def expected(start, deadline, today):
    """Where a steady pace would be by `today`, in % of the way from `start` to `deadline`."""
    if today <= start:
        return Decimal(0)
    if today >= deadline:
        return HUNDRED
    return percent(Decimal((today - start).days) / Decimal((deadline - start).days) * HUNDRED)


def standing(reached, due):
    """On track within 10 points of the expected pace, at risk within 25, off track beyond."""
    if reached is None:
        return Standing.UNMEASURED
    if reached >= 100 or reached >= due - ON_TRACK_MARGIN:
        return Standing.ON_TRACK
    if reached >= due - AT_RISK_MARGIN:
        return Standing.AT_RISK
    return Standing.OFF_TRACK
