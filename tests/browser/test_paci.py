"""A rep's morning on a phone: tick a step, record a KPI value; the manager sees it."""

import re

import pytest
from django.utils import timezone

from actions.models import ActionStep
from kpis.models import Kpi, KpiValue
from tests.browser.conftest import form_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rep_reports_from_a_phone_and_the_manager_sees_it(chromium, live_server, sign_in, demo):
    phone = chromium.new_context(
        locale="fr-FR", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    page = phone.new_page()
    sign_in(page, "rep3")
    page.wait_for_url(re.compile(r"/paci/rep3/$"))
    # Nothing is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    step = (
        ActionStep.objects.filter(
            action__owner__username="rep3", action__target__plan=demo, done=False
        )
        .order_by("pk")
        .first()
    )
    tick = page.locator(f'[data-step="{step.pk}"] button')
    tick.scroll_into_view_if_needed()
    tick.click()
    page.locator(f'[data-step="{step.pk}"] button[aria-pressed="true"]').wait_for()
    step.refresh_from_db()
    assert step.done

    kpi = (
        Kpi.objects.filter(owner__username="rep3", action__target__plan=demo).order_by("pk").first()
    )
    card = page.locator(f'[data-kpi="{kpi.pk}"]')
    card.get_by_role("link", name="Relever une valeur").click()
    form_ready(page)
    card.get_by_label("Valeur").fill("")
    card.get_by_role("button", name="Enregistrer").click()
    error = page.locator(f'[data-kpi="{kpi.pk}"] .invalid-feedback')
    error.wait_for()
    assert "Ce champ est obligatoire." in error.inner_text()
    assert not KpiValue.objects.filter(kpi=kpi, recorded_on=timezone.localdate()).exists()
    form_ready(page)  # on the field in error
    card = page.locator(f'[data-kpi="{kpi.pk}"]')
    card.get_by_label("Valeur").fill("11")
    card.get_by_label("Commentaire").fill("Trois rendez-vous de plus")
    card.get_by_role("button", name="Enregistrer").click()
    page.locator(f'[data-kpi="{kpi.pk}"] [data-testid="latest"]').filter(has_text="11").wait_for()
    assert KpiValue.objects.get(kpi=kpi, recorded_on=timezone.localdate()).value == 11
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    phone.close()

    laptop = chromium.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    manager = laptop.new_page()
    sign_in(manager, "manager")
    manager.goto(f"{live_server.url}/plans/{demo.pk}/paci/rep3/")
    assert manager.locator(f'[data-step="{step.pk}"] button[aria-pressed="true"]').count() == 1
    manager.goto(f"{live_server.url}/plans/{demo.pk}/cockpit/")
    assert manager.get_by_role("heading", name="Cockpit").is_visible()
    karim = manager.locator('[data-rep="rep3"]')
    assert karim.get_by_role("link", name="Karim Haddad").is_visible()
    laptop.close()
