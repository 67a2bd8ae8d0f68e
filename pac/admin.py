from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from pac.core.archive import OpenPlanAdmin
from pac.core.models import Membership, Plan, SentForm, Team, User
from pac.core.tokens import ApiToken
from pac.diagnosis.models import ClientFigure, Diagnosis, OfferFigure, OfferSegmentFigure
from pac.documents.models import PdfExport
from pac.planning.models import ReminderSent
from pac.plans.models import Competitor, SwotItem
from pac.proposals.models import Proposal
from pac.steering.models import PaciSignature, Review


@admin.register(User)
class PacUserAdmin(UserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "first_name", "last_name", "email", "is_staff", "is_active"]
    fieldsets = [*UserAdmin.fieldsets, (_("PAC"), {"fields": ["language", "reminders"]})]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "team", "role"]
    list_filter = ["role", "team"]
    list_select_related = ["user", "team"]
    search_fields = ["user__username", "user__last_name", "team__name"]
    autocomplete_fields = ["user", "team"]


class SwotItemInline(OpenPlanAdmin, admin.TabularInline):
    model = SwotItem
    extra = 0


class CompetitorInline(OpenPlanAdmin, admin.StackedInline):
    model = Competitor
    extra = 0


class PlanAdminForm(forms.ModelForm):
    def clean_status(self):
        """The plan's life as the services keep it: a closed plan never opens again."""
        old, new = self.instance.status, self.cleaned_data["status"]
        if self.instance.pk and new != old:
            error = Plan.status_change_error(old, new)
            if error:
                raise forms.ValidationError(error)
        return new


@admin.register(Plan)
class PlanAdmin(OpenPlanAdmin, SimpleHistoryAdmin):
    form = PlanAdminForm

    list_display = ["title", "team", "period_start", "period_end", "status", "budget_envelope"]
    list_filter = ["status", "team"]
    list_select_related = ["team"]
    search_fields = ["title", "team__name"]
    date_hierarchy = "period_start"
    raw_id_fields = ["parent"]
    inlines = [SwotItemInline, CompetitorInline]


@admin.register(SwotItem)
class SwotItemAdmin(OpenPlanAdmin, SimpleHistoryAdmin):
    list_display = ["text", "quadrant", "plan", "order"]
    list_filter = ["quadrant"]
    list_select_related = ["plan"]
    search_fields = ["text"]


@admin.register(Competitor)
class CompetitorAdmin(OpenPlanAdmin, SimpleHistoryAdmin):
    list_display = ["name", "plan", "threat"]
    list_filter = ["threat"]
    list_select_related = ["plan"]
    search_fields = ["name"]


@admin.register(Diagnosis)
class DiagnosisAdmin(OpenPlanAdmin, SimpleHistoryAdmin):
    list_display = ["plan", "figures_period", "class_a", "class_b", "a_coverage"]
    list_select_related = ["plan"]


@admin.register(ClientFigure)
class ClientFigureAdmin(OpenPlanAdmin, SimpleHistoryAdmin):
    list_display = ["name", "segment", "sales", "margin", "plan"]
    list_select_related = ["plan"]
    search_fields = ["name", "segment"]


@admin.register(OfferFigure)
class OfferFigureAdmin(OpenPlanAdmin, SimpleHistoryAdmin):
    list_display = ["name", "sales", "margin", "market_share", "plan"]
    list_select_related = ["plan"]
    search_fields = ["name"]


@admin.register(OfferSegmentFigure)
class OfferSegmentFigureAdmin(OpenPlanAdmin, SimpleHistoryAdmin):
    list_display = ["offer", "segment", "sales", "margin", "plan"]
    list_select_related = ["plan"]
    search_fields = ["offer", "segment"]


@admin.register(Review)
class ReviewAdmin(OpenPlanAdmin, SimpleHistoryAdmin):
    list_display = ["plan", "held_on"]
    list_select_related = ["plan"]
    date_hierarchy = "held_on"
    filter_horizontal = ["attendees"]


@admin.register(Proposal)
class ProposalAdmin(SimpleHistoryAdmin):
    """The reps' proposals, read here: they are made on a PACI and decided on the plan page,
    through the services that apply them."""

    list_display = ["plan", "author", "kind", "state", "created_at", "decided_by"]
    list_filter = ["state", "kind"]
    list_select_related = ["plan", "author", "decided_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PaciSignature)
class PaciSignatureAdmin(admin.ModelAdmin):
    """The PACIs signed: a record of what each rep agreed to, made by the rep, never edited."""

    list_display = ["plan", "rep", "signed_at", "fingerprint"]
    list_select_related = ["plan", "rep"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """The API tokens people made on their profile: seen and revoked here by staff (a revoked
    token answers 401 at once), never made nor read, for only a digest is kept."""

    list_display = ["user", "name", "prefix", "created_at", "last_used_on", "revoked_at"]
    list_select_related = ["user"]
    list_filter = ["revoked_at"]
    search_fields = ["user__username", "name", "prefix"]
    readonly_fields = ["user", "name", "prefix", "digest", "created_at", "last_used_on"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        queryset.active().update(revoked_at=timezone.now())


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    """What the daily digest has sent: to see why someone got, or did not get, a reminder."""

    list_display = ["user", "item", "sent_on"]
    list_filter = ["sent_on"]
    list_select_related = ["user"]
    search_fields = ["user__username", "item"]
    date_hierarchy = "sent_on"


@admin.register(SentForm)
class SentFormAdmin(admin.ModelAdmin):
    """The create forms sent in the last day (pac.editing.submit): why a second sending of a
    form created nothing."""

    list_display = ["token", "sent_at"]
    date_hierarchy = "sent_at"


@admin.register(PdfExport)
class PdfExportAdmin(admin.ModelAdmin):
    list_display = ["plan", "requested_by", "status", "pages", "seconds", "created_at"]
    list_filter = ["status"]
    list_select_related = ["plan", "requested_by"]
    readonly_fields = ["finished_at", "error"]
