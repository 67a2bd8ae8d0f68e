"""The calendar and the timeline in Chromium: moving between months, switching the grouping."""

import re

import pytest
from django.utils import timezone

from pac.core.periods import add_months

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_moving_between_months_without_reloading(page, live_server, sign_in, demo):
    sign_in(page, "manager")
    page.goto(f"{live_server.url}/plans/{demo.pk}/calendar/")
    page.evaluate("window.stillHere = true")
    this_month = (
        demo.period_start if not demo.contains(timezone.localdate()) else timezone.localdate()
    )
    title = page.get_by_test_id("month")
    shown = title.inner_text()
    page.get_by_role("link", name="Suivant ›").click()
    page.wait_for_url(
        re.compile(r"month=" + add_months(this_month.replace(day=1), 1).strftime("%Y-%m"))
    )
    assert title.inner_text() != shown
    # Each swap replaces the buttons: wait for one before pressing the next.
    for months in (0, -1):
        page.get_by_role("link", name="‹ Précédent").click()
        page.wait_for_url(
            re.compile(r"month=" + add_months(this_month.replace(day=1), months).strftime("%Y-%m"))
        )
    # Bars of the month are links to the sheets.
    assert page.locator(".cal-bar").count() > 0
    page.get_by_role("link", name="Aujourd'hui").click()
    page.wait_for_url(re.compile(r"month=" + timezone.localdate().strftime("%Y-%m")))
    assert page.evaluate("window.stillHere") is True
    assert page.console_errors == []


def test_switching_the_timeline_grouping(page, live_server, sign_in, demo):
    sign_in(page, "manager")
    page.goto(f"{live_server.url}/plans/{demo.pk}/timeline/")
    chart = page.get_by_test_id("timeline")
    assert "Actions commerciales" in chart.inner_text()
    page.get_by_label("Regrouper").select_option("rep")
    page.wait_for_url(re.compile(r"group=rep"))
    page.locator("svg.timeline text", has_text="Karim Haddad").wait_for()
    page.get_by_label("Durée affichée").select_option("quarter")
    page.wait_for_url(re.compile(r"window=quarter"))
    page.get_by_test_id("summary").wait_for()
    assert page.locator("svg.timeline a").count() > 0
    assert page.console_errors == []
