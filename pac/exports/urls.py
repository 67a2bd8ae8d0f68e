from django.urls import path

from pac.exports import views

app_name = "exports"

urlpatterns = [
    path("plans/<int:pk>/actions/export.xlsx", views.action_list, name="action-list"),
    path("plans/<int:pk>/budget/export.xlsx", views.budget, name="budget"),
    path("plans/<int:pk>/deals/export.xlsx", views.deals, name="deals"),
    path("plans/<int:pk>/kpis/export.xlsx", views.kpis, name="kpis"),
    path(
        "plans/<int:pk>/actions/<int:action_pk>/kpis/export.xlsx",
        views.action_kpis,
        name="action-kpis",
    ),
    path("plans/<int:pk>/cockpit/export.xlsx", views.cockpit, name="cockpit"),
]
