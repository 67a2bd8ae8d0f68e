from django.urls import path

from pac.imports import views

app_name = "imports"

urlpatterns = [
    path("plans/<int:pk>/import/", views.plan_import, name="plan-import"),
    path(
        "plans/<int:pk>/import/template.xlsx",
        views.plan_import_template,
        name="plan-import-template",
    ),
]
