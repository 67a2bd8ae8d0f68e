"""Every list a manager reads, downloaded as .xlsx: read by the same access and selectors as its
page, so whoever reads the page may download it and another team's plan is a 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from actions.forms import ActionFilterForm
from actions.models import Action
from pac.core.access import plan_access
from pac.documents.content import period_label, title_words
from pac.exports import sheets
from pac.exports.workbook import file_name, xlsx_response


def download(plan, what, sheet_list, today):
    name = file_name(plan.team, period_label(plan), title_words(plan), what, day=today)
    return xlsx_response(sheet_list, name)


@require_GET
def action_list(request, pk):
    """The action list with the filters of its address, as the list applies them: invalid ones
    are left out, the valid ones still apply."""
    access = plan_access(request, pk)
    plan = access.plan
    form = ActionFilterForm(request.GET, plan=plan)
    filters, group = form.filters()
    today = timezone.localdate()
    return download(plan, _("Actions"), sheets.action_sheet(plan, filters, group, today), today)


@require_GET
def budget(request, pk):
    plan = plan_access(request, pk).plan
    return download(plan, _("Budget"), sheets.budget_sheets(plan), timezone.localdate())


@require_GET
def deals(request, pk):
    plan = plan_access(request, pk).plan
    return download(plan, _("Carnet commercial"), sheets.deal_sheets(plan), timezone.localdate())


@require_GET
def kpis(request, pk):
    access = plan_access(request, pk)
    today = timezone.localdate()
    return download(access.plan, _("KPIs"), sheets.kpi_sheets(access, today), today)


@require_GET
def action_kpis(request, pk, action_pk):
    """The KPIs of one action sheet."""
    access = plan_access(request, pk)
    plan = access.plan
    action = get_object_or_404(Action, target__plan=plan, pk=action_pk)
    today = timezone.localdate()
    what = f"{_('KPIs')}-{_('action')}-{action.pk}"
    return download(plan, what, sheets.kpi_sheets(access, today, action=action), today)


@require_GET
def cockpit(request, pk):
    """The cockpit's tables; like the cockpit, not for reps, who do not see how they compare
    with each other."""
    access = plan_access(request, pk)
    if not access.oversees:
        raise Http404
    plan = access.plan
    today = timezone.localdate()
    return download(plan, _("Cockpit"), sheets.cockpit_sheets(plan, today), today)
