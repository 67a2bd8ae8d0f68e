from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from pac.core.archive import OpenPlanAdmin
from targets.models import Assessment, Deal, Objective, Target


class ObjectiveInline(OpenPlanAdmin, admin.StackedInline):
    model = Objective
    extra = 0
    raw_id_fields = ["owner", "measure_kpi"]


class AssessmentInline(OpenPlanAdmin, admin.TabularInline):
    model = Assessment
    extra = 0
    raw_id_fields = ["recorded_by"]


@admin.register(Target)
class TargetAdmin(OpenPlanAdmin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "priority", "plan"]
    list_filter = ["kind", "priority"]
    list_select_related = ["plan"]
    search_fields = ["name"]
    inlines = [ObjectiveInline]


@admin.register(Objective)
class ObjectiveAdmin(OpenPlanAdmin, SimpleHistoryAdmin):
    list_display = [
        "title",
        "kind",
        "target",
        "target_value",
        "unit",
        "deadline",
        "owner",
        "measured_by",
    ]
    list_filter = ["kind", "measured_by"]
    list_select_related = ["target", "owner"]
    search_fields = ["title"]
    raw_id_fields = ["target", "owner", "measure_kpi"]
    inlines = [AssessmentInline]


@admin.register(Deal)
class DealAdmin(OpenPlanAdmin, SimpleHistoryAdmin):
    list_display = [
        "company",
        "nature",
        "amount",
        "probability",
        "stage",
        "milestone_date",
        "owner",
    ]
    list_filter = ["stage"]
    list_select_related = ["owner"]
    search_fields = ["company", "contact", "nature"]
    date_hierarchy = "milestone_date"
    raw_id_fields = ["plan", "target", "owner"]


@admin.register(Assessment)
class AssessmentAdmin(OpenPlanAdmin, SimpleHistoryAdmin):
    list_display = ["objective", "assessed_on", "verdict", "recorded_by"]
    list_filter = ["verdict"]
    list_select_related = ["objective", "recorded_by"]
    date_hierarchy = "assessed_on"
    raw_id_fields = ["objective", "recorded_by"]
