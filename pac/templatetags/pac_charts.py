from django import template

from kpis.charts import kpi_chart as draw_kpi_chart
from pac.core import charts

register = template.Library()


@register.simple_tag
def progress_bar(reached, due, standing):
    return charts.progress_bar(reached, due, standing)


@register.simple_tag
def kpi_chart(kpi, plan):
    return draw_kpi_chart(kpi, plan)


@register.simple_tag
def month_bars(rows, table=True):
    return charts.month_bars(rows, table)


@register.simple_tag
def timeline_legend():
    return charts.timeline_legend()
