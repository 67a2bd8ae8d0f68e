"""The diagnosis in Chromium, by the French labels, from an empty plan: the manager pastes the
clients' table copied from a spreadsheet, sees the Pareto chart and the classes, and creates a
target from the A class, which the plan page then shows with where it came from."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from pac.core.models import Role
from pac.diagnosis.models import ClientFigure
from pac.plans import services as plans
from targets.models import Target
from tests.pac.factories import MembershipFactory, TeamFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# As Excel copies five rows and their headers: cells separated by tabs, amounts as typed.
COPIED = (
    "Client\tSegment\tCA\tMarge\r\n"
    "Durand SA\tIndustrie\t500 000 €\t100 000 €\r\n"
    "Martin SARL\tIndustrie\t300 000 €\t10 000 €\r\n"
    "Petit et fils\tServices\t150 000 €\t60 000 €\r\n"
    "Roux\tServices\t50 000 €\t30 000 €\r\n"
)


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


def test_a_manager_pastes_the_clients_sees_the_pareto_and_targets_the_a_class(
    chromium, live_server, sign_in, plan
):
    context = chromium.new_context(
        locale="fr-FR",
        viewport={"width": 1280, "height": 900},
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, "claire")
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    page.get_by_role("link", name="Diagnostic").first.click()
    page.get_by_role("heading", name="Diagnostic", level=1).wait_for()
    assert page.get_by_test_id("no-clients").is_visible()

    page.locator("#clients").get_by_role("link", name="Coller ou importer un tableau").click()
    # The table copied in the spreadsheet, pasted with the keyboard.
    page.evaluate("text => navigator.clipboard.writeText(text)", COPIED)
    pasted = page.get_by_label("Coller depuis un tableur")
    pasted.click()
    page.keyboard.press("Control+V")
    assert "Durand SA\tIndustrie" in pasted.input_value()
    page.get_by_role("button", name="Voir l’aperçu de l’import").click()
    preview = page.get_by_role("table", name=re.compile("import"))
    preview.wait_for()
    assert "Martin SARL" in preview.inner_text()
    assert not ClientFigure.objects.exists()  # nothing saved before the confirmation
    page.get_by_role("button", name="Confirmer l’import").click()

    page.get_by_text("4 lignes importées").wait_for()
    assert ClientFigure.objects.filter(plan=plan).count() == 4
    # The Pareto chart and the classes: Durand and Martin make 80 % of the sales.
    chart = page.locator("#abc-clients svg").first
    assert chart.is_visible()
    assert "Pareto" in chart.get_attribute("aria-label")
    sentence = page.get_by_test_id("abc-clients-sentence").inner_text()
    assert sentence.replace("\xa0", " ") == "50 % des clients (2) font 80 % du chiffre d’affaires."

    page.locator("#abc-clients").get_by_role("link", name="Créer une cible (classe A)").click()
    assert page.get_by_label("Nom").input_value() == "Clients de classe A"
    assert "Durand SA, Martin SARL" in page.get_by_label("Justification").input_value()
    page.get_by_label("Priorité").select_option(label="Haute")
    page.get_by_role("button", name="Créer la cible").click()

    page.get_by_text("créée depuis le diagnostic").wait_for()
    target = Target.objects.get(plan=plan)
    assert (target.name, target.kind, target.origin) == (
        "Clients de classe A",
        Target.Kind.SEGMENT,
        Target.Origin.CLIENTS,
    )
    origin = page.get_by_test_id("target-origin")
    assert " ".join(origin.inner_text().split()) == (
        "Choisie dans le diagnostic : Analyse ABC des clients — classe A en CA"
    )
    origin.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/diagnosis/#abc-clients$"))
    context.close()
