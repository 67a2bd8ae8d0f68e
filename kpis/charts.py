"""A KPI's chart: its values against its target, drawn with the plan's SVG charts."""

from kpis.selectors import horizon, per_period_points
from pac.core.charts import line_chart


def kpi_chart(kpi, plan):
    """A KPI's values (`series`) with its target line, over the dates its target is meant for;
    for a target per period, the figure of each period against that target."""
    if kpi.per_period:
        points = per_period_points(kpi)
    else:
        points = [(value.recorded_on, value.value) for value in kpi.series]
    # "Cible 15 rendez-vous par semaine": the target line says what it is for.
    unit = f"{kpi.unit} {kpi.period_label}".strip()
    return line_chart(points, kpi.target_value, *horizon(kpi, plan), unit, kpi.name)


def with_charts(kpis, plan):
    """Draw each KPI's chart now (`chart`), so that pages cached per revision of the plan keep
    them drawn rather than drawing ten charts on every request."""
    for kpi in kpis:
        kpi.chart = kpi_chart(kpi, plan)
    return kpis
