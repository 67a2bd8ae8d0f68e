"""Every objective created in the app says how it is measured, and never by something that
cannot give it a figure. Built through the views, from an empty target."""

import importlib
from datetime import date, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from kpis import services as kpis
from kpis.measures import objectives_progress
from kpis.models import Kpi
from pac.steering import selectors as steering
from targets import services
from targets.models import Assessment, Objective
from targets.progress import Standing
from tests.builders import kpi_fields, objective_fields
from tests.kpis.factories import KpiFactory, KpiValueFactory
from tests.targets.factories import DealFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def target(world):
    return services.target_create(
        actor=world.manager,
        plan=world.plan,
        data={"name": "ETI", "kind": "segment", "priority": 1},
    )


def objective_data(**changes):
    return {
        "kind": "quantitative",
        "title": "Nouveau chiffre d'affaires",
        "metric": "Chiffre d'affaires signé",
        "unit": "€",
        "baseline": "0",
        "target_value": "600000",
        "deadline": "2027-06-30",
    } | changes


def create(client, target, **changes):
    url = reverse("targets:objective-create", args=[target.plan_id, target.pk])
    return client.post(url, objective_data(**changes), headers=HTMX)


def test_an_objective_in_euros_is_measured_by_the_amount_won_by_default(world, login, target):
    response = create(login(world.manager), target, owner=world.rep.pk)
    assert response.status_code == 200
    objective = Objective.objects.get()
    assert (objective.measured_by, objective.measure_kpi) == (Objective.Measure.WON_AMOUNT, None)
    assert not objective.unmeasurable
    assert "montant gagné" in response.text


def test_any_other_objective_opens_the_form_of_the_kpi_that_will_measure_it(world, login, target):
    client = login(world.manager)
    response = create(
        client, target, unit="clients", target_value="8", title="Clients", metric="Nouveaux clients"
    )
    objective = Objective.objects.get()
    kpi_url = reverse("kpis:objective-kpi-create", args=[target.plan_id, objective.pk])
    # htmx follows the location into the targets section, with the KPI's form opened there.
    assert response.status_code == 200
    assert kpi_url in response["HX-Location"]
    assert objective.unmeasurable
    form = client.get(kpi_url, headers=HTMX)
    assert form.status_code == 200
    assert 'value="Nouveaux clients"' in form.text  # prefilled from the objective
    assert 'value="8"' in form.text
    saved = client.post(
        kpi_url,
        {
            "name": "Nouveaux clients",
            "unit": "clients",
            "target_value": "8",
            "direction": "increase",
            "frequency": "monthly",
        },
        headers=HTMX,
    )
    assert saved.status_code == 200
    objective.refresh_from_db()
    assert objective.measure_kpi == Kpi.objects.get(objective=objective)
    assert not objective.unmeasurable
    assert "mesure l'objectif" in unescape(saved.text)


def test_without_htmx_the_kpi_form_opens_on_the_plan_page(world, login, target):
    url = reverse("targets:objective-create", args=[target.plan_id, target.pk])
    response = login(world.manager).post(url, objective_data(unit="%", target_value="25"))
    objective = Objective.objects.get()
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("kpis:objective-kpi-create", args=[target.plan_id, objective.pk]) + "#targets"
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"measured_by": "won_count"},
            "Un nombre d'affaires ne se compte pas en euros",
        ),
        (
            {"measured_by": "won_amount", "unit": "%"},
            "Le montant gagné se compte en euros",
        ),
        ({"measured_by": "kpi:999"}, "Sélectionnez un choix valide"),
    ],
)
def test_a_measure_that_cannot_give_the_figure_is_refused_beside_its_field(
    world, login, target, changes, message
):
    response = login(world.manager).post(
        reverse("targets:objective-create", args=[target.plan_id, target.pk]),
        objective_data(**changes),
    )
    assert response.status_code == 422
    assert message in unescape(response.content.decode())
    assert 'id="error_1_id_measured_by"' in response.text
    assert not Objective.objects.exists()


def objective_with_kpis(world, target, *names, per_period=()):
    objective = services.objective_create(
        actor=world.manager, target=target, data=objective_fields(world.rep)
    )
    for name in names:
        kpis.kpi_create(
            actor=world.manager,
            objective=objective,
            data=kpi_fields(world.rep, name=name, per_period=name in per_period),
        )
    objective.refresh_from_db()
    return objective


def test_the_form_offers_the_objective_own_kpis_but_not_those_per_period(world, login, target):
    objective = objective_with_kpis(
        world, target, "Transformation", "Rendez-vous", per_period={"Rendez-vous"}
    )
    first, weekly = objective.kpis.order_by("pk")
    assert objective.measure_kpi == first  # the first KPI added measures it
    url = reverse("targets:objective-update", args=[target.plan_id, objective.pk])
    page = login(world.manager).get(url, headers=HTMX).text
    assert f'value="kpi:{first.pk}" selected' in page
    assert f"kpi:{weekly.pk}" not in page


