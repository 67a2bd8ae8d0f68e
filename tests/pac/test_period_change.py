"""A new period for a plan never leaves its content outside it unsaid: what falls outside is
listed and nothing is saved, unless the manager shifts the dates; values measured on their days
are never moved."""

from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from actions import services as actions
from actions.models import Action, ActionStep
from kpis import services as kpis
from kpis.models import KpiValue
from pac.core.models import Plan
from targets import services as targets
from targets.models import Deal, Objective
from tests.builders import kpi_fields, objective_fields, sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(world):
    """The world's plan, 01/01 – 30/06/2027, with one of each dated row, made through the
    services."""
    manager, plan = world.manager, world.plan
    target = targets.target_create(
        actor=manager, plan=plan, data={"name": "PME", "kind": "segment", "priority": 1}
    )
    action = actions.action_create(
        actor=manager,
        plan=plan,
        data=sheet(target, "Salon", world.rep, date(2027, 2, 1), date(2027, 4, 30)),
    )
    actions.step_create(
        actor=manager,
        action=action,
        data={"title": "Réserver", "owner": None, "due_date": date(2027, 2, 15), "done": False},
    )
    targets.deal_create(
        actor=manager,
        plan=plan,
        data={
            "milestone_date": date(2027, 3, 15),
            "company": "Fonderie Lemaire",
            "contact": "",
            "nature": "",
            "amount": Decimal("1000"),
            "probability": 50,
            "stage": Deal.Stage.PROPOSAL,
            "target": target,
            "owner": world.rep,
        },
    )
    targets.objective_create(
        actor=manager,
        target=target,
        data=objective_fields(
            world.rep,
            title="Clients",
            unit="clients",
            baseline=Decimal("0"),
            target_value=Decimal("8"),
            deadline=date(2027, 6, 30),
            measured_by=Objective.Measure.WON_COUNT,
        ),
    )
    plan.refresh_from_db()
    return action


def header(plan, start, end, **extra):
    return {
        "title": plan.title,
        "period_start": start,
        "period_end": end,
        "budget_envelope": "50000",
        "version": plan.version,
    } | extra


def dates():
    action = Action.objects.get()
    return (
        action.start_date,
        action.end_date,
        ActionStep.objects.get().due_date,
        Deal.objects.get().milestone_date,
        Objective.objects.get().deadline,
    )


