"""The plan editor in a real Chromium: in-place swaps, the action sheet, and a conflict."""

import re

import pytest

from actions.models import Action
from tests.browser.conftest import form_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_swot_item_is_added_in_place(page, live_server, sign_in, demo):
    sign_in(page, "manager")
    page.goto(f"{live_server.url}{demo.get_absolute_url()}")
    # A full page load would wipe this marker; an htmx swap keeps it.
    page.evaluate("window.stillHere = true")
    threats = page.locator('[data-quadrant="threat"]')
    threats.get_by_role("link", name="Ajouter").click()
    field = threats.get_by_label("Texte")
    form_ready(page)
    field.fill("Arrivée d'un acteur américain sur le marché")
    threats.get_by_role("button", name="Enregistrer").click()
    item = threats.get_by_text("Arrivée d'un acteur américain sur le marché")
    item.wait_for()
    assert threats.locator(".swot-item").last.inner_text().startswith("• Arrivée")
    assert page.evaluate("window.stillHere") is True
    assert page.console_errors == []


def test_an_empty_swot_item_is_refused_in_place(page, live_server, sign_in, demo):
    sign_in(page, "manager")
    page.goto(f"{live_server.url}{demo.get_absolute_url()}")
    strengths = page.locator('[data-quadrant="strength"]')
    count = strengths.locator(".swot-item").count()
    strengths.get_by_role("link", name="Ajouter").click()
    strengths.get_by_role("button", name="Enregistrer").click()
    strengths.locator(".invalid-feedback").wait_for()
    assert "Ce champ est obligatoire." in strengths.locator(".invalid-feedback").inner_text()
    assert strengths.locator(".swot-item").count() == count


def test_a_manager_creates_an_action_with_two_steps_and_finds_it_grouped(
    page, live_server, sign_in, demo
):
    sign_in(page, "manager")
    page.goto(f"{live_server.url}/plans/{demo.pk}/actions/new/")
    page.get_by_label("Titre").fill("Démonstration SOC chez Plasturgie Renard")
    page.get_by_label("Cible").select_option(label="Offre cybersécurité managée (SOC)")
    page.get_by_label("Domaine").select_option("sales")
    page.get_by_label("Type d'action commerciale").select_option("hunting")
    page.get_by_label("Responsable").select_option(label="Karim Haddad")
    page.get_by_label("Budget prévu (€)").fill("1200")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(r"/actions/\d+/$"))
    action = Action.objects.get(title="Démonstration SOC chez Plasturgie Renard")
    for title in ["Préparer le scénario", "Présenter au RSSI"]:
        page.get_by_role("link", name="Ajouter une étape").click()
        form_ready(page)
        steps = page.locator("#steps")
        steps.get_by_label("Titre").fill(title)
        steps.get_by_role("button", name="Enregistrer").click()
        steps.get_by_text(title).wait_for()
    assert list(action.steps.values_list("title", flat=True)) == [
        "Préparer le scénario",
        "Présenter au RSSI",
    ]
    page.goto(f"{live_server.url}/plans/{demo.pk}/actions/?group=rep")
    karim = page.locator("section", has=page.get_by_role("heading", name="Karim Haddad"))
    row = karim.get_by_role("row", name="Démonstration SOC chez Plasturgie Renard")
    assert "0/2" in row.inner_text()
    # Switching the grouping swaps the results in place and keeps the choice in the URL.
    page.get_by_label("Regrouper").select_option("target")
    page.wait_for_url("**group=target**")
    soc = page.locator(
        "section", has=page.get_by_role("heading", name="Offre cybersécurité managée (SOC)")
    )
    soc.get_by_role("link", name="Démonstration SOC chez Plasturgie Renard").wait_for()


def test_two_pages_saving_the_same_action_show_a_conflict(chromium, live_server, demo, sign_in):
    action = Action.objects.filter(target__plan=demo).order_by("pk").first()
    url = f"{live_server.url}/plans/{demo.pk}/actions/{action.pk}/edit/"
    pages = []
    for username in ["manager", "admin"]:
        context = chromium.new_context(locale="fr-FR")
        page = context.new_page()
        sign_in(page, username)
        page.goto(url)
        pages.append(page)
    claire, admin = pages
    claire.get_by_label("Titre").fill("Étude des besoins – version de Claire")
    claire.get_by_role("button", name="Enregistrer").click()
    claire.wait_for_url(f"**/actions/{action.pk}/")

    admin.get_by_label("Titre").fill("Étude des besoins – version de l'admin")
    admin.get_by_role("button", name="Enregistrer").click()
    conflict = admin.get_by_test_id("conflict")
    conflict.wait_for()
    assert "Claire Martin a enregistré ceci" in conflict.inner_text()
    assert "Étude des besoins – version de Claire" in conflict.inner_text()
    action.refresh_from_db()
    assert action.title == "Étude des besoins – version de Claire"

    admin.get_by_role("button", name="Enregistrer quand même mes valeurs").click()
    admin.wait_for_url(f"**/actions/{action.pk}/")
    action.refresh_from_db()
    assert action.title == "Étude des besoins – version de l'admin"
    for page in pages:
        page.context.close()
