"""The action sheet (fiche action): the action with its steps, its KPIs and their history, a page
whose steps and KPIs are edited in place."""

from django.utils.translation import gettext_lazy as _

from actions.models import Action, ActionStep
from actions.selectors import steps_region
from kpis.models import Kpi
from kpis.selectors import action_kpis
from pac.core.editing import Page, registered
from pac.core.history import changes


def action_sheet(action):
    """Everything the sheet shows beyond the action's own fields."""
    return {
        **steps_region(action),
        **action_kpis(action),
        "participants": list(action.participants.all()),
        "objectives": list(action.objectives.select_related("target")),
    }


def action_history(action, limit=200):
    """Changes to the sheet and its steps and KPIs, newest first."""
    entries = changes(
        Action.history.filter(id=action.pk).select_related("history_user"),
        _("Action"),
        limit,
        "feminine",
    )
    entries += changes(
        ActionStep.history.filter(action_id=action.pk).select_related("history_user"),
        _("Step"),
        limit,
        "feminine",
    )
    entries += changes(
        Kpi.history.filter(action_id=action.pk).select_related("history_user"),
        _("KPI"),
        limit,
        "masculine",
    )
    return sorted(entries, key=lambda change: change.when, reverse=True)[:limit]


@registered("action")
def sheet_page(request, access, action):
    return Page(
        template="actions/action_detail.html",
        url=action.get_absolute_url(),
        base=access.context() | {"action": action},
        full=lambda: action_sheet(action) | {"history": action_history(action)},
        regions={"steps": lambda: steps_region(action), "kpis": lambda: action_kpis(action)},
    )
