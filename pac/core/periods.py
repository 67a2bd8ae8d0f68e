"""Periods: the days a plan may span, what may fall near it, and months added to a day."""

import calendar
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

# The days a plan's period may span: its calendars and charts count months from them.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2199, 12, 31)


# What happens around a plan may fall a little outside its period: a kick-off review the month
# before it starts, the review held after it ends and the verdicts given there, a deal that
# closes just after it.
BEFORE_PERIOD, AFTER_PERIOD = timedelta(days=31), timedelta(days=92)


def days_outside(first, last, message, days):
    """The fields whose day falls outside first – last, each with the message naming them."""
    message = message % {
        "first": date_format(first, "SHORT_DATE_FORMAT"),
        "last": date_format(last, "SHORT_DATE_FORMAT"),
    }
    return {
        field: message
        for field, day in days.items()
        if day is not None and not first <= day <= last
    }


def plausible_errors(**days):
    """Period dates outside the years a plan can run in (a typo's year 0001 or 9999)."""
    return days_outside(
        FIRST_DAY, LAST_DAY, _("Choose a date between %(first)s and %(last)s."), days
    )


def span_errors(start, end, field, *, period=False):
    """A span of days that ends before it starts, as the error beside its end (`field`): an
    action may end the day it starts, a plan's period (`period`) ends after the day it starts
    (the constraints action_end_not_before_start and plan_period_end_after_start say the same)."""
    if start is None or end is None:
        return {}
    if period and end <= start:
        return {field: _("The period must end after it starts.")}
    if end < start:
        return {field: _("The end date cannot be before the start date.")}
    return {}


def near_period_errors(plan, **days):
    """Dates of a plan's reviews, assessments and deal milestones too far from its period."""
    if plan is None:
        return {}
    return days_outside(
        plan.period_start - BEFORE_PERIOD,
        plan.period_end + AFTER_PERIOD,
        _(
            "Choose a date between %(first)s and %(last)s: from a month before the plan's "
            "period to three months after it."
        ),
        days,
    )


def add_months(day, months):
    """The same day `months` later (or earlier), on the month's last day when it is shorter:
    31/01 + 1 month is 28/02 (29/02 in a leap year)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class PeriodKind:
    YEAR = "year"
    SEMESTER = "semester"
    QUARTER = "quarter"
    CUSTOM = "custom"
    CHOICES = [
        (YEAR, _("A year")),
        (SEMESTER, _("A semester")),
        (QUARTER, _("A quarter")),
        (CUSTOM, _("Custom dates")),
    ]
    MONTHS = {YEAR: 12, SEMESTER: 6, QUARTER: 3}


def period_end_for(kind, start):
    """The last day of a year, semester or quarter starting on `start`."""
    return date.fromordinal(add_months(start, PeriodKind.MONTHS[kind]).toordinal() - 1)
