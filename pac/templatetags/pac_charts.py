from django import template

from kpis.selectors import horizon
from pac import charts

register = template.Library()


@register.simple_tag
def progress_bar(reached, due, standing):
    return charts.progress_bar(reached, due, standing)


@register.simple_tag
def kpi_chart(kpi, plan):
    """The KPI's values with its target line, over the dates its target is meant for."""
    points = [(value.recorded_on, value.value) for value in kpi.series]
    return charts.line_chart(points, kpi.target_value, *horizon(kpi, plan), kpi.unit)


@register.simple_tag
def month_bars(rows):
    return charts.month_bars(rows)
