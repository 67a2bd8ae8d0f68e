"""The data the services take, as the app's forms hand it over: tests build their plans through
the services with these, from an empty plan."""

from decimal import Decimal

from actions.models import Action
from kpis.models import Kpi
from targets.models import Objective


def sheet(target, title, owner, start, end, status="in_progress"):
    """An action sheet of the sales domain."""
    return {
        "title": title,
        "target": target,
        "domain": Action.Domain.SALES,
        "sales_type": Action.SalesType.HUNTING,
        "description": "",
        "means": "",
        "owner": owner,
        "start_date": start,
        "end_date": end,
        "budget_planned": Decimal("0"),
        "budget_actual": Decimal("0"),
        "occurrences_planned": None,
        "occurrences_done": 0,
        "status": status,
        "progress": 0,
    }


def objective_fields(owner, **changes):
    """A quantitative objective measured by a KPI it does not have yet."""
    return {
        "kind": Objective.Kind.QUANTITATIVE,
        "title": "Taux de transformation",
        "metric": "Transformation",
        "unit": "%",
        "baseline": Decimal("15"),
        "target_value": Decimal("25"),
        "deadline": None,
        "owner": owner,
        "description": "",
        "measured_by": Objective.Measure.KPI,
        "measure_kpi": None,
    } | changes


def kpi_fields(owner, **changes):
    """A KPI with a target for the whole of what it follows, reported monthly."""
    return {
        "name": "Transformation",
        "unit": "%",
        "target_value": Decimal("25"),
        "per_period": False,
        "frequency": Kpi.Frequency.MONTHLY,
        "direction": Kpi.Direction.INCREASE,
        "owner": owner,
    } | changes
