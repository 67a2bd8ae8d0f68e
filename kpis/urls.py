from django.urls import path

from kpis import views

app_name = "kpis"

urlpatterns = [
    path(
        "objectives/<int:objective_pk>/kpis/new/",
        views.objective_kpi_create,
        name="objective-kpi-create",
    ),
    path(
        "objectives/<int:objective_pk>/kpis/<int:pk>/edit/",
        views.objective_kpi_update,
        name="objective-kpi-update",
    ),
    path(
        "objectives/<int:objective_pk>/kpis/<int:pk>/delete/",
        views.objective_kpi_delete,
        name="objective-kpi-delete",
    ),
    path("actions/<int:pk>/kpis/new/", views.kpi_create, name="action-kpi-create"),
    path("actions/<int:pk>/kpis/<int:kpi_pk>/edit/", views.kpi_update, name="action-kpi-update"),
    path("actions/<int:pk>/kpis/<int:kpi_pk>/delete/", views.kpi_delete, name="action-kpi-delete"),
    path(
        "paci/<str:username>/kpis/<int:pk>/values/new/",
        views.paci_kpi_value_create,
        name="paci-kpi-value-create",
    ),
]
