from django import template

from pac.steering import charts

register = template.Library()


@register.simple_tag
def progress_bar(reached, due, standing):
    return charts.progress_bar(reached, due, standing)


@register.simple_tag
def kpi_chart(kpi, plan):
    return charts.kpi_chart(kpi, plan)


@register.simple_tag
def month_bars(rows, table=True):
    return charts.month_bars(rows, table)
