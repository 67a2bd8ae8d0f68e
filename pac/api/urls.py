"""The API for integrations, under /api/: its schema, its documentation page, and the plans'
data. Ids in addresses are at most 18 digits: a longer one names nothing (a 404), before a
database is asked about a number it cannot hold."""

from django.contrib.auth.decorators import login_not_required, login_required
from django.urls import path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from pac.api import errors, views


class Id:
    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(Id, "id")

app_name = "api"

urlpatterns = [
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    # A page for people signed in: the sign-in page for the others (DRF's views would let them
    # through to a 401).
    path(
        "docs/",
        login_required(
            SpectacularSwaggerSplitView.as_view(
                url_name="api:schema", template_name="api/docs.html"
            )
        ),
        name="docs",
    ),
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/<id:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<id:pk>/targets/", views.target_list, name="target-list"),
    path("plans/<id:pk>/objectives/", views.objective_list, name="objective-list"),
    path("plans/<id:pk>/actions/", views.action_list, name="action-list"),
    path("plans/<id:pk>/kpis/", views.kpi_list, name="kpi-list"),
    path("plans/<id:pk>/deals/", views.deal_list, name="deal-list"),
    path("plans/<id:pk>/deals/<id:deal_pk>/", views.deal_detail, name="deal-detail"),
    path("plans/<id:pk>/reviews/", views.review_list, name="review-list"),
    path("kpis/<id:pk>/values/", views.kpi_values, name="kpi-values"),
    # Last: every other address under /api/ is the API's JSON 404.
    path("<path:rest>", errors.not_found, name="not-found"),
]
