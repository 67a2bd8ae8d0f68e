from django import template
from django.urls import reverse

from kpis.charts import kpi_chart as draw_kpi_chart
from pac.core import charts
from pac.diagnosis import charts as diagnosis_charts

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


@register.simple_tag
def atouts_attraits_chart(mckinsey, plan, can_edit):
    """The attractiveness–strength grid; its bubbles lead to a target's form for an editor."""
    url_of = None
    if can_edit:
        create = reverse("pac:diagnosis-target-create", args=[plan.pk])

        def url_of(bubble):
            return f"{create}?source=bubble-{bubble.offer.pk}"

    return diagnosis_charts.atouts_attraits(mckinsey, url_of)
