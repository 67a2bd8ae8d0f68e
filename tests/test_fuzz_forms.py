"""Hostile values in every field of every form: never a 500.

Each door of the editor gets its valid data with one field at a time replaced by a value a fuzzer
would send (a NUL byte, an id too large for the database, year 9999, a number too large, an
infinity, an open right-to-left override...), as a plain post or through htmx. The answer is a
page (a 422 with the reason, or a save when the value is acceptable), never a server error.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.kpis.factories import KpiFactory
from tests.targets.factories import DealFactory
from tests.test_editor_permissions import DOORS, prepared

pytestmark = pytest.mark.django_db

HOSTILE = [
    "a\x00b",
    "99999999999999999999",
    "-99999999999999999999",
    "²",
    "9999-12-31",
    "0001-01-01",
    "1e309",
    "NaN",
    "x" * 5000,
    "\u202eevil",
    "line\r\nbreak",
]


@pytest.mark.parametrize("door", [door for door in DOORS if door.valid], ids=lambda door: door.name)
def test_no_hostile_value_in_any_field_ends_in_a_server_error(world, things, door):
    client = Client(raise_request_exception=False)
    client.force_login(world.manager)
    valid = prepared(door, things, "valid")
    # The hidden one-time token too: a hand-made post may put anything there.
    fields = [name for name in valid if name != "version"] + ["once"]
    for field in fields:
        for index, value in enumerate(HOSTILE):
            # Plain posts and htmx in turn: both go through the same validation.
            headers = {"HX-Request": "true"} if index % 2 else {}
            response = client.post(door.url(things), valid | {field: value}, headers=headers)
            assert response.status_code < 500, (door.name, field, value[:20], headers)


def test_no_hostile_value_in_a_paci_form_ends_in_a_server_error(world, things):
    """The rep's own forms on their PACI: progress report, check-in, deals."""
    rep = world.other_rep
    plan, action = things["plan"], things["action"]
    kpi = KpiFactory(action=action, owner=rep)
    deal = DealFactory(plan=plan, owner=rep, target=things["target"])
    forms = {
        reverse("actions:paci-action-report", args=[plan.pk, rep.username, action.pk]): {
            "status": "in_progress",
            "progress": "40",
            "occurrences_done": "0",
            "budget_actual": "0",
            "version": str(action.version),
        },
        reverse("kpis:paci-kpi-value-create", args=[plan.pk, rep.username, kpi.pk]): {
            "recorded_on": "2027-01-10",
            "value": "5",
            "comment": "",
        },
        reverse("targets:paci-deal-create", args=[plan.pk, rep.username]): {
            "company": "Fonderie",
            "amount": "1000",
            "probability": "40",
            "stage": "proposal",
            "milestone_date": "2027-04-15",
            "owner": str(rep.pk),
        },
        reverse("targets:paci-deal-update", args=[plan.pk, rep.username, deal.pk]): {
            "company": "Fonderie",
            "amount": "1000",
            "probability": "40",
            "stage": "proposal",
            "milestone_date": "2027-04-15",
            "owner": str(rep.pk),
            "version": str(deal.version),
        },
    }
    client = Client(raise_request_exception=False)
    client.force_login(rep)
    for url, valid in forms.items():
        for field in valid:
            for index, value in enumerate(HOSTILE):
                headers = {"HX-Request": "true"} if index % 2 else {}
                response = client.post(url, valid | {field: value}, headers=headers)
                # The form was reached (not a 404 for the wrong person), and answered.
                assert response.status_code in {200, 302, 409, 422}, (url, field, value[:20])


PARAMETERS = [
    "page",
    "deals_page",
    "kpis_page",
    "bucket",
    "kpis_of",
    "section",
    "quadrant",
    "domain",
    "days",
    "month",
    "owner",
    "target",
    "status",
    "sales_type",
    "scope",
    "group",
    "window",
]
PAGES = [
    ("pac:plan-detail", []),
    ("pac:plan-budget", []),
    ("pac:plan-history", []),
    ("pac:cockpit", []),
    ("pac:calendar", []),
    ("pac:timeline", []),
    ("pac:horizon", []),
    ("pac:review-list", []),
    ("actions:action-list", []),
    ("pac:paci", ["rep"]),
    ("actions:action-create", []),
    ("pac:swot-create", []),
]


@pytest.mark.parametrize(("name", "extra"), PAGES, ids=[name for name, _extra in PAGES])
def test_no_hostile_query_parameter_ends_in_a_server_error(world, things, name, extra):
    client = Client(raise_request_exception=False)
    client.force_login(world.manager)
    url = reverse(name, args=[things["plan"].pk, *[getattr(world, who).username for who in extra]])
    for parameter in PARAMETERS:
        for index, value in enumerate(HOSTILE):
            headers = {"HX-Request": "true"} if index % 2 else {}
            response = client.get(url, {parameter: value}, headers=headers)
            assert response.status_code in {200, 302, 404}, (name, parameter, value[:20], headers)
