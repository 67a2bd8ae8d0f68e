from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from targets.models import Deal, Objective, Target


class ObjectiveInline(admin.StackedInline):
    model = Objective
    extra = 0
    raw_id_fields = ["owner"]


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "priority", "plan"]
    list_filter = ["kind", "priority"]
    list_select_related = ["plan"]
    search_fields = ["name"]
    inlines = [ObjectiveInline]


@admin.register(Objective)
class ObjectiveAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "target", "target_value", "unit", "deadline", "owner"]
    list_filter = ["kind"]
    list_select_related = ["target", "owner"]
    search_fields = ["title"]
    raw_id_fields = ["target", "owner"]


@admin.register(Deal)
class DealAdmin(SimpleHistoryAdmin):
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
