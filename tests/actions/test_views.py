"""The action list, the action sheet and its form, as a manager and a reader use them."""

from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from actions import services
from actions.models import Action
from pac.core.models import Membership
from tests.actions.factories import ActionFactory, ActionStepFactory
from tests.kpis.factories import KpiFactory, KpiValueFactory
from tests.targets.factories import ObjectiveFactory, TargetFactory

pytestmark = pytest.mark.django_db


def list_url(plan, **params):
    return reverse("actions:action-list", args=[plan.pk]) + (
        "?" + urlencode(params) if params else ""
    )


@pytest.fixture
def spread(world):
    """Four actions chosen so each filter keeps a different, hand-picked subset."""
    plan = world.plan
    pme = TargetFactory(plan=plan, name="PME")
    sante = TargetFactory(plan=plan, name="Santé")
    return {
        "salon": ActionFactory(
            target=pme,
            title="Salon",
            domain="sales",
            sales_type="notoriety",
            owner=world.rep,
            start_date=date(2027, 3, 1),
            end_date=date(2027, 3, 4),
            status="planned",
        ),
        "phoning": ActionFactory(
            target=pme,
            title="Phoning",
            domain="sales",
            sales_type="hunting",
            owner=world.other_rep,
            start_date=date(2027, 1, 15),
            end_date=date(2027, 4, 30),
            status="in_progress",
        ),
        "crm": ActionFactory(
            target=sante,
            title="CRM",
            domain="internal",
            sales_type="",
            owner=world.rep,
            start_date=date(2027, 5, 1),
            end_date=date(2027, 6, 30),
            status="planned",
        ),
        "etude": ActionFactory(
            target=sante,
            title="Étude",
            domain="information",
            sales_type="",
            owner=None,
            start_date=None,
            end_date=None,
            status="done",
        ),
    }


def titles(response):
    return sorted(a.title for group in response.context["groups"] for a in group.actions)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["CRM", "Phoning", "Salon", "Étude"]),
        ({"domain": "sales"}, ["Phoning", "Salon"]),
        ({"sales_type": "hunting"}, ["Phoning"]),
        ({"status": "planned"}, ["CRM", "Salon"]),
        ({"month": "2027-03"}, ["Phoning", "Salon"]),  # Phoning spans January to April
        ({"month": "2027-05"}, ["CRM"]),
        ({"month": "2027-02", "domain": "sales"}, ["Phoning"]),
        ({"domain": "sales", "status": "planned", "month": "2027-03"}, ["Salon"]),
    ],
)
def test_filters_combine(world, login, spread, params, expected):
    response = login(world.viewer).get(list_url(world.plan, **params))
    assert response.status_code == 200
    assert titles(response) == expected


def test_filters_by_target_and_owner(world, login, spread):
    client = login(world.manager)
    pme = spread["salon"].target
    assert titles(client.get(list_url(world.plan, target=pme.pk))) == ["Phoning", "Salon"]
    assert titles(client.get(list_url(world.plan, owner=world.rep.pk))) == ["CRM", "Salon"]
    assert titles(client.get(list_url(world.plan, owner=world.rep.pk, target=pme.pk))) == ["Salon"]


def test_filters_stay_in_the_url_and_in_the_form(world, login, spread):
    response = login(world.manager).get(list_url(world.plan, domain="sales", month="2027-03"))
    assert 'value="2027-03"' in response.text
    assert '<option value="sales" selected>' in response.text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"month": "mars"}, "Indiquez un mois sous la forme AAAA-MM, par exemple 2027-03."),
        ({"month": "2027-13"}, "Indiquez un mois sous la forme AAAA-MM, par exemple 2027-03."),
        ({"domain": "cooking"}, "Sélectionnez un choix valide"),
        ({"target": "999999"}, "Sélectionnez un choix valide"),
        ({"owner": "abc"}, "Sélectionnez un choix valide"),
    ],
)
def test_a_bad_filter_is_explained_and_ignored(world, login, spread, params, message):
    response = login(world.manager).get(list_url(world.plan, **params))
    assert response.status_code == 200
    assert message in response.text
    assert titles(response) == ["CRM", "Phoning", "Salon", "Étude"]


