"""Cross-object rules that models check in clean(), with messages a person reads.

Each function returns a dict of field errors, so clean() can report every problem at once.
"""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pac.models import Membership


def team_member_errors(plan, **people):
    """People with no role in the plan's team: they would never see the plan."""
    errors = {}
    people = {field: user for field, user in people.items() if user is not None}
    if plan is None or not people:
        return errors
    members = set(
        Membership.objects.filter(team_id=plan.team_id, user__in=people.values()).values_list(
            "user_id", flat=True
        )
    )
    for field, user in people.items():
        if user.pk not in members:
            errors[field] = _("%(person)s is not a member of this plan's team.") % {"person": user}
    return errors


def period_errors(plan, **days):
    """Dates outside the plan's period."""
    if plan is None:
        return {}
    message = _("Choose a date inside the plan's period (%(start)s – %(end)s).") % {
        "start": date_format(plan.period_start, "SHORT_DATE_FORMAT"),
        "end": date_format(plan.period_end, "SHORT_DATE_FORMAT"),
    }
    return {
        field: message for field, day in days.items() if day is not None and not plan.contains(day)
    }