def test_a_period_that_leaves_content_outside_says_what_and_saves_nothing(world, login, content):
    plan = world.plan
    response = login(world.manager).post(
        reverse("pac:plan-update", args=[plan.pk]),
        header(plan, "2031-01-01", "2031-06-30"),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    text = unescape(response.content.decode())
    assert (
        "Hors de la nouvelle période (01/01/2031 – 30/06/2031) : 1 action, 1 étape, 1 affaire, "
        "1 échéance d'objectif." in text
    )
    assert 'data-testid="shift-dates"' in text
    plan.refresh_from_db()
    assert (plan.period_start, plan.period_end) == (date(2027, 1, 1), date(2027, 6, 30))


def test_shifting_moves_every_date_by_the_gap_between_the_starts(world, login, content):
    plan = world.plan
    response = login(world.manager).post(
        reverse("pac:plan-update", args=[plan.pk]),
        header(plan, "2031-01-01", "2031-06-30", shift_dates="1"),
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.period_start, plan.period_end) == (date(2031, 1, 1), date(2031, 6, 30))
    # 01/01/2027 → 01/01/2031 is 1 461 days (2028 is a leap year): the same days four years on.
    assert dates() == (
        date(2031, 2, 1),
        date(2031, 4, 30),
        date(2031, 2, 15),
        date(2031, 3, 15),
        date(2031, 6, 30),
    )
    latest = Action.history.filter(id=content.pk).first()
    assert (latest.end_date, latest.history_user) == (date(2031, 4, 30), world.manager)


def test_an_edit_opened_before_the_shift_meets_a_conflict(world, login, content):
    """The shift moved the action on a version: a sheet opened before cannot write its old dates
    back over it without a word."""
    plan = world.plan
    opened = content.version
    client = login(world.manager)
    client.post(
        reverse("pac:plan-update", args=[plan.pk]),
        header(plan, "2031-01-01", "2031-06-30", shift_dates="1"),
    )
    response = client.post(
        reverse("actions:action-update", args=[plan.pk, content.pk]),
        {
            "title": "Salon",
            "target": content.target_id,
            "domain": "sales",
            "sales_type": "hunting",
            "owner": world.rep.pk,
            "start_date": "2031-02-01",
            "end_date": "2031-04-30",
            "budget_planned": "0",
            "budget_actual": "0",
            "occurrences_done": "0",
            "status": "in_progress",
            "progress": "0",
            "version": opened,
        },
    )
    assert response.status_code == 409


def test_a_shorter_period_keeps_the_dates_inside_it(world, login, content):
    plan = world.plan
    login(world.manager).post(
        reverse("pac:plan-update", args=[plan.pk]),
        header(plan, "2027-01-01", "2027-03-31", shift_dates="1"),
    )
    # Same start: nothing moves but what ran past the new end, brought back to it.
    assert dates() == (
        date(2027, 2, 1),
        date(2027, 3, 31),
        date(2027, 2, 15),
        date(2027, 3, 15),
        date(2027, 3, 31),
    )


def test_a_period_that_would_leave_kpi_values_outside_is_refused(world, login, content):
    plan = world.plan
    kpi = kpis.kpi_create(
        actor=world.manager,
        action=content,
        data=kpi_fields(world.rep, name="Visites", unit="visites", target_value=Decimal("10")),
    )
    # Recorded on days of 2027 that have not come yet: written as a past import would.
    for day, value in [(date(2027, 2, 28), 4), (date(2027, 3, 31), 6)]:
        KpiValue.objects.create(kpi=kpi, recorded_on=day, value=value, recorded_by=world.rep)
    response = login(world.manager).post(
        reverse("pac:plan-update", args=[plan.pk]),
        header(plan, "2031-01-01", "2031-06-30", shift_dates="1"),
    )
    assert response.status_code == 422
    assert (
        "2 valeurs de KPI ont été relevées hors de la nouvelle période (01/01/2031 – "
        "30/06/2031), du 28/02/2027 au 31/03/2027" in unescape(response.content.decode())
    )
    assert Plan.objects.get(pk=plan.pk).period_start == date(2027, 1, 1)
    assert dates()[0] == date(2027, 2, 1)


def test_a_period_that_holds_everything_needs_no_question(world, login, content):
    plan = world.plan
    response = login(world.manager).post(
        reverse("pac:plan-update", args=[plan.pk]), header(plan, "2026-12-01", "2027-07-31")
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.period_start, plan.period_end) == (date(2026, 12, 1), date(2027, 7, 31))
    assert dates()[0] == date(2027, 2, 1)


def test_a_period_that_ends_before_it_starts_is_refused_beside_its_end(world, login):
    """One rule (pac.core.periods.span_errors) for the header, a new plan and a duplicate."""
    plan = world.plan
    client = login(world.manager)
    header_form = client.post(
        reverse("pac:plan-update", args=[plan.pk]),
        header(plan, "2027-06-30", "2027-06-30"),
        headers={"HX-Request": "true"},
    ).context["form"]
    created = client.post(
        reverse("pac:plan-create"),
        {
            "team": world.team.pk,
            "title": "PAC à l'envers",
            "period_kind": "custom",
            "period_start": "2028-06-30",
            "period_end": "2028-01-01",
            "budget_envelope": "0",
        },
    ).context["form"]
    for form in (header_form, created):
        assert form.errors["period_end"] == ["La période doit se terminer après son début."]
        assert "__all__" not in form.errors
    plan.refresh_from_db()
    assert (plan.period_start, plan.period_end) == (date(2027, 1, 1), date(2027, 6, 30))
    assert not Plan.objects.filter(title="PAC à l'envers").exists()
