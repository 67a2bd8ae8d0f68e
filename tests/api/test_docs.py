"""The API's schema and its documentation page, served from the vendored Swagger UI: nothing is
loaded from the internet, and no inline script runs against the Content Security Policy."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_schema_lists_every_route_for_someone_signed_in(world, bearer):
    response = bearer(world.viewer).get(reverse("api:schema"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "PAC API"
    assert set(schema["paths"]) == {
        "/api/plans/",
        "/api/plans/{id}/",
        "/api/plans/{id}/targets/",
        "/api/plans/{id}/objectives/",
        "/api/plans/{id}/actions/",
        "/api/plans/{id}/kpis/",
        "/api/plans/{id}/deals/",
        "/api/plans/{id}/deals/{deal_pk}/",
        "/api/plans/{id}/reviews/",
        "/api/kpis/{id}/values/",
    }
    assert schema["components"]["securitySchemes"]["token"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal API token, created on the profile page.",
    }
    assert Client().get(reverse("api:schema")).status_code == 401


def test_the_documentation_page_loads_only_local_assets(world, login):
    client = login(world.rep)
    page = client.get(reverse("api:docs"))
    assert page.status_code == 200
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page.text)
    assert len(sources) == 5
    assert all(source.startswith("/") for source in sources), sources
    assert "<script>" not in page.text and "<style>" not in page.text
    script = client.get(reverse("api:docs") + "?script=")
    assert script.status_code == 200
    assert "/api/schema/" in script.text
    # The assets are files of the project's static files (vendored by drf-spectacular-sidecar).
    for source in sources[:-1]:
        assert finders.find(source.removeprefix("/static/")), source


def test_the_documentation_page_sends_the_anonymous_to_sign_in(db):
    response = Client().get(reverse("api:docs"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
