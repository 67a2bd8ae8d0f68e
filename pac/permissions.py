"""What each role may do. Views, services and templates all ask here.

Visibility itself (which rows a person may read at all) lives in each model's `for_user` queryset;
these functions answer the finer question of what a person may do with a row they can read.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from pac.models import Membership, Role


def team_role(user, team_id):
    """The user's role in a team, or None when they have none."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(team_id=team_id, user=user).values_list("role", flat=True).first()
    )


def can_edit_plan(user, plan, role=None):
    """Managers of the plan's team and staff edit a plan, until it is closed."""
    if plan.is_closed or not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff:
        return True
    role = role if role is not None else team_role(user, plan.team_id)
    return role == Role.MANAGER


def can_view_paci(user, plan, rep, role=None):
    """A rep reads their own PACI; managers of the team and staff read every rep's."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff:
        return True
    role = role if role is not None else team_role(user, plan.team_id)
    if role == Role.MANAGER:
        return True
    return role == Role.REP and user.pk == rep.pk


def ensure_can_edit_plan(user, plan):
    """Refuse, with the reason, anyone who may not change this plan."""
    if plan.is_closed:
        raise PermissionDenied(_("This plan is closed: it can no longer be changed."))
    if not can_edit_plan(user, plan):
        raise PermissionDenied(_("Only the team's managers change its plan."))
