"""A form is sent once: an htmx form's buttons are disabled while its request runs (after htmx
has read the name and value of the one clicked), and a plain form ignores a second click."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from actions import services as actions
from actions.models import Action
from pac.core.models import Plan, Role
from pac.plans import services as plans
from targets import services as targets
from tests.browser.conftest import form_ready
from tests.browser.pages import sign_in
from tests.builders import sheet
from tests.pac.factories import MembershipFactory, TeamFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft(settings):
    """A draft quarter around today with one action, written by its manager."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    today = timezone.localdate()
    team = TeamFactory(name="Ventes Ouest")
    manager = UserFactory(username="claire", password="demo")
    MembershipFactory(team=team, user=manager, role=Role.MANAGER)
    plan = plans.plan_create(
        actor=manager,
        team=team,
        title="PAC Ouest",
        period_start=today - timedelta(days=30),
        period_end=today + timedelta(days=60),
        budget_envelope=Decimal("0"),
    )
    target = targets.target_create(
        actor=manager, plan=plan, data={"name": "PME", "kind": "segment", "priority": 1}
    )
    actions.action_create(
        actor=manager,
        plan=plan,
        data=sheet(target, "Salon", manager, today - timedelta(days=20), today + timedelta(10)),
    )
    return plan


def test_the_header_buttons_wait_for_the_answer_and_shift_dates_still_counts(
    page, live_server, draft
):
    sign_in(page, live_server.url, "claire")
    page.goto(f"{live_server.url}{draft.get_absolute_url()}")
    page.get_by_role("link", name="Modifier l'en-tête").click()
    form_ready(page)
    start = Action.objects.get().start_date
    later = draft.period_start + timedelta(days=15)
    page.locator("#header [name=period_start]").fill(later.isoformat())
    # htmx disables the button in the same task as the click, while the request runs.
    assert page.evaluate(
        """() => {
            const button = document.querySelector('#header button[type=submit]');
            button.click();
            return button.disabled;
        }"""
    )
    shift = page.get_by_test_id("shift-dates")
    shift.wait_for()
    assert page.locator("#header button[type=submit]:disabled").count() == 0
    shift.click()
    page.get_by_role("link", name="Modifier l'en-tête").wait_for()
    draft.refresh_from_db()
    assert draft.period_start == later
    # The second button's name and value reached the server: the action moved with the period.
    assert Action.objects.get().start_date == start + timedelta(days=15)


def test_a_plain_form_posts_once_on_a_double_click_with_its_button(page, live_server, draft):
    sign_in(page, live_server.url, "claire")
    page.goto(f"{live_server.url}{draft.get_absolute_url()}")
    # The first post is held on its way, as on a slow network: the second click comes 100 ms
    # later, while it waits (two clicks in the same task make one submission in any browser).
    held = []
    page.route(f"**/plans/{draft.pk}/status/", lambda route: held.append(route))
    page.evaluate(
        """() => {
            const button = document.querySelector("button[name=status][value=active]");
            button.click();
            setTimeout(() => button.click(), 100);
        }"""
    )
    page.wait_for_timeout(500)
    assert len(held) == 1
    held[0].continue_()
    page.get_by_role("button", name="Repasser en brouillon").wait_for()
    draft.refresh_from_db()
    assert draft.status == Plan.Status.ACTIVE


def test_closing_the_plan_asks_first(page, live_server, draft):
    plans.plan_set_status(actor=draft.team.memberships.get().user, plan=draft, status="active")
    sign_in(page, live_server.url, "claire")
    page.goto(f"{live_server.url}{draft.get_absolute_url()}")
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, False))
    page.get_by_role("button", name="Clore le plan").click()
    page.wait_for_timeout(300)
    draft.refresh_from_db()
    assert draft.status == Plan.Status.ACTIVE
    page.once("dialog", lambda dialog: answer(dialog, True))
    page.get_by_role("button", name="Clore le plan").click()
    page.get_by_text("Ce plan est clos").first.wait_for()
    draft.refresh_from_db()
    assert draft.status == Plan.Status.CLOSED
    assert questions == ["Clore le plan ? Un plan clos ne peut plus être modifié."] * 2
