"""A plan built from an empty page steers like the demo: a manager writes a quarter plan in the
browser, a rep reports on it, and the PACI and the cockpit show the figures worked out by hand."""

import re
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import timezone

from pac.core.models import Role
from tests.browser.conftest import form_ready
from tests.pac.factories import MembershipFactory, TeamFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def team(settings):
    """A team with nothing in it yet: a manager and a rep, as the administrator creates them."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    team = TeamFactory(name="Ventes Ouest")
    for username, first, last, role in [
        ("claire", "Claire", "Martin", Role.MANAGER),
        ("julien", "Julien", "Petit", Role.REP),
    ]:
        user = UserFactory(username=username, first_name=first, last_name=last, password="demo")
        MembershipFactory(team=team, user=user, role=role)
    return team


def test_a_quarter_plan_built_from_nothing_steers(chromium, live_server, sign_in, team):
    today = timezone.localdate()
    # A quarter that began 60 days ago: 60 of its 89 to 92 days are gone, 65,2 to 67,4 % of the
    # way expected whatever the months, so 35 % is off track on any day the test runs.
    start = today - timedelta(days=60)
    manager = chromium.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = manager.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, "claire")

    # The plan, from the plans list.
    page.goto(f"{live_server.url}/plans/")
    page.get_by_role("link", name="Nouveau plan").click()
    page.get_by_label("Titre").fill("PAC Ouest – trimestre")

    page.get_by_label(re.compile("Période")).select_option(label="Un trimestre")
    page.get_by_label("Début de période").fill(start.isoformat())
    page.get_by_role("button", name="Créer le plan").click()
    page.wait_for_url(re.compile(r"/plans/\d+/$"))
    plan_url = page.url
    # The quarter ends where the page says it does.
    period = re.search(
        r"(\d\d/\d\d/\d{4}) – (\d\d/\d\d/\d{4})", page.locator("#header").inner_text()
    )
    assert period[1] == f"{start:%d/%m/%Y}"
    day, month, year = map(int, period[2].split("/"))
    end = date(year, month, day)
    assert 88 <= (end - start).days <= 91

    # A target and its objective of 600 000 €, measured by the amounts won (the default in €).
    page.get_by_role("link", name="Ajouter une cible").click()
    targets = page.locator("#targets")
    # The form swapped in takes the keyboard focus, on its first field.
    form_ready(page)
    assert page.evaluate("document.activeElement.name") == "name"
    targets.get_by_label("Nom").fill("ETI industrielles")
    targets.get_by_label("Type").select_option(label="Segment de clientèle")
    targets.get_by_role("button", name="Enregistrer").click()
    targets.get_by_role("heading", name=re.compile("ETI industrielles")).wait_for()
    page.get_by_role("link", name="Ajouter un objectif").click()
    targets = page.locator("#targets")
    form_ready(page)
    assert page.evaluate("document.activeElement.name") == "title"  # the kind has its default
    targets.get_by_label("Titre").fill("Nouveau chiffre d'affaires ETI")
    targets.get_by_label("Indicateur").fill("Chiffre d'affaires signé")
    targets.get_by_label("Unité").fill("€")
    targets.get_by_label("Situation de départ").fill("0")
    targets.get_by_label("Valeur cible").fill("600000")
    targets.get_by_label("Échéance").fill(end.isoformat())
    targets.get_by_label("Responsable").select_option(label="Julien Petit")
    targets.get_by_role("button", name="Enregistrer").click()
    measured = page.locator('#targets [data-testid="measured-by"]')
    measured.wait_for()
    assert measured.inner_text() == "montant gagné"
    assert page.locator('[data-testid="unmeasurable"]').count() == 0

    # An action of the sales domain, from its block on the plan page, with a weekly KPI.
    page.get_by_test_id("add-action-sales").click()
    page.get_by_label("Titre").fill("Rendez-vous ETI")
    page.get_by_label("Cible").select_option(label="ETI industrielles")
    assert page.get_by_label("Domaine").input_value() == "sales"
    page.get_by_label("Type d'action commerciale").select_option("hunting")
    page.get_by_label("Responsable").select_option(label="Julien Petit")
    page.get_by_label("Date de début").fill(start.isoformat())
    page.get_by_label("Date de fin").fill(end.isoformat())
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(r"/actions/\d+/$"))
    page.get_by_role("link", name="Ajouter un KPI").click()
    form_ready(page)
    kpis = page.locator("#kpis")
    kpis.get_by_label("Nom").fill("Rendez-vous")
    kpis.get_by_label("Unité").fill("rendez-vous")
    kpis.get_by_label("Valeur cible").fill("15")
    kpis.get_by_label("Cible par période").check()
    kpis.get_by_label("Fréquence").select_option(label="Hebdomadaire")
    kpis.get_by_label("Responsable").select_option(label="Julien Petit")
    kpis.get_by_role("button", name="Enregistrer").click()
    page.locator("#kpis").get_by_text("15\xa0rendez-vous par semaine").wait_for()
    page.goto(plan_url)
    page.get_by_test_id("paci-links").get_by_role("link", name="Julien Petit").wait_for()
    manager.close()

    # The rep checks in 9 meetings this week and wins two deals on the target.
    rep = chromium.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = rep.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, "julien")
    page.wait_for_url(re.compile(r"/paci/julien/$"))
    paci_url = page.url
    kpi = page.locator("#kpis [data-kpi]").first
    kpi.get_by_role("link", name="Relever une valeur").click()
    form_ready(page)
    # The value to type takes the focus: the date is already today's.
    assert page.evaluate("document.activeElement.name") == "value"
    kpi = page.locator("#kpis [data-kpi]").first
    kpi.get_by_label("Valeur").fill("9")
    kpi.get_by_role("button", name="Enregistrer").click()
    page.locator('#kpis [data-testid="latest"]').filter(has_text="9").wait_for()
    for company, amount in [("Forges de l'Ouest", "120000"), ("Câbleries Morin", "90000")]:
        page.get_by_role("link", name="Ajouter une affaire").click()
        form_ready(page)
        deals = page.locator("#deals")
        deals.get_by_label("Entreprise").fill(company)
        deals.get_by_label("Cible").select_option(label="ETI industrielles")
        deals.get_by_label("Montant (€)").fill(amount)
        deals.get_by_label("Probabilité (%)").fill("100")
        deals.get_by_label("Étape").select_option(label="Gagnée")
        deals.get_by_label("Date jalon").fill(today.isoformat())
        deals.get_by_role("button", name="Enregistrer").click()
        page.locator("#deals").get_by_text(company).wait_for()

    # Worked out by hand: 120 000 + 90 000 = 210 000 € won of 600 000 €, 35,0 % of the way;
    # the pace expected today is the share of the quarter gone by; 390 000 € left to win.
    expected = (Decimal((today - start).days) / Decimal((end - start).days) * 100).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    expected_text = f"{expected}".replace(".", ",") + "\xa0%"
    standing = "En retard sur l'objectif"  # 35,0 % against at least 65,2 % expected
    page.goto(paci_url)
    objective = page.locator("#objectives [data-objective]").first
    assert objective.get_by_test_id("actual").inner_text() == "210\xa0000"
    assert objective.get_by_test_id("attainment").inner_text() == "35,0\xa0%"
    assert f"{expected_text} attendus à ce jour" in objective.inner_text()
    assert objective.locator("[data-standing]").inner_text() == standing
    assert objective.get_by_test_id("left-to-win").inner_text() == "390\xa0000\xa0€"
    weekly = page.locator("#kpis [data-kpi]").first
    # 9 this week against 15 a week: 60 %, behind whatever share of the action has gone.
    assert weekly.locator("[data-standing]").inner_text() == "En retard sur l'objectif"
    rep.close()

    # The manager's cockpit shows the same figures.
    manager = chromium.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = manager.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, "claire")
    page.goto(plan_url + "cockpit/")
    row = page.locator("#objectives [data-objective]").first
    assert row.get_by_test_id("actual").inner_text() == "210\xa0000\xa0€"
    assert f"35,0\xa0% / {expected_text}" in row.inner_text()
    assert row.locator("[data-standing]").inner_text() == standing
    julien = page.locator('[data-rep="julien"]')
    assert "35,0\xa0%" in julien.inner_text()
    assert "390\xa0000\xa0€" in julien.inner_text()
    off_track = page.locator("#attention [data-kpi]")
    assert off_track.count() == 1
    assert "Rendez-vous" in off_track.inner_text()
    assert page.get_by_test_id("off-track-count").inner_text() == "1"
    manager.close()
