from django.urls import path

from targets import views

app_name = "targets"

urlpatterns = [
    path("targets/new/", views.target_create, name="target-create"),
    path("targets/<int:pk>/edit/", views.target_update, name="target-update"),
    path("targets/<int:pk>/delete/", views.target_delete, name="target-delete"),
    path(
        "targets/<int:target_pk>/objectives/new/",
        views.objective_create,
        name="objective-create",
    ),
    path("objectives/<int:pk>/edit/", views.objective_update, name="objective-update"),
    path("objectives/<int:pk>/delete/", views.objective_delete, name="objective-delete"),
    path("objectives/<int:pk>/assess/", views.objective_assess, name="objective-assess"),
    path("objectives/<int:pk>/split/", views.objective_split, name="objective-split"),
    path("deals/new/", views.deal_create, name="deal-create"),
    path("deals/<int:pk>/edit/", views.deal_update, name="deal-update"),
    path("deals/<int:pk>/delete/", views.deal_delete, name="deal-delete"),
    path("deals/import/", views.deals_import, name="deals-import"),
    path("paci/<str:username>/deals/new/", views.paci_deal_create, name="paci-deal-create"),
    path(
        "paci/<str:username>/deals/<int:pk>/edit/",
        views.paci_deal_update,
        name="paci-deal-update",
    ),
    path(
        "paci/<str:username>/deals/<int:pk>/delete/",
        views.paci_deal_delete,
        name="paci-deal-delete",
    ),
]
