from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kpis.models import Kpi, KpiValue
from pac.core.archive import OpenPlanAdmin


class KpiValueInline(OpenPlanAdmin, admin.TabularInline):
    model = KpiValue
    extra = 0
    raw_id_fields = ["recorded_by"]


@admin.register(Kpi)
class KpiAdmin(OpenPlanAdmin, SimpleHistoryAdmin):
    list_display = ["name", "unit", "target_value", "direction", "frequency", "per_period", "owner"]
    list_filter = ["direction", "frequency"]
    list_select_related = ["owner"]
    search_fields = ["name"]
    raw_id_fields = ["action", "objective", "owner"]
    inlines = [KpiValueInline]


@admin.register(KpiValue)
class KpiValueAdmin(OpenPlanAdmin, SimpleHistoryAdmin):
    list_display = ["kpi", "recorded_on", "value", "recorded_by"]
    list_select_related = ["kpi", "recorded_by"]
    date_hierarchy = "recorded_on"
    raw_id_fields = ["kpi", "recorded_by"]
