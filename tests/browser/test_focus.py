"""The keyboard focus after each kind of htmx swap: a form opened in place takes it on its first
field; once saved or cancelled it goes back to the item's control; after a deletion, to the
heading of the part of the page the item was in. It never falls to <body>."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import form_ready
from tests.browser.pages import build_full_plan, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def full(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_full_plan()


def url(name, full, *args):
    return reverse(name, args=[full.plan.pk, *args])


def link(page, href):
    return page.locator(f'a[href="{href}"]')


def not_on_body(page):
    assert page.evaluate("document.activeElement !== document.body")


def test_the_header_and_the_strategy_take_and_give_back_the_focus(page, live_server, full):
    sign_in(page, live_server.url, "claire")
    page.goto(f"{live_server.url}{full.plan.get_absolute_url()}")

    edit_header = link(page, url("pac:plan-update", full))
    edit_header.click()
    form_ready(page)
    assert page.evaluate("document.activeElement.name") == "title"
    page.locator("#header").get_by_role("link", name="Annuler").click()
    expect(edit_header).to_be_focused()

    edit_strategy = link(page, url("pac:plan-strategy", full))
    # Its name says what it edits, and the heading reads without it.
    assert edit_strategy.get_attribute("aria-label") == "Modifier «\xa0Rappel de la stratégie\xa0»"
    assert page.locator("#strategy h2").inner_text() == "Rappel de la stratégie"
    edit_strategy.click()
    form_ready(page)
    assert page.evaluate("document.activeElement.name") == "strategy"
    page.locator("#strategy textarea[name=strategy]").fill("Les ETI d'abord.")
    page.locator("#strategy").get_by_role("button", name="Enregistrer").click()
    expect(edit_strategy).to_be_focused()
    expect(page.locator("#strategy")).to_contain_text("Les ETI d'abord.")


def test_a_swot_item_keeps_the_focus_through_edit_move_and_delete(page, live_server, full):
    sign_in(page, live_server.url, "claire")
    page.goto(f"{live_server.url}{full.plan.get_absolute_url()}")
    item = full.swot_item
    edit = link(page, url("pac:swot-update", full, item.pk))
    assert edit.get_attribute("aria-label") == (
        "Modifier «\xa0Expertise reconnue en cybersécurité…\xa0»"
    )

    edit.click()
    form_ready(page)
    assert page.evaluate("document.activeElement.name") == "text"
    page.locator("#swot [name=text]").fill("Expertise OT reconnue")
    page.locator("#swot").get_by_role("button", name="Enregistrer").click()
    expect(edit).to_be_focused()

    # Moved down, the item's own "down" button is gone (it is last): its "up" one has the focus.
    move = page.get_by_role("button", name="Descendre «\xa0Expertise OT reconnue\xa0»")
    move.click()
    expect(
        page.get_by_role("button", name="Monter «\xa0Expertise OT reconnue\xa0»")
    ).to_be_focused()

    # Deleted, the focus goes to its quadrant's heading.
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Supprimer «\xa0Expertise OT reconnue\xa0»").click()
    expect(page.locator("#swot-strength h3")).to_be_focused()
    expect(page.locator("#swot-strength")).not_to_contain_text("Expertise OT reconnue")


def test_adding_comes_back_to_the_add_button_and_an_error_takes_the_focus(page, live_server, full):
    sign_in(page, live_server.url, "claire")
    page.goto(f"{live_server.url}{full.plan.get_absolute_url()}")
    add = page.locator('[data-quadrant="threat"]').get_by_role("link", name="Ajouter")
    add.click()
    form_ready(page)
    threats = page.locator('[data-quadrant="threat"]')
    threats.get_by_role("button", name="Enregistrer").click()
    threats.locator(".invalid-feedback").wait_for()
    assert page.evaluate("document.activeElement.name") == "text"  # the field in error
    page.keyboard.type("Un acteur américain")
    threats.get_by_role("button", name="Enregistrer").click()
    expect(threats).to_contain_text("Un acteur américain")
    expect(threats.get_by_role("link", name="Ajouter")).to_be_focused()

    # Cancelling an addition comes back to the same button.
    threats.get_by_role("link", name="Ajouter").click()
    form_ready(page)
    threats.get_by_role("link", name="Annuler").click()
    expect(threats.get_by_role("link", name="Ajouter")).to_be_focused()


def test_a_step_and_a_kpi_of_the_action_sheet(page, live_server, full):
    sign_in(page, live_server.url, "claire")
    page.goto(f"{live_server.url}{url('actions:action-detail', full, full.action.pk)}")
    step = full.step
    edit = link(page, url("actions:step-update", full, full.action.pk, step.pk))
    edit.click()
    form_ready(page)
    assert page.evaluate("document.activeElement.name") == "title"
    page.locator("#steps").get_by_role("link", name="Annuler").click()
    expect(edit).to_be_focused()

    tick = page.locator(f'[data-step="{step.pk}"] .step-tick')
    assert tick.get_attribute("aria-label") == "Étape «\xa0Préparer la liste des ETI\xa0» faite"
    tick.click()
    tick = page.locator(f'[data-step="{step.pk}"] .step-tick[aria-pressed="true"]')
    expect(tick).to_be_focused()

    # A KPI deleted: the focus goes to the heading of its section.
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Supprimer «\xa0Rendez-vous\xa0»").click()
    expect(page.locator("#kpis h2")).to_be_focused()
    not_on_body(page)


def test_the_paci_report_and_check_in_come_back_to_their_buttons(page, live_server, full):
    sign_in(page, live_server.url, "julien")
    page.goto(f"{live_server.url}{url('pac:paci', full, 'julien')}")
    action = page.locator(f'[data-action="{full.action.pk}"]')
    report = action.get_by_role("link", name="Indiquer l'avancement")
    report.click()
    form_ready(page)
    not_on_body(page)
    action = page.locator(f'[data-action="{full.action.pk}"]')
    action.locator("[name=progress]").fill("40")
    action.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(f'[data-action="{full.action.pk}"]')).to_contain_text("40")
    expect(
        page.locator(f'[data-action="{full.action.pk}"]').get_by_role(
            "link", name="Indiquer l'avancement"
        )
    ).to_be_focused()

    # A step ticked on the PACI keeps the focus on its tick.
    tick = page.locator(f'#actions [data-step="{full.step.pk}"] .step-tick')
    tick.click()
    expect(
        page.locator(f'#actions [data-step="{full.step.pk}"] .step-tick[aria-pressed="true"]')
    ).to_be_focused()

    kpi = page.locator(f'#kpis [data-kpi="{full.objective_kpi.pk}"]')
    kpi.get_by_role("link", name="Relever une valeur").click()
    form_ready(page)
    assert page.evaluate("document.activeElement.name") == "value"
    page.keyboard.type("21")
    page.locator(f'#kpis [data-kpi="{full.objective_kpi.pk}"]').get_by_role(
        "button", name="Enregistrer"
    ).click()
    kpi = page.locator(f'#kpis [data-kpi="{full.objective_kpi.pk}"]')
    expect(kpi.get_by_test_id("latest")).to_have_text("21\xa0%")
    expect(kpi.get_by_role("link", name="Relever une valeur")).to_be_focused()


def test_a_double_click_on_save_adds_once_and_gives_the_focus_back(page, live_server, full):
    """The second click lands on the button htmx has disabled meanwhile: the browser gives the
    focus to <main> (focusable for the skip link), and the script still brings it back."""
    sign_in(page, live_server.url, "claire")
    page.goto(f"{live_server.url}{full.plan.get_absolute_url()}")
    threats = page.locator('[data-quadrant="threat"]')
    threats.get_by_role("link", name="Ajouter").click()
    form_ready(page)
    page.keyboard.type("Un nouvel entrant")
    threats.get_by_role("button", name="Enregistrer").dblclick()
    expect(threats).to_contain_text("Un nouvel entrant")
    expect(threats.get_by_role("link", name="Ajouter")).to_be_focused()
    assert threats.get_by_text("Un nouvel entrant").count() == 1
