"""What each role may do. Views, services and templates all ask here.

Visibility itself (which rows a person may read at all) lives in each model's `for_user` queryset;
these functions answer the finer question of what a person may do with a row they can read.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from pac.core.models import WORKING_ROLES, Membership, Plan, Role


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
    """A rep reads their own PACI, not a colleague's; managers, viewers and staff read every
    PACI of the team (viewers already read the whole plan it is drawn from)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff:
        return True
    role = role if role is not None else team_role(user, plan.team_id)
    if role in {Role.MANAGER, Role.VIEWER}:
        return True
    return role == Role.REP and user.pk == rep.pk


def can_view_cockpit(user, plan, role=None):
    """The cockpit compares reps with each other: managers, viewers and staff read it."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff:
        return True
    role = role if role is not None else team_role(user, plan.team_id)
    return role in {Role.MANAGER, Role.VIEWER}


def ensure_can_edit_plan(user, plan):
    """Refuse, with the reason, anyone who may not change this plan."""
    if plan.is_closed:
        raise PermissionDenied(_("This plan is closed: it can no longer be changed."))
    if not can_edit_plan(user, plan):
        raise PermissionDenied(_("Only the team's managers change its plan."))


# The progress side of the plan: what reps report on their own work.


def is_manager(user, plan, role=None):
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff:
        return True
    role = role if role is not None else team_role(user, plan.team_id)
    return role == Role.MANAGER


def works_on(user, plan, role=None):
    """Managers and reps of the plan's team (and staff) write in it while it is open; viewers
    read and write nothing, whatever the data says they own or take part in."""
    if plan.is_closed or not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff:
        return True
    role = role if role is not None else team_role(user, plan.team_id)
    return role in WORKING_ROLES


def can_report_on_action(user, action, role=None):
    """The action's owner and participants report its progress; managers too."""
    plan = action.target.plan
    role = role if role is not None else team_role(user, plan.team_id)
    if not works_on(user, plan, role):
        return False
    if is_manager(user, plan, role):
        return True
    return type(action).objects.filter(pk=action.pk).involving(user).exists()


def can_record_kpi(user, kpi, plan, role=None):
    """A KPI's owner records its values; managers too."""
    role = role if role is not None else team_role(user, plan.team_id)
    if not works_on(user, plan, role):
        return False
    return kpi.owner_id == user.pk or is_manager(user, plan, role)


def can_edit_deal(user, deal, role=None):
    """A rep keeps their own deals; managers keep everyone's."""
    role = role if role is not None else team_role(user, deal.plan.team_id)
    if not works_on(user, deal.plan, role):
        return False
    return deal.owner_id == user.pk or is_manager(user, deal.plan, role)


def ensure(allowed, plan):
    """Refuse with the reason a person can act on."""
    if plan.is_closed:
        raise PermissionDenied(_("This plan is closed: it can no longer be changed."))
    if not allowed:
        raise PermissionDenied(_("This is someone else's work: you cannot change it."))


def get_plan(request, pk):
    """The plan if the user may read it; a 404 otherwise, exactly like a missing plan."""
    return get_object_or_404(Plan.objects.for_user(request.user).select_related("team"), pk=pk)


def plan_context(request, plan, role=None):
    """What every page of a plan needs to know about the person reading it."""
    role = role if role is not None else team_role(request.user, plan.team_id)
    return {
        "plan": plan,
        "role": role,
        "can_edit": can_edit_plan(request.user, plan, role=role),
        "can_duplicate": request.user.is_staff or role == Role.MANAGER,
        "can_steer": can_view_cockpit(request.user, plan, role=role),
    }
