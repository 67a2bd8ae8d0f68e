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
]