def test_deleting_the_kpi_that_measures_an_objective_hands_over_or_says_so(world, login, target):
    objective = objective_with_kpis(world, target, "Transformation", "Transformation (CRM)")
    first, second = objective.kpis.order_by("pk")
    client = login(world.manager)

    def delete(kpi):
        url = reverse("kpis:objective-kpi-delete", args=[target.plan_id, objective.pk, kpi.pk])
        return client.post(url, headers=HTMX)

    delete(first)
    objective.refresh_from_db()
    assert objective.measure_kpi == second
    page = delete(second).text
    objective.refresh_from_db()
    assert objective.unmeasurable
    assert "Cet objectif n'a pas encore de chiffre" in unescape(page)
    fix = reverse("kpis:objective-kpi-create", args=[target.plan_id, objective.pk])
    assert f'data-hx-get="{fix}"' in page
    cockpit = client.get(reverse("pac:cockpit", args=[target.plan_id])).text
    assert "Mesuré par un KPI qu'il n'a pas." in unescape(cockpit)
    assert f"{fix}#targets" in cockpit


def test_a_kpi_per_period_cannot_become_the_measure(world, login, target):
    objective = objective_with_kpis(world, target, "Transformation")
    kpi = objective.measure_kpi
    url = reverse("kpis:objective-kpi-update", args=[target.plan_id, objective.pk, kpi.pk])
    response = login(world.manager).post(
        url,
        {
            "name": kpi.name,
            "unit": "%",
            "target_value": "25",
            "per_period": "on",
            "frequency": "weekly",
            "direction": "increase",
            "version": kpi.version,
        },
        headers=HTMX,
    )
    assert response.status_code == 422
    assert "sa cible ne peut pas être par période" in unescape(response.content.decode())
    kpi.refresh_from_db()
    assert not kpi.per_period


