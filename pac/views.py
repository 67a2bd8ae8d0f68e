from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from pac import selectors
from pac.models import Membership, Plan, Role
from pac.permissions import can_edit_plan, team_role


@require_GET
def home(request):
    """Reps start on their PACI; managers, viewers and staff on the list of plans."""
    roles = set(Membership.objects.filter(user=request.user).values_list("role", flat=True))
    if roles == {Role.REP} and not request.user.is_staff:
        return redirect("my-paci")
    return redirect("pac:plan-list")


@require_GET
def plan_list(request):
    plans = (
        Plan.objects.for_user(request.user)
        .select_related("team")
        .annotate(target_count=Count("targets", distinct=True))
    )
    return render(request, "pac/plan_list.html", {"plans": plans})


@require_GET
def plan_detail(request, pk):
    plan = get_object_or_404(Plan.objects.for_user(request.user).select_related("team"), pk=pk)
    role = team_role(request.user, plan.team_id)
    context = {
        "plan": plan,
        "role": role,
        "can_edit": can_edit_plan(request.user, plan, role=role),
        **selectors.plan_overview(plan),
    }
    return render(request, "pac/plan_detail.html", context)


def current_plan(plans, today):
    """The plan whose period holds today, else the latest one."""
    for plan in plans:
        if plan.contains(today):
            return plan
    return plans[0] if plans else None


@require_GET
def my_paci(request):
    """The signed-in rep's individual plan, read-only until the PACI issue makes it editable."""
    plans = list(
        Plan.objects.for_user(request.user)
        .filter(team__memberships__user=request.user, team__memberships__role=Role.REP)
        .select_related("team")
    )
    plan = current_plan(plans, timezone.localdate())
    requested = request.GET.get("plan")
    if requested is not None:
        chosen = next((p for p in plans if str(p.pk) == requested), None)
        if chosen is None:
            messages.warning(
                request, _("That plan is not one of yours; showing your current plan.")
            )
        else:
            plan = chosen
    context = {"plans": plans, "plan": plan, "rep": request.user}
    if plan is not None:
        context.update(selectors.rep_paci(plan, request.user))
    return render(request, "pac/paci.html", context)


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 otherwise: for load balancers and uptime checks."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
