"""What only a browser shows: the signed-in pages, the SWOT grid, a foreign plan refused."""

import pytest

from pac.core.models import Plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_manager_signs_in_and_reads_the_swot_grid(page, live_server, sign_in, demo):
    sign_in(page, "manager")
    assert page.url == f"{live_server.url}/plans/"
    page.get_by_role("link", name=demo.title).click()
    grid = page.get_by_test_id("swot-grid")
    grid.wait_for()
    quadrants = grid.locator(".swot-quadrant h3").all_inner_texts()
    assert [text.upper() for text in quadrants] == [
        "FORCES",
        "FAIBLESSES",
        "OPPORTUNITÉS",
        "MENACES",
    ]
    assert grid.get_by_text("Certifications ISO 27001 et HDS").is_visible()
    # Two columns: strengths beside weaknesses, as a SWOT matrix is drawn on paper.
    strengths, weaknesses = (
        grid.locator(".swot-quadrant").nth(0),
        grid.locator(".swot-quadrant").nth(1),
    )
    assert strengths.bounding_box()["y"] == weaknesses.bounding_box()["y"]
    assert strengths.bounding_box()["x"] < weaknesses.bounding_box()["x"]
    # The demo deals, weighted by hand: 28 000 + 15 000 + 6 650 + 3 000 + 21 600 + 200 + 1 000
    # + 6 600 + 34 000 + 4 500 + 384 000 = 504 550 €.
    assert page.get_by_test_id("deals-weighted-total").inner_text() == "504\xa0550\xa0€"
    assert page.console_errors == []


def test_a_rep_lands_on_the_paci_and_cannot_open_the_other_team_plan(
    page, live_server, sign_in, demo
):
    sign_in(page, "rep1")
    assert page.url == f"{live_server.url}/plans/{demo.pk}/paci/rep1/"
    assert page.get_by_role("heading", name="Plan d'action individuel de Julien Petit").is_visible()
    other = Plan.objects.get(team__name="Ventes Auvergne-Rhône-Alpes")
    response = page.goto(f"{live_server.url}/plans/{other.pk}/")
    assert response.status == 404
    assert other.title not in page.content()


def test_the_language_switcher_turns_the_page_to_english(page, live_server, sign_in, demo):
    sign_in(page, "manager")
    page.get_by_role("button", name="EN").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Commercial action plans").is_visible()
    assert page.locator("html").get_attribute("lang") == "en"
