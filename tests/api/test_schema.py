"""The API against its own OpenAPI schema (schemathesis): requests drawn from the schema, on a
plan built through the services and read with a manager's token, never meet a server error, and
every answer (status, content type, body) is one the schema describes. Bounded: a few examples
an operation, drawn the same way on every run."""

from datetime import timedelta
from decimal import Decimal

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from actions import services as actions
from kpis import services as kpis
from pac.core.tokens import token_create
from pac.plans import services as plans
from pac.steering import services as steering
from targets import services as targets
from tests.builders import kpi_fields, objective_fields, sheet

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def build(world):
    """A plan of the team with one of each thing the API reads, through the services."""
    today = timezone.localdate()
    manager, rep = world.manager, world.rep
    plan = plans.plan_create(
        actor=manager,
        team=world.team,
        title="PAC du moment",
        period_start=today - timedelta(days=60),
        period_end=today + timedelta(days=60),
        budget_envelope=Decimal("5000"),
    )
    target = targets.target_create(
        actor=manager, plan=plan, data={"name": "PME", "kind": "segment", "priority": 1}
    )
    objective = targets.objective_create(actor=manager, target=target, data=objective_fields(rep))
    kpi = kpis.kpi_create(actor=manager, objective=objective, data=kpi_fields(rep))
    kpis.kpi_value_record(actor=rep, kpi=kpi, value=Decimal("18"), on=today - timedelta(days=3))
    action = actions.action_create(
        actor=manager,
        plan=plan,
        data=sheet(target, "Salon", rep, today - timedelta(days=10), today + timedelta(days=10)),
    )
    actions.step_create(
        actor=manager,
        action=action,
        data={"title": "Appeler", "owner": rep, "due_date": today, "done": False},
    )
    deal = targets.deal_create(
        actor=manager,
        plan=plan,
        data={
            "company": "Fonderie Lemaire",
            "contact": "",
            "nature": "",
            "target": target,
            "amount": Decimal("12000"),
            "probability": 40,
            "stage": "proposal",
            "milestone_date": today + timedelta(days=10),
            "owner": rep,
        },
    )
    steering.review_create(
        actor=manager,
        plan=plan,
        data={"held_on": today, "other_attendees": "", "findings": "RAS", "decisions": ""},
    )
    return {"id": plan.pk, "deal_pk": deal.pk, "kpi": kpi.pk}


# Drawn from the views when the tests are collected; served to the requests by the application
# itself (WSGI), inside each test's transaction.
schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(public=True))
schema.app = WSGIHandler()


@pytest.fixture
def api(world):
    """The rows the requests name, and a manager's token."""
    ids = build(world)
    _, secret = token_create(actor=world.manager, name="schemathesis")
    # Django's test client does the same: a request's end must not close the test's connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield ids, secret
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=6,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_as_its_schema_says(case, api):
    """On the plan's real rows (ids drawn at random would only meet 404s)."""
    known, secret = api
    parameters = case.path_parameters or {}
    if "id" in parameters:
        parameters["id"] = known["kpi"] if case.path.startswith("/api/kpis/") else known["id"]
    if "deal_pk" in parameters:
        parameters["deal_pk"] = known["deal_pk"]
    case.call_and_validate(headers={"Authorization": f"Bearer {secret}"}, checks=CHECKS)
