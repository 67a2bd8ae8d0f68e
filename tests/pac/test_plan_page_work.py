"""The plan page is where a manager works: actions added in each domain, deals for any rep, a
link to each PACI; owners are the team's managers and reps, never a viewer; French that reads
right."""

import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from actions import services as actions
from actions.forms import ActionForm, ActionStepForm
from kpis.forms import KpiForm
from kpis.models import Kpi
from pac.core import charts
from pac.core.display import unit_for
from pac.planning.calendars import Lane
from pac.templatetags.pac_format import quantity
from targets import services as targets
from targets.forms import DealForm, ObjectiveForm
from targets.models import Deal, Objective
from tests.builders import sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(world):
    return targets.target_create(
        actor=world.manager,
        plan=world.plan,
        data={"name": "PME", "kind": "segment", "priority": 1},
    )


def test_the_plan_page_links_each_rep_paci(world, login):
    page = login(world.viewer).get(world.plan.get_absolute_url()).text
    links = re.search(r'data-testid="paci-links">(.*?)</nav>', page, re.S)[1]
    reps = sorted([world.rep, world.other_rep], key=lambda rep: str(rep).lower())
    assert re.findall(r'href="/plans/\d+/paci/(\w+)/"', links) == [rep.username for rep in reps]


def test_each_domain_block_offers_to_add_an_action_there(world, login):
    client = login(world.manager)
    page = client.get(world.plan.get_absolute_url()).text
    create = reverse("actions:action-create", args=[world.plan.pk])
    for domain in ["information", "internal", "sales"]:
        assert f'href="{create}?domain={domain}"' in page
    form = client.get(f"{create}?domain=internal").text
    assert '<option value="internal" selected>' in form
    assert client.get(f"{create}?domain=%00nowhere").status_code == 404
    odd = client.get(f"{create}?domain=nowhere")
    assert odd.status_code == 200
    assert "selected>Développement interne" not in odd.text
    assert 'href="' + create not in login(world.viewer).get(world.plan.get_absolute_url()).text