@pytest.mark.parametrize(
    ("group", "headings"),
    [
        ("domain", ["Recherche d'informations", "Développement interne", "Actions commerciales"]),
        ("target", ["PME", "Santé"]),
        ("none", ["Toutes les actions"]),
    ],
)
def test_grouped_views(world, login, spread, group, headings):
    response = login(world.manager).get(list_url(world.plan, group=group))
    assert [str(g.label) for g in response.context["groups"]] == headings


def test_grouped_by_rep_with_budget_subtotals(world, login, spread):
    response = login(world.manager).get(list_url(world.plan, group="rep"))
    groups = {str(g.label): g for g in response.context["groups"]}
    assert set(groups) == {str(world.rep), str(world.other_rep), "Personne"}
    # Each factory action plans 1 000 €: the rep owns Salon and CRM.
    assert groups[str(world.rep)].planned == Decimal("2000.00")


def test_the_list_answers_htmx_with_the_results_only(world, login, spread):
    response = login(world.manager).get(
        list_url(world.plan, domain="sales"), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="results"' in response.text


def test_readers_see_no_edit_buttons(world, login, spread):
    page = login(world.rep).get(list_url(world.plan)).text
    assert reverse("actions:action-create", args=[world.plan.pk]) not in page
    sheet = (
        login(world.rep)
        .get(reverse("actions:action-detail", args=[world.plan.pk, spread["salon"].pk]))
        .text
    )
    assert reverse("actions:action-update", args=[world.plan.pk, spread["salon"].pk]) not in sheet


def test_another_team_action_is_a_404(world, login, spread):
    client = login(world.foreign_manager)
    assert client.get(list_url(world.plan)).status_code == 404
    url = reverse("actions:action-detail", args=[world.plan.pk, spread["salon"].pk])
    assert client.get(url).status_code == 404
    # An action reached through another plan's URL is a 404 too.
    other = reverse("actions:action-detail", args=[world.foreign_plan.pk, spread["salon"].pk])
    assert client.get(other).status_code == 404


def test_the_sheet_shows_everything(world, login):
    target = TargetFactory(plan=world.plan, name="PME")
    objective = ObjectiveFactory(target=target, title="Huit nouveaux clients")
    action = ActionFactory(
        target=target,
        title="Salon Industrie",
        owner=world.rep,
        participants=[world.other_rep],
        means="Stand de 12 m²",
        budget_planned=Decimal("18000"),
        budget_actual=Decimal("19500"),
        occurrences_planned=12,
        occurrences_done=7,
    )
    action.objectives.set([objective])
    ActionStepFactory(action=action, title="Réserver le stand", done=True)
    kpi = KpiFactory(action=action, name="Contacts qualifiés", unit="contacts")
    KpiValueFactory(kpi=kpi, recorded_on=date(2027, 3, 5), value=Decimal("42"))
    page = (
        login(world.viewer)
        .get(reverse("actions:action-detail", args=[world.plan.pk, action.pk]))
        .text
    )
    for expected in [
        "Salon Industrie",
        "PME",
        "Huit nouveaux clients",
        "Stand de 12 m²",
        str(world.rep),
        str(world.other_rep),
        "18\xa0000\xa0€",
        "19\xa0500\xa0€",
        "1\xa0500\xa0€",
        "7 sur 12 réalisées",
        "Réserver le stand",
        "Contacts qualifiés",
        "42\xa0contacts",
    ]:
        assert expected in page, expected


def test_a_manager_creates_an_action_then_adds_two_steps(world, login):
    target = TargetFactory(plan=world.plan)
    client = login(world.manager)
    response = client.post(
        reverse("actions:action-create", args=[world.plan.pk]),
        {
            "title": "Webinaire NIS 2",
            "target": target.pk,
            "domain": "sales",
            "sales_type": "notoriety",
            "status": "planned",
            "budget_planned": "3500",
            "budget_actual": "0",
            "occurrences_done": "0",
            "progress": "0",
            "owner": world.rep.pk,
            "participants": [world.other_rep.pk],
            "start_date": "2027-03-01",
            "end_date": "2027-03-20",
        },
    )
    action = Action.objects.get(title="Webinaire NIS 2")
    assert response["Location"] == reverse("actions:action-detail", args=[world.plan.pk, action.pk])
    assert list(action.participants.all()) == [world.other_rep]
    for title in ["Inviter", "Animer"]:
        client.post(
            reverse("actions:step-create", args=[world.plan.pk, action.pk]),
            {"title": title, "due_date": "2027-03-10"},
            headers={"HX-Request": "true"},
        )
    assert list(action.steps.values_list("title", "order")) == [("Inviter", 0), ("Animer", 1)]
    client.post(
        reverse("actions:step-move", args=[world.plan.pk, action.pk, action.steps.last().pk]),
        {"direction": "up"},
    )
    assert list(action.steps.values_list("title", flat=True)) == ["Animer", "Inviter"]
    step = action.steps.get(title="Inviter")
    client.post(
        reverse("actions:step-done", args=[world.plan.pk, action.pk, step.pk]), {"done": "1"}
    )
    client.post(
        reverse("actions:step-done", args=[world.plan.pk, action.pk, step.pk]), {"done": "1"}
    )
    step.refresh_from_db()
    assert step.done  # ticking twice leaves it ticked
    page = client.get(reverse("actions:action-list", args=[world.plan.pk])).text
    assert "Webinaire NIS 2" in page and "1/2" in page


def test_an_action_outside_the_plan_period_is_refused_beside_its_dates(world, login):
    target = TargetFactory(plan=world.plan)
    response = login(world.manager).post(
        reverse("actions:action-create", args=[world.plan.pk]),
        {
            "title": "Trop tard",
            "target": target.pk,
            "domain": "internal",
            "status": "planned",
            "budget_planned": "0",
            "budget_actual": "0",
            "occurrences_done": "0",
            "progress": "0",
            "start_date": "2027-06-01",
            "end_date": "2027-08-31",
        },
    )
    assert response.status_code == 422
    assert "Choisissez une date dans la période du plan (01/01/2027 – 30/06/2027)." in response.text
    assert not Action.objects.filter(title="Trop tard").exists()


def test_a_participant_from_another_team_is_refused(world, login):
    target = TargetFactory(plan=world.plan)
    response = login(world.manager).post(
        reverse("actions:action-create", args=[world.plan.pk]),
        {
            "title": "Intrus",
            "target": target.pk,
            "domain": "internal",
            "status": "planned",
            "budget_planned": "0",
            "budget_actual": "0",
            "occurrences_done": "0",
            "progress": "0",
            "participants": [world.foreign_manager.pk],
        },
    )
    assert response.status_code == 422
    assert not Action.objects.filter(title="Intrus").exists()


def test_two_managers_saving_the_same_action(world, django_user_model):
    """Claire and Marc open the sheet; Claire saves first; Marc sees her values, nothing of
    his is saved, and saving again keeps his."""
    marc = django_user_model.objects.create_user("marc", password="x-secret-123", first_name="Marc")
    Membership.objects.create(team=world.team, user=marc, role="manager")
    action = ActionFactory(
        target=TargetFactory(plan=world.plan), title="Salon", budget_planned=Decimal("1000")
    )
    url = reverse("actions:action-update", args=[world.plan.pk, action.pk])
    sheet = {
        "target": action.target_id,
        "domain": "sales",
        "sales_type": "hunting",
        "status": "planned",
        "budget_actual": "0",
        "occurrences_done": "0",
        "progress": "0",
        "version": action.version,
    }
    claire, marc_client = Client(), Client()
    claire.force_login(world.manager)
    marc_client.force_login(marc)
    assert claire.get(url).status_code == marc_client.get(url).status_code == 200

    claire.post(url, {**sheet, "title": "Salon de Claire", "budget_planned": "2000"})
    response = marc_client.post(url, {**sheet, "title": "Salon de Marc", "budget_planned": "1000"})
    assert response.status_code == 409
    assert "Salon de Claire" in response.text and "Salon de Marc" in response.text
    assert "Enregistrer quand même" in response.text
    action.refresh_from_db()
    assert (action.title, action.budget_planned) == ("Salon de Claire", Decimal("2000.00"))

    version_shown = response.context["form"]["version"].value()
    marc_client.post(
        url, {**sheet, "title": "Salon de Marc", "budget_planned": "1000", "version": version_shown}
    )
    action.refresh_from_db()
    assert action.title == "Salon de Marc"
    assert [h.history_user for h in action.history.order_by("history_date")][-2:] == [
        world.manager,
        marc,
    ]


def grow(plan, rep, size):
    targets = [TargetFactory(plan=plan) for _ in range(5)]
    for index in range(size):
        action = ActionFactory(target=targets[index % 5], owner=rep, participants=[rep])
        ActionStepFactory(action=action, owner=rep)


# session, user, plan with the reader's role, targets, owners (the filter form); totals per group;
# count, one page of actions, their participants.
LIST_QUERIES = 9


@pytest.mark.parametrize("size", [10, 300])
def test_the_list_queries_do_not_grow_with_the_plan(world, login, django_assert_num_queries, size):
    grow(world.plan, world.rep, size)
    client = login(world.manager)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(list_url(world.plan, group="target"))
    assert response.context["count"] == size
    # 50 actions a page, each group headed with the count of its whole group (a fifth each).
    assert len(response.context["page"].object_list) == min(size, 50)
    assert [group.count for group in response.context["groups"]] == (
        [60] if size == 300 else [2] * 5
    )


# session, user, plan with the reader's role, action; steps, KPIs with values, participants,
# objectives, history x3.
SHEET_QUERIES = 12


@pytest.mark.parametrize("size", [10, 300])
def test_the_sheet_queries_do_not_grow(world, login, django_assert_num_queries, size):
    action = ActionFactory(target=TargetFactory(plan=world.plan), owner=world.rep)
    for index in range(size):
        ActionStepFactory(action=action, title=f"Étape {index}")
    kpi = KpiFactory(action=action)
    for _ in range(size // 10):
        KpiValueFactory(kpi=kpi)
    client = login(world.manager)
    with django_assert_num_queries(SHEET_QUERIES):
        client.get(reverse("actions:action-detail", args=[world.plan.pk, action.pk]))


def test_the_sheet_history_names_people_and_values(world, login):
    action = ActionFactory(target=TargetFactory(plan=world.plan), owner=world.rep)
    data = {name: getattr(action, name) for name in services.SHEET_FIELDS}
    services.action_update(
        actor=world.manager,
        action=action,
        version=action.version,
        data={**data, "owner": world.other_rep, "budget_planned": Decimal("2500")},
    )
    page = (
        login(world.viewer)
        .get(reverse("actions:action-detail", args=[world.plan.pk, action.pk]))
        .text
    )
    assert f"<del>{world.rep}</del> → <ins>{world.other_rep}</ins>" in page
    assert "<del>1\xa0000</del> → <ins>2\xa0500</ins>" in page
    assert f"· {world.manager}</span>" in page


def test_group_headings_add_up_whole_groups_across_pages(world, login):
    """60 actions of 1 000 € with 3 steps each, 40 by one rep and 20 by the other, grouped by
    rep: page 1 holds 50 rows, and the headings count 40 actions and 40 000 € and 20 actions and
    20 000 €, whatever the steps (they must not multiply the sums)."""
    target = TargetFactory(plan=world.plan)
    for index in range(60):
        owner = world.rep if index < 40 else world.other_rep
        action = ActionFactory(target=target, owner=owner, budget_planned=Decimal(1000))
        for _ in range(3):
            ActionStepFactory(action=action)
    client = login(world.manager)
    first = client.get(list_url(world.plan, group="rep"))
    second = client.get(list_url(world.plan, group="rep") + "&page=2")
    headings = {
        group.label: (group.count, group.planned)
        for response in (first, second)
        for group in response.context["groups"]
    }
    assert headings == {
        str(world.rep): (40, Decimal(40000)),
        str(world.other_rep): (20, Decimal(20000)),
    }
    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 10
