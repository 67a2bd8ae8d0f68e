from django.urls import path

from actions import views

app_name = "actions"

urlpatterns = [
    path("actions/", views.action_list, name="action-list"),
    path("actions/new/", views.action_create, name="action-create"),
    path("actions/<int:pk>/", views.action_detail, name="action-detail"),
    path("actions/<int:pk>/edit/", views.action_update, name="action-update"),
    path("actions/<int:pk>/delete/", views.action_delete, name="action-delete"),
    path("actions/<int:pk>/steps/new/", views.step_create, name="step-create"),
    path("actions/<int:pk>/steps/<int:step_pk>/edit/", views.step_update, name="step-update"),
    path("actions/<int:pk>/steps/<int:step_pk>/done/", views.step_done, name="step-done"),
    path("actions/<int:pk>/steps/<int:step_pk>/move/", views.step_move, name="step-move"),
    path("actions/<int:pk>/steps/<int:step_pk>/delete/", views.step_delete, name="step-delete"),
    path(
        "paci/<str:username>/actions/<int:pk>/report/",
        views.paci_action_report,
        name="paci-action-report",
    ),
    path(
        "paci/<str:username>/steps/<int:step_pk>/done/",
        views.paci_step_done,
        name="paci-step-done",
    ),
]
