"""Cross-object rules that models check in clean(), with messages a person reads."""

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pac.models import Membership


def check_team_member(plan, user, field):
    """Refuse a person who has no role in the plan's team: they would never see the plan."""
    if user is None or plan is None:
        return
    if not Membership.objects.filter(team_id=plan.team_id, user=user).exists():
        raise ValidationError(
            {field: _("%(person)s is not a member of this plan's team.") % {"person": user}}
        )


def check_in_period(plan, day, field):
    """Refuse a date outside the plan's period."""
    if day is not None and plan is not None and not plan.contains(day):
        raise ValidationError(
            {
                field: _("Choose a date inside the plan's period (%(start)s – %(end)s).")
                % {
                    "start": date_format(plan.period_start, "SHORT_DATE_FORMAT"),
                    "end": date_format(plan.period_end, "SHORT_DATE_FORMAT"),
                }
            }
        )