def test_the_manager_adds_a_deal_for_a_rep_from_the_plan_page(world, login, target):
    client = login(world.manager)
    url = reverse("targets:deal-create", args=[world.plan.pk])
    form = client.get(url, headers={"HX-Request": "true"}).text
    owners = re.search(r'<select name="owner".*?</select>', form, re.S)[0]
    assert str(world.rep) in owners and str(world.manager) in owners
    assert str(world.viewer) not in owners
    assert "selected>" not in owners.split("</option>", 1)[1]  # no one chosen for the manager
    response = client.post(
        url,
        {
            "company": "Fonderie Lemaire",
            "target": target.pk,
            "amount": "12000",
            "probability": "40",
            "stage": "proposal",
            "milestone_date": "2027-04-15",
            "owner": world.rep.pk,
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    deal = Deal.objects.get()
    assert (deal.owner, deal.plan, deal.target) == (world.rep, world.plan, target)
    assert 'id="deals"' in response.text and "Fonderie Lemaire" in response.text
    # A viewer cannot own one.
    refused = client.post(
        url,
        {
            "company": "X",
            "amount": "1",
            "probability": "10",
            "stage": "lead",
            "milestone_date": "2027-04-15",
            "owner": world.viewer.pk,
        },
    )
    assert refused.status_code == 422
    assert Deal.objects.count() == 1


def test_owner_lists_offer_managers_and_reps_never_a_viewer(world, target):
    plan = world.plan
    objective = Objective(target=target)
    forms = [
        ObjectiveForm(instance=objective, plan=plan).fields["owner"],
        ActionForm(plan=plan).fields["owner"],
        ActionForm(plan=plan).fields["participants"],
        ActionStepForm(plan=plan).fields["owner"],
        KpiForm(instance=Kpi(objective=objective), plan=plan).fields["owner"],
        DealForm(instance=Deal(plan=plan), plan=plan, user=world.manager, manager=True).fields[
            "owner"
        ],
    ]
    for field in forms:
        assert set(field.queryset) == {world.manager, world.rep, world.other_rep}


def test_a_viewer_given_as_owner_is_refused_with_the_reason(world, target):
    with pytest.raises(ValidationError) as refused:
        actions.action_create(
            actor=world.manager,
            plan=world.plan,
            data=sheet(target, "Salon", world.viewer, date(2027, 3, 1), date(2027, 3, 4)),
        )
    assert refused.value.message_dict["owner"] == [
        f"{world.viewer} lit ce plan sans y travailler : choisissez un manager ou un commercial."
    ]


def test_history_words_agree_with_their_subject(world, login, target):
    action = actions.action_create(
        actor=world.manager,
        plan=world.plan,
        data=sheet(target, "Salon Industrie", world.rep, date(2027, 3, 1), date(2027, 3, 4)),
    )
    actions.step_create(
        actor=world.manager,
        action=action,
        data={"title": "Réserver", "owner": None, "due_date": None, "done": False},
    )
    client = login(world.manager)
    sheet_page = unescape(
        client.get(reverse("actions:action-detail", args=[world.plan.pk, action.pk])).text
    )
    assert "Action « <bdi>Salon Industrie</bdi> » créée" in sheet_page
    assert "Étape « <bdi>Réserver</bdi> » créée" in sheet_page
    history = unescape(client.get(reverse("pac:plan-history", args=[world.plan.pk])).text)
    assert "Cible « <bdi>PME</bdi> » créée" in history


def test_the_deletion_page_counts_in_words(world, login, target):
    page = login(world.manager).get(reverse("pac:plan-delete", args=[world.plan.pk])).text
    assert "<li>1 cible</li>" in page


@pytest.mark.parametrize(
    ("value", "unit", "french", "english"),
    [
        (1, "clients", "1\xa0client", "1\xa0client"),
        (0, "clients", "0\xa0client", "0\xa0clients"),
        (3, "réalisations", "3\xa0réalisations", "3\xa0réalisations"),
        (1, "réalisations", "1\xa0réalisation", "1\xa0réalisation"),
        (1, "rendez-vous", "1\xa0rendez-vous", "1\xa0rendez-vous"),
        (1, "mois", "1\xa0mois", "1\xa0mois"),
        (Decimal("600000.00"), "€", "600\xa0000\xa0€", "€600,000"),
        (Decimal("12.50"), "%", "12,5\xa0%", "12.5%"),
    ],
)
def test_a_figure_agrees_with_its_unit(value, unit, french, english):
    with translation.override("fr"):
        assert quantity(value, unit) == french
    with translation.override("en"):
        assert quantity(value, unit) == english


def test_only_a_single_word_unit_is_made_singular():
    with translation.override("fr"):
        assert unit_for(1, "comptes ICP") == "comptes ICP"
        assert unit_for(1, "") == ""


def test_the_timeline_names_june_and_july_apart(world):
    with translation.override("fr"):
        svg = charts.timeline(
            [Lane("", [])], date(2027, 6, 1), date(2027, 8, 31), date(2027, 7, 1), str
        )
    assert re.findall(r">(\w+\.?) 2027</text>", svg) == ["juin", "juil.", "août"]


def test_pages_say_plan_d_action_commercial(world, login):
    page = login(world.manager).get(world.plan.get_absolute_url()).text
    assert "· Plan d’action commercial</title>" in page
    assert "commerciale</title>" not in page


def test_a_rep_sees_the_link_to_their_own_paci_only(world, login):
    page = login(world.rep).get(world.plan.get_absolute_url()).text
    links = re.search(r'data-testid="paci-links">(.*?)</nav>', page, re.S)[1]
    assert re.findall(r'href="/plans/\d+/paci/(\w+)/"', links) == ["rep"]
