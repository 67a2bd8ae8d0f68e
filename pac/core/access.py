"""Who may do what with a plan: one PlanAccess per reader and plan, read once per request.

Reading a plan at all is the plans' `for_user` queryset (the teams one belongs to; every team for
staff): another team's plan is a 404, exactly like a missing one. What a reader may do with a plan
they read is decided here and nowhere else, from their role in its team; an inactive account may
do nothing. Views resolve the access with the plan (`plan_access`, one query for both), templates
read it, and services check it again for the actor they are given (`PlanAccess.of`).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from pac.core.models import WORKING_ROLES, Membership, Plan, Role

# The roles that read every PACI and the cockpit, which compares reps with each other.
OVERSEEING_ROLES = (Role.MANAGER, Role.VIEWER)


def team_role(user, team_id):
    """The user's role in a team, or None when they have none."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(team_id=team_id, user=user).values_list("role", flat=True).first()
    )


@dataclass(frozen=True)
class PlanAccess:
    plan: Plan
    user: object
    role: str | None

    @classmethod
    def of(cls, user, plan):
        """The user's access to the plan: the one read with the plan when it was (plan_access),
        else read now."""
        known = getattr(plan, "access", None)
        if known is not None and known.user.pk == user.pk and user.is_authenticated:
            return known
        return cls(plan, user, team_role(user, plan.team_id))

    @property
    def active(self):
        return self.user.is_authenticated and self.user.is_active

    @property
    def staff(self):
        return self.active and self.user.is_staff

    @property
    def is_manager(self):
        """Managers of the plan's team, and staff."""
        return self.staff or (self.active and self.role == Role.MANAGER)

    @property
    def oversees(self):
        """Reads every PACI and the cockpit: managers, viewers and staff."""
        return self.staff or (self.active and self.role in OVERSEEING_ROLES)

    @property
    def open(self):
        return not self.plan.is_closed

    @property
    def can_edit(self):
        """Managers of the plan's team and staff edit a plan, until it is closed."""
        return self.open and self.is_manager

    @property
    def works(self):
        """Managers and reps of the plan's team (and staff) write in it while it is open; viewers
        read and write nothing, whatever the data says they own or take part in."""
        return self.open and (self.staff or (self.active and self.role in WORKING_ROLES))

    def can_view_paci(self, person):
        """A rep reads their own PACI, not a colleague's; managers, viewers and staff read every
        PACI of the team (viewers already read the whole plan it is drawn from)."""
        own = self.active and self.role == Role.REP and self.user.pk == person.pk
        return self.oversees or own

    def can_follow(self, kpi):
        """A KPI's whole record (its values over time with their comments, its standing) is read
        where its owner's PACI and the cockpit show it: by its owner and by whoever oversees the
        team. The plan's pages show every reader its latest value only."""
        return self.oversees or (self.active and kpi.owner_id == self.user.pk)

    def can_sign_paci(self, person):
        """Only its rep signs a PACI (their manager cannot sign it for them), while the plan is
        open."""
        return self.works and self.user.pk == person.pk

    def can_report_on(self, action):
        """The action's owner and participants report its progress; managers too."""
        if not self.works:
            return False
        if self.is_manager:
            return True
        return type(action).objects.filter(pk=action.pk).involving(self.user).exists()

    def can_record(self, kpi):
        """A KPI's owner records its values; managers too."""
        return self.works and (kpi.owner_id == self.user.pk or self.is_manager)

    def can_edit_deal(self, deal):
        """A rep keeps their own deals; managers keep everyone's."""
        return self.works and (deal.owner_id == self.user.pk or self.is_manager)

    def ensure_can_edit(self):
        """Refuse, with the reason, anyone who may not change this plan."""
        if self.plan.is_closed:
            raise PermissionDenied(_("This plan is closed: it can no longer be changed."))
        if not self.can_edit:
            raise PermissionDenied(_("Only the team's managers change its plan."))

    def ensure(self, allowed):
        ensure(allowed, self.plan)

    def context(self):
        """What every page of a plan needs to know about the person reading it."""
        return {
            "plan": self.plan,
            "access": self,
            "role": self.role,
            "can_edit": self.can_edit,
            "can_duplicate": self.is_manager,
            "can_steer": self.oversees,
        }


def plan_access(request, pk):
    """The plan and the reader's access to it, in one query; a 404 when the reader may not read
    it, exactly like a missing plan."""
    user = request.user
    role = Membership.objects.filter(team=OuterRef("team"), user=user.pk).values("role")[:1]
    plan = get_object_or_404(
        Plan.objects.for_user(user).select_related("team").annotate(reader_role=Subquery(role)),
        pk=pk,
    )
    # Kept on the plan: services handed this plan and this user read it instead of asking again.
    plan.access = PlanAccess(plan, user, plan.reader_role)
    return plan.access


# For services, which are handed the acting user and the row they change: the same rules, read
# through PlanAccess.of.


def ensure_can_edit_plan(user, plan):
    PlanAccess.of(user, plan).ensure_can_edit()


def can_report_on_action(user, action):
    return PlanAccess.of(user, action.target.plan).can_report_on(action)


def can_record_kpi(user, kpi, plan):
    return PlanAccess.of(user, plan).can_record(kpi)


def can_edit_deal(user, deal):
    return PlanAccess.of(user, deal.plan).can_edit_deal(deal)


def ensure(allowed, plan):
    """Refuse with the reason a person can act on."""
    if plan.is_closed:
        raise PermissionDenied(_("This plan is closed: it can no longer be changed."))
    if not allowed:
        raise PermissionDenied(_("This is someone else's work: you cannot change it."))
