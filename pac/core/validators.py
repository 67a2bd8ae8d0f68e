"""Cross-object rules that models check in clean(), with messages a person reads.

Each function returns a dict of field errors, so clean() can report every problem at once.
"""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pac.core.models import WORKING_ROLES, Membership


def team_member_errors(plan, **people):
    """People who cannot carry the plan's work: outside its team (they would never see the
    plan), or viewers of it (they read, and write nothing)."""
    errors = {}
    people = {field: user for field, user in people.items() if user is not None}
    if plan is None or not people:
        return errors
    roles = dict(
        Membership.objects.filter(team_id=plan.team_id, user__in=people.values()).values_list(
            "user_id", "role"
        )
    )
    for field, user in people.items():
        if user.pk not in roles:
            errors[field] = _("%(person)s is not a member of this plan's team.") % {"person": user}
        elif roles[user.pk] not in WORKING_ROLES:
            errors[field] = _(
                "%(person)s reads this plan without working on it: choose a manager or a rep."
            ) % {"person": user}
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
