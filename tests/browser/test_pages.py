"""Long lists turn their pages in place: the action list (address bar following) and the KPIs of
a PACI (the region alone)."""

import re
from decimal import Decimal

import pytest

from actions.models import Action
from kpis.models import Kpi
from pac.core.models import User
from tests.actions.factories import ActionFactory
from tests.kpis.factories import KpiFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_action_list_pages_in_place_and_keeps_its_filters(page, live_server, sign_in, demo):
    target = demo.targets.first()
    for index in range(60):
        ActionFactory(target=target, domain="sales", title=f"Prospection {index:02}")
    sales = Action.objects.of_plan(demo).filter(domain="sales").count()
    sign_in(page, "manager")
    page.goto(f"{live_server.url}/plans/{demo.pk}/actions/?domain=sales")
    page.evaluate("window.stillHere = true")
    assert f"1–50 sur {sales}" in page.get_by_test_id("pager-results").first.inner_text()
    page.get_by_test_id("pager-results").first.get_by_role("link", name="Suivant ›").click()
    page.wait_for_url(re.compile(r"domain=sales&page=2"))
    pager = page.get_by_test_id("pager-results").first
    assert re.search(rf"51–{sales} sur {sales}", pager.inner_text())
    assert page.locator("#results tbody tr").count() == sales - 50
    assert page.evaluate("window.stillHere") is True
    assert page.console_errors == []


def test_a_rep_turns_the_pages_of_their_kpis_in_place(page, live_server, sign_in, demo):
    rep = User.objects.get(username="rep1")
    action = Action.objects.of_plan(demo).filter(owner=rep).first()
    for index in range(15):
        KpiFactory(action=action, owner=rep, name=f"Indicateur {index:02}", target_value=Decimal(5))
    count = (
        Kpi.objects.filter(owner=rep, action__target__plan=demo).count()
        + Kpi.objects.filter(owner=rep, objective__target__plan=demo).count()
    )
    sign_in(page, "rep1")
    page.goto(f"{live_server.url}/plans/{demo.pk}/paci/rep1/")
    page.evaluate("window.stillHere = true")
    kpis = page.locator("#kpis")
    first = kpis.locator("article").first.get_attribute("data-kpi")
    kpis.get_by_test_id("pager-kpis").first.get_by_role("link", name="Suivant ›").click()
    page.wait_for_function(
        "first => document.querySelector('#kpis article')?.dataset.kpi !== first", arg=first
    )
    assert f"11–{min(count, 20)} sur {count}" in page.locator("#kpis").inner_text()
    assert page.evaluate("window.stillHere") is True
    assert page.console_errors == []
