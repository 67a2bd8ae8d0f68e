"""Every main page fits a 360-pixel phone screen: no sideways scrolling of the whole page."""

import pytest

from actions.models import Action

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_main_pages_fit_a_phone(chromium, live_server, sign_in, demo):
    context = chromium.new_context(locale="fr-FR", viewport={"width": 360, "height": 740})
    page = context.new_page()
    sign_in(page, "manager")
    action = Action.objects.filter(target__plan=demo).first()
    review = demo.reviews.first()
    widths = {}
    for path in [
        "/plans/",
        f"/plans/{demo.pk}/",
        f"/plans/{demo.pk}/actions/",
        f"/plans/{demo.pk}/actions/{action.pk}/",
        f"/plans/{demo.pk}/budget/",
        f"/plans/{demo.pk}/cockpit/",
        f"/plans/{demo.pk}/paci/rep1/",
        f"/plans/{demo.pk}/calendar/",
        f"/plans/{demo.pk}/timeline/",
        f"/plans/{demo.pk}/reviews/{review.pk}/",
        "/profile/",
    ]:
        page.goto(f"{live_server.url}{path}")
        widths[path] = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert {path: width for path, width in widths.items() if width > 360} == {}
