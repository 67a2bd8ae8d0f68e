from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from actions.models import Action, ActionStep
from pac.core.archive import OpenPlanAdmin


class ActionStepInline(OpenPlanAdmin, admin.TabularInline):
    model = ActionStep
    extra = 0
    raw_id_fields = ["owner"]


@admin.register(Action)
class ActionAdmin(OpenPlanAdmin, SimpleHistoryAdmin):
    list_display = ["title", "domain", "sales_type", "status", "owner", "start_date", "end_date"]
    list_filter = ["domain", "sales_type", "status"]
    list_select_related = ["owner", "target"]
    search_fields = ["title", "description"]
    date_hierarchy = "start_date"
    raw_id_fields = ["target", "owner"]
    filter_horizontal = ["participants", "objectives"]
    inlines = [ActionStepInline]


@admin.register(ActionStep)
class ActionStepAdmin(OpenPlanAdmin, SimpleHistoryAdmin):
    list_display = ["title", "action", "owner", "due_date", "done"]
    list_filter = ["done"]
    list_select_related = ["action", "owner"]
    search_fields = ["title"]
    raw_id_fields = ["action", "owner"]