def test_a_qualitative_objective_is_assessed_by_the_manager(world, login, target):
    client = login(world.manager)
    create(client, target, kind="qualitative", title="Être le partenaire des DSI", unit="")
    objective = Objective.objects.get()
    assert objective.measured_by == Objective.Measure.ASSESSMENT
    item = objectives_progress(world.plan, Objective.objects.all(), timezone.localdate())[0]
    assert item.standing == Standing.UNMEASURED
    url = reverse("targets:objective-assess", args=[target.plan_id, objective.pk])
    # The form opens on today's date, as a check-in does.
    opened = client.get(url, headers=HTMX)
    assert f'value="{timezone.localdate().isoformat()}"' in opened.text
    tomorrow = timezone.localdate() + timedelta(days=1)
    refused = client.post(url, {"verdict": "partly", "assessed_on": tomorrow.isoformat()})
    assert refused.status_code == 422
    assert "Évaluez un objectif à une date déjà venue." in refused.content.decode()
    # A day that has come, within a month of the plan's period (it starts on 01/01/2027).
    day = date(2026, 12, 1)
    response = client.post(
        url,
        {"verdict": "partly", "assessed_on": day.isoformat(), "comment": "Deux DSI sur cinq"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "Partiellement atteint" in response.text
    assessment = Assessment.objects.get()
    assert (assessment.recorded_by, assessment.assessed_on) == (world.manager, day)
    item = objectives_progress(world.plan, Objective.objects.all(), timezone.localdate())[0]
    assert item.standing == Standing.AT_RISK
    assert item.assessment == (Assessment.Verdict.PARTLY, day, "Deux DSI sur cinq")
    cockpit = unescape(client.get(reverse("pac:cockpit", args=[target.plan_id])).text)
    assert f"Évalué « Partiellement atteint » le {day:%d/%m/%Y} — Deux DSI sur cinq" in cockpit


def test_a_quantitative_objective_is_not_assessed(world, login, target):
    create(login(world.manager), target)
    url = reverse("targets:objective-assess", args=[target.plan_id, Objective.objects.get().pk])
    assert login(world.manager).get(url).status_code == 404


def test_a_revenue_objective_measured_by_a_kpi_has_what_is_left_to_win(world, target):
    revenue = {"unit": "€", "target_value": Decimal("500000")}
    objective = services.objective_create(
        actor=world.manager,
        target=target,
        data=objective_fields(
            world.rep,
            title="Chiffre d'affaires du compte",
            metric="Chiffre d'affaires",
            baseline=Decimal("420000"),
            **revenue,
        ),
    )
    kpi = kpis.kpi_create(
        actor=world.manager,
        objective=objective,
        data=kpi_fields(world.rep, name="Chiffre d'affaires", **revenue),
    )
    KpiValueFactory(kpi=kpi, recorded_on=world.plan.period_start, value=Decimal("470000"))
    DealFactory(
        plan=world.plan, target=target, owner=world.rep, amount=Decimal("10000"), probability=50
    )
    figures = steering.cockpit(world.plan, world.plan.period_start + timedelta(days=30))
    [rep] = [row for row in figures["reps"] if row.rep == world.rep]
    # 500 000 − 470 000 = 30 000 € left; 10 000 × 50 % = 5 000 € weighted: 16,7 → 17 %.
    assert rep.to_win == Decimal("30000")
    assert rep.pipeline == Decimal("5000.00")
    assert rep.coverage == Decimal("17")


def test_a_blank_measure_on_an_existing_objective_keeps_its_measure(world, login, target):
    client = login(world.manager)
    create(client, target, measured_by="won_amount")
    objective = Objective.objects.get()
    url = reverse("targets:objective-update", args=[target.plan_id, objective.pk])
    response = client.post(
        url, objective_data(measured_by="", title="Renommé", version=objective.version)
    )
    assert response.status_code == 302
    objective.refresh_from_db()
    assert (objective.title, objective.measured_by) == ("Renommé", Objective.Measure.WON_AMOUNT)


def test_a_qualitative_objective_has_no_kpi_to_add(world, login, target):
    client = login(world.manager)
    create(client, target, kind="qualitative", title="Être le partenaire des DSI", unit="")
    url = reverse("kpis:objective-kpi-create", args=[target.plan_id, Objective.objects.get().pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "X", "unit": "x", "target_value": "1"}).status_code == 404
    assert not Kpi.objects.exists()


def test_a_cost_in_euros_to_bring_down_has_nothing_to_win(world, target):
    cost = {"unit": "€", "target_value": Decimal("600")}
    objective = services.objective_create(
        actor=world.manager,
        target=target,
        data=objective_fields(
            world.rep, title="Coût d'acquisition", baseline=Decimal("900"), **cost
        ),
    )
    kpi = kpis.kpi_create(
        actor=world.manager,
        objective=objective,
        data=kpi_fields(world.rep, name="Coût par client", direction="decrease", **cost),
    )
    KpiValueFactory(kpi=kpi, recorded_on=world.plan.period_start, value=Decimal("750"))
    [item] = objectives_progress(world.plan, Objective.objects.all(), world.plan.period_start)
    assert item.actual == Decimal("750.00")
    assert item.left_to_win is None
    assert item.attainment == Decimal("50.0")  # 900 → 600, at 750: half the way


def test_deleting_a_kpi_measures_by_the_next_even_if_the_objective_breaks_a_later_rule(
    world, login, target
):
    """Its owner became a viewer since: the objective could not be saved whole, yet losing its
    KPI must not fail."""
    objective = objective_with_kpis(world, target, "Transformation", "Transformation (CRM)")
    first, second = objective.kpis.order_by("pk")
    world.rep.memberships.update(role="viewer")
    url = reverse("kpis:objective-kpi-delete", args=[target.plan_id, objective.pk, first.pk])
    response = login(world.manager).post(url, headers=HTMX)
    assert response.status_code == 200
    objective.refresh_from_db()
    assert objective.measure_kpi == second
    assert objective.history.first().history_user == world.manager


def test_the_migration_measures_the_objectives_made_before(world, target):
    """Before, every objective was "measured by its KPI", and only the admin could say otherwise."""
    migration = importlib.import_module("targets.migrations.0006_measures_and_assessments")
    objectives = {
        name: ObjectiveFactory(target=target, title=name, unit=unit, measured_by="kpi")
        for name, unit in [("en euros", "€"), ("en clients", "clients"), ("avec KPI", "%")]
    }
    kpi = KpiFactory(action=None, objective=objectives["avec KPI"])
    Objective.objects.filter(pk=objectives["avec KPI"].pk).update(measure_kpi=None)
    migration.measure_existing(django_apps, None)
    measured = {o.title: (o.measured_by, o.measure_kpi) for o in Objective.objects.all()}
    assert measured == {
        "en euros": (Objective.Measure.WON_AMOUNT, None),
        "en clients": (Objective.Measure.KPI, None),  # the pages offer to add its KPI
        "avec KPI": (Objective.Measure.KPI, kpi),
    }


def test_the_plan_page_lists_the_first_kpis_of_an_objective_and_the_rest_on_request(
    world, login, target
):
    names = [f"KPI {letter}" for letter in "ABCDE"]
    objective = objective_with_kpis(world, target, *names)
    client = login(world.manager)
    page = client.get(world.plan.get_absolute_url()).text
    assert [name for name in names if f"<strong>{name}</strong>" in page] == names[:3]
    assert "Voir les 5 KPI de « Taux de transformation »" in unescape(page)
    every = client.get(f"{world.plan.get_absolute_url()}?section=targets&kpis_of={objective.pk}")
    assert [name for name in names if f"<strong>{name}</strong>" in every.text] == names
    last = objective.kpis.get(name="KPI E")
    url = reverse("kpis:objective-kpi-update", args=[world.plan.pk, objective.pk, last.pk])
    form = client.get(url, headers=HTMX).text
    assert 'value="KPI E"' in form  # the one being edited shows, beyond the first three
    odd = client.get(f"{world.plan.get_absolute_url()}?kpis_of=%C2%B2")
    assert odd.status_code == 200
