"""The import of a PAC in Chromium, by the visible labels: on an empty plan, the manager uploads
the spreadsheet of their plan, reads the preview, confirms, and finds the targets on the plan
page. In English: the French of the import's new messages is compiled by the lead."""

from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from pac.core.models import Role
from pac.plans import services as plans
from targets.models import Target
from tests.pac.factories import MembershipFactory, TeamFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    team = TeamFactory(name="Ventes Est")
    claire = UserFactory(
        username="claire", first_name="Claire", last_name="Martin", password="demo"
    )
    MembershipFactory(team=team, user=claire, role=Role.MANAGER)
    today = timezone.localdate()
    return plans.plan_create(
        actor=claire,
        team=team,
        title="PAC Est",
        period_start=today,
        period_end=today + timedelta(days=180),
        budget_envelope=Decimal("10000"),
    )


def test_a_manager_imports_the_plan_from_a_spreadsheet(chromium, live_server, plan, tmp_path):
    start = plan.period_start
    book = openpyxl.Workbook()
    book.active.append(["Cible", "Type de cible", "Action", "Domaine", "Responsable", "Début"])
    book.active.append(
        ["Grands comptes", "Compte client", "Salon", "Interne", "Claire Martin", start]
    )
    book.active.append(["PME du Grand Est", "Segment", "", "", "", ""])
    path = tmp_path / "pac.xlsx"
    book.save(path)

    context = chromium.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("claire")
    page.get_by_label("Password").fill("demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()

    page.goto(f"{live_server.url}{reverse('imports:plan-import', args=[plan.pk])}")
    page.get_by_role("heading", name="Import a plan from a spreadsheet").wait_for()
    page.get_by_label("Spreadsheet of the plan").set_input_files(path)
    page.get_by_role("button", name="Preview the import").click()
    summary = page.get_by_test_id("import-summary")
    summary.wait_for()
    assert summary.inner_text() == "The import will create 2 targets, 1 action."
    assert Target.objects.filter(plan=plan).count() == 0

    page.get_by_role("button", name="Confirm the import").click()
    page.get_by_role("heading", name="PAC Est").wait_for()
    assert page.url.endswith(reverse("pac:plan-detail", args=[plan.pk]))
    assert page.get_by_text("Imported: 2 targets, 1 action.").is_visible()
    assert page.locator("#targets").get_by_text("Grands comptes").first.is_visible()
    assert page.locator("#targets").get_by_text("PME du Grand Est").first.is_visible()
    assert sorted(Target.objects.filter(plan=plan).values_list("name", flat=True)) == [
        "Grands comptes",
        "PME du Grand Est",
    ]
    context.close()
