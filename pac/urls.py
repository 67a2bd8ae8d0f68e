from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from pac.core import views as core_views
from pac.diagnosis import import_views as diagnosis_imports
from pac.diagnosis import views as diagnosis_views
from pac.documents import views as documents_views
from pac.planning import feeds
from pac.planning import views as planning_views
from pac.plans import views as plans_views
from pac.proposals import views as proposals_views
from pac.steering import views as steering_views

plan_patterns = [
    path("", plans_views.plan_list, name="plan-list"),
    path("new/", plans_views.plan_create, name="plan-create"),
    path("<int:pk>/", plans_views.plan_detail, name="plan-detail"),
    path("<int:pk>/edit/", plans_views.plan_header, name="plan-update"),
    path("<int:pk>/strategy/", plans_views.plan_strategy, name="plan-strategy"),
    path("<int:pk>/status/", plans_views.plan_status, name="plan-status"),
    path("<int:pk>/duplicate/", plans_views.plan_duplicate, name="plan-duplicate"),
    path("<int:pk>/delete/", plans_views.plan_delete, name="plan-delete"),
    path("<int:pk>/history/", plans_views.plan_history, name="plan-history"),
    path("<int:pk>/budget/", plans_views.plan_budget, name="plan-budget"),
    path("<int:pk>/cockpit/", steering_views.cockpit, name="cockpit"),
    path("<int:pk>/diagnosis/", diagnosis_views.diagnosis, name="diagnosis"),
    path(
        "<int:pk>/diagnosis/settings/",
        diagnosis_views.diagnosis_settings,
        name="diagnosis-settings",
    ),
    path(
        "<int:pk>/diagnosis/target/",
        diagnosis_views.target_create,
        name="diagnosis-target-create",
    ),
    path(
        "<int:pk>/diagnosis/<slug:table>/new/",
        diagnosis_views.figure_create,
        name="figure-create",
    ),
    path(
        "<int:pk>/diagnosis/<slug:table>/<int:row_pk>/edit/",
        diagnosis_views.figure_update,
        name="figure-update",
    ),
    path(
        "<int:pk>/diagnosis/<slug:table>/<int:row_pk>/delete/",
        diagnosis_views.figure_delete,
        name="figure-delete",
    ),
    path(
        "<int:pk>/diagnosis/<slug:table>/import/",
        diagnosis_imports.figures_import,
        name="figures-import",
    ),
    path(
        "<int:pk>/diagnosis/<slug:table>/template.xlsx",
        diagnosis_imports.figures_template,
        name="figures-template",
    ),
    path("<int:pk>/pdf/", documents_views.plan_pdf, name="plan-pdf"),
    path("<int:pk>/pdf/dossier/", documents_views.plan_dossier_pdf, name="plan-dossier-pdf"),
    path("<int:pk>/pptx/", documents_views.plan_pptx, name="plan-pptx"),
    path("<int:pk>/pdf/exports/<uuid:export_pk>/", documents_views.pdf_export, name="pdf-export"),
    path(
        "<int:pk>/pdf/exports/<uuid:export_pk>/download/",
        documents_views.pdf_export_download,
        name="pdf-export-download",
    ),
    path("<int:pk>/paci/<str:username>/pdf/", documents_views.paci_pdf, name="paci-pdf"),
    path("<int:pk>/paci/<str:username>/sign/", steering_views.paci_sign, name="paci-sign"),
    path("<int:pk>/actions/<int:action_pk>/pdf/", documents_views.action_pdf, name="action-pdf"),
    path("<int:pk>/calendar/", planning_views.calendar, name="calendar"),
    path("<int:pk>/timeline/", planning_views.timeline, name="timeline"),
    path("<int:pk>/horizon/", planning_views.horizon, name="horizon"),
    path("<int:pk>/reviews/", steering_views.review_list, name="review-list"),
    path("<int:pk>/reviews/new/", steering_views.review_create, name="review-create"),
    path("<int:pk>/reviews/<int:review_pk>/", steering_views.review_detail, name="review-detail"),
    path(
        "<int:pk>/reviews/<int:review_pk>/edit/",
        steering_views.review_update,
        name="review-update",
    ),
    path("<int:pk>/paci/<str:username>/", steering_views.paci, name="paci"),
    path(
        "<int:pk>/paci/<str:username>/proposals/new/",
        proposals_views.proposal_create,
        name="proposal-create",
    ),
    path(
        "<int:pk>/paci/<str:username>/actions/<int:action_pk>/propose/",
        proposals_views.action_proposal_create,
        name="action-proposal-create",
    ),
    path(
        "<int:pk>/paci/<str:username>/objectives/<int:objective_pk>/propose/",
        proposals_views.objective_proposal_create,
        name="objective-proposal-create",
    ),
    path(
        "<int:pk>/proposals/<int:proposal_pk>/accept/",
        proposals_views.proposal_accept,
        name="proposal-accept",
    ),
    path(
        "<int:pk>/proposals/<int:proposal_pk>/amend/",
        proposals_views.proposal_amend,
        name="proposal-amend",
    ),
    path(
        "<int:pk>/proposals/<int:proposal_pk>/decline/",
        proposals_views.proposal_decline,
        name="proposal-decline",
    ),
    path("<int:pk>/swot/new/", plans_views.swot_create, name="swot-create"),
    path("<int:pk>/swot/<int:item_pk>/edit/", plans_views.swot_update, name="swot-update"),
    path("<int:pk>/swot/<int:item_pk>/delete/", plans_views.swot_delete, name="swot-delete"),
    path("<int:pk>/swot/<int:item_pk>/move/", plans_views.swot_move, name="swot-move"),
    path("<int:pk>/competitors/new/", plans_views.competitor_create, name="competitor-create"),
    path(
        "<int:pk>/competitors/<int:competitor_pk>/edit/",
        plans_views.competitor_update,
        name="competitor-update",
    ),
    path(
        "<int:pk>/competitors/<int:competitor_pk>/delete/",
        plans_views.competitor_delete,
        name="competitor-delete",
    ),
]

account_patterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]

urlpatterns = [
    path("", plans_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("plans/", include((plan_patterns, "pac"))),
    path("plans/<int:plan_pk>/", include("targets.urls")),
    path("plans/<int:plan_pk>/", include("actions.urls")),
    path("plans/<int:plan_pk>/", include("kpis.urls")),
    # Spreadsheets in and out: a plan imported from Excel, every list exported to .xlsx.
    path("", include("pac.imports.urls")),
    path("", include("pac.exports.urls")),
    path("api/", include("pac.api.urls")),
    path("paci/", steering_views.my_paci, name="my-paci"),
    path("profile/", planning_views.profile, name="profile"),
    path("ical/<str:token>.ics", feeds.my_feed, name="ical-mine"),
    path("ical/<str:token>/plans/<int:pk>.ics", feeds.plan_feed, name="ical-plan"),
    path("accounts/", include(account_patterns)),
    # The sign-in page offers the language switch, so it must work before signing in.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
