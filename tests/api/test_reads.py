"""Reading through the API: what the pages show, to whom they show it, a page at a time, with
bad parameters answered 400 or 404 and never a 500; a list costs the same number of queries
whatever its length."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from kpis.models import KpiValue
from tests.actions.factories import ActionFactory, ActionStepFactory
from tests.kpis.factories import KpiFactory
from tests.pac.factories import PlanFactory, ReviewFactory
from tests.targets.factories import DealFactory, ObjectiveFactory, TargetFactory

pytestmark = pytest.mark.django_db

TODAY = date(2027, 4, 1)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def routes(plan, kpi):
    return [
        f"/api/plans/{plan.pk}/",
        f"/api/plans/{plan.pk}/targets/",
        f"/api/plans/{plan.pk}/objectives/",
        f"/api/plans/{plan.pk}/actions/",
        f"/api/plans/{plan.pk}/kpis/",
        f"/api/plans/{plan.pk}/deals/",
        f"/api/plans/{plan.pk}/reviews/",
        f"/api/kpis/{kpi.pk}/values/",
    ]


def test_every_member_of_the_team_reads_with_a_token_and_nobody_else(world, bearer):
    """As on the pages: the team's manager, reps, viewer and staff read the plan; another
    team's manager gets a 404, like a plan that does not exist."""
    kpi = KpiFactory(action=ActionFactory(target=TargetFactory(plan=world.plan)), owner=world.rep)
    readers = [world.manager, world.rep, world.other_rep, world.viewer, world.staff]
    for user in readers:
        client = bearer(user)
        for url in routes(world.plan, kpi):
            # A KPI's values are read on its owner's PACI: another rep cannot open it.
            expected = 404 if user == world.other_rep and url.endswith("/values/") else 200
            assert client.get(url).status_code == expected, (user.username, url)
    stranger = bearer(world.foreign_manager)
    for url in routes(world.plan, kpi):
        response = stranger.get(url)
        assert response.status_code == 404, url
        assert set(response.json()) == {"detail"}
    assert [p["title"] for p in stranger.get("/api/plans/").json()["results"]] == ["PAC Sud 2027"]


def test_objectives_come_with_the_progress_the_pages_compute(world, bearer):
    """4 000 € won on a 10 000 € objective: 40 % reached; 90 days of 180 gone: 50 % due;
    within 10 points of the pace, on track."""
    target = TargetFactory(plan=world.plan)
    ObjectiveFactory(
        target=target,
        title="CA PME",
        unit="€",
        baseline=Decimal("0"),
        target_value=Decimal("10000"),
        measured_by="won_amount",
        deadline=date(2027, 6, 30),
    )
    DealFactory(
        plan=world.plan, target=target, owner=world.rep, amount=4000, stage="won", probability=100
    )
    DealFactory(plan=world.plan, target=target, owner=world.rep, amount=9000, stage="proposal")
    [objective] = bearer(world.rep).get(f"/api/plans/{world.plan.pk}/objectives/").json()["results"]
    assert objective["title"] == "CA PME"
    assert objective["progress"] == {
        "actual": "4000.00",
        "attainment": "40.0",
        "expected": "50.0",
        "standing": "on_track",
        "measured_on": "2027-04-01",
    }


def test_actions_come_with_their_steps_and_lateness(world, bearer):
    target = TargetFactory(plan=world.plan)
    late = ActionFactory(
        target=target, title="Salon", start_date=date(2027, 1, 10), end_date=date(2027, 3, 1)
    )
    ActionStepFactory(action=late, title="Réserver", order=0)
    ActionFactory(target=target, title="Webinaire", start_date=date(2027, 5, 1), end_date=None)
    client = bearer(world.viewer)
    rows = client.get(f"/api/plans/{world.plan.pk}/actions/").json()["results"]
    assert [(row["title"], row["is_late"]) for row in rows] == [
        ("Salon", True),
        ("Webinaire", False),
    ]
    assert [step["title"] for step in rows[0]["steps"]] == ["Réserver"]
    assert rows[1]["steps"] == []
    only_late = client.get(f"/api/plans/{world.plan.pk}/actions/?late=true").json()
    assert [row["title"] for row in only_late["results"]] == ["Salon"]
    after = client.get(f"/api/plans/{world.plan.pk}/actions/?since=2027-04-01").json()
    assert [row["title"] for row in after["results"]] == ["Webinaire"]


def test_kpis_come_with_their_latest_value_and_standing(world, bearer):
    """12 of 20 meetings (60 %) on an action run from 1 February to 31 March, measured on 1
    March: 28 of its 58 days gone, 48.3 % was due, so it is on track."""
    kpi = KpiFactory(
        action=ActionFactory(target=TargetFactory(plan=world.plan)), name="RDV", owner=world.rep
    )
    KpiValue.objects.create(kpi=kpi, recorded_on=date(2027, 2, 1), value=5, recorded_by=world.rep)
    KpiValue.objects.create(kpi=kpi, recorded_on=date(2027, 3, 1), value=12, recorded_by=world.rep)
    [row] = bearer(world.rep).get(f"/api/plans/{world.plan.pk}/kpis/").json()["results"]
    assert row["latest"] == {"value": "12.00", "recorded_on": "2027-03-01"}
    assert (row["attainment"], row["expected"], row["standing"]) == ("60.0", "48.3", "on_track")
    values = bearer(world.rep).get(f"/api/kpis/{kpi.pk}/values/?until=2027-02-28").json()
    assert [(v["recorded_on"], v["value"]) for v in values["results"]] == [("2027-02-01", "5.00")]
    # Another rep reads its latest value, as on the plan page, not its standing (its owner's
    # PACI, which they cannot open).
    [row] = bearer(world.other_rep).get(f"/api/plans/{world.plan.pk}/kpis/").json()["results"]
    assert row["latest"] == {"value": "12.00", "recorded_on": "2027-03-01"}
    assert (row["attainment"], row["expected"], row["standing"]) == (None, None, None)


def test_deals_and_reviews_filtered_by_date(world, bearer):
    DealFactory(plan=world.plan, owner=world.rep, company="Alpha", milestone_date=date(2027, 2, 1))
    DealFactory(plan=world.plan, owner=world.rep, company="Beta", milestone_date=date(2027, 5, 1))
    ReviewFactory(plan=world.plan, held_on=date(2027, 1, 15))
    ReviewFactory(plan=world.plan, held_on=date(2027, 3, 15))
    client = bearer(world.other_rep)
    deals = client.get(f"/api/plans/{world.plan.pk}/deals/?since=2027-03-01&until=2027-12-31")
    assert [deal["company"] for deal in deals.json()["results"]] == ["Beta"]
    reviews = client.get(f"/api/plans/{world.plan.pk}/reviews/").json()["results"]
    assert [review["held_on"] for review in reviews] == ["2027-03-15", "2027-01-15"]


def test_lists_come_a_page_at_a_time(world, bearer):
    target = TargetFactory(plan=world.plan)
    for number in range(5):
        DealFactory(plan=world.plan, owner=world.rep, target=target, company=f"Client {number}")
    client = bearer(world.manager)
    first = client.get(f"/api/plans/{world.plan.pk}/deals/?page_size=2").json()
    assert first["count"] == 5
    assert [deal["company"] for deal in first["results"]] == ["Client 0", "Client 1"]
    assert first["next"].endswith("page=2&page_size=2")
    last = client.get(f"/api/plans/{world.plan.pk}/deals/?page_size=2&page=3").json()
    assert [deal["company"] for deal in last["results"]] == ["Client 4"]
    # Never more than 200 a page, whatever is asked.
    assert client.get(f"/api/plans/{world.plan.pk}/deals/?page_size=100000").status_code == 200


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("?since=demain", 400),
        ("?since=2027-02-30", 400),
        ("?since=2027-06-01&until=2027-01-01", 400),
        ("?until=9999-12-31", 200),
        ("?page=99999999", 404),
        ("?page=abc", 404),
        ("?page=0", 404),
        ("?since=%00", 404),
    ],
)
def test_bad_parameters_are_a_400_or_a_404_that_says_why(world, bearer, query, status):
    response = bearer(world.manager).get(f"/api/plans/{world.plan.pk}/deals/{query}")
    assert response.status_code == status
    if status == 400:
        assert response.json()


def test_a_bad_date_is_explained_in_english_or_french(world, bearer):
    url = f"/api/plans/{world.plan.pk}/deals/?since=demain"
    english = bearer(world.manager, language="en").get(url).json()
    assert english == {"since": ["Enter a valid date."]}


@pytest.mark.parametrize(
    "url",
    [
        "/api/plans/99999999999999999999/",
        "/api/plans/999999999999999999/",
        "/api/plans/1/deals/99999999999999999999/",
        "/api/kpis/99999999999999999999/values/",
        "/api/kpis/123456789/values/",
        "/api/plans/-1/",
        "/api/plans/abc/",
        "/api/nothing/",
    ],
)
def test_an_id_too_large_or_unknown_is_a_404(world, bearer, url):
    """In JSON, and saying the same whatever the address (no model named)."""
    response = bearer(world.manager).get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_another_teams_kpi_is_not_told_from_a_missing_one(world, bearer):
    theirs = KpiFactory(action=ActionFactory(target=TargetFactory(plan=world.foreign_plan)))
    client = bearer(world.manager)
    answers = [
        client.get(f"/api/kpis/{pk}/values/", HTTP_ACCEPT_LANGUAGE="fr")
        for pk in (theirs.pk, theirs.pk + 1000)
    ]
    assert [(a.status_code, a.json()) for a in answers] == [(404, {"detail": "Non trouvé."})] * 2


def test_a_share_past_what_a_decimal_holds_is_still_a_figure(world, bearer):
    """999 999 999 999,99 reached of a target of 0,01: 99 999 999 999 999 times it, a share of
    9 999 999 999 999 900 %."""
    kpi = KpiFactory(
        action=ActionFactory(target=TargetFactory(plan=world.plan)),
        owner=world.rep,
        target_value=Decimal("0.01"),
    )
    KpiValue.objects.create(
        kpi=kpi,
        recorded_on=date(2027, 3, 1),
        value=Decimal("999999999999.99"),
        recorded_by=world.rep,
    )
    response = bearer(world.rep).get(f"/api/plans/{world.plan.pk}/kpis/")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert Decimal(row["attainment"]) == Decimal("9999999999999900.0")


def test_anonymous_requests_get_a_401_in_json(world, client):
    response = client.get(f"/api/plans/{world.plan.pk}/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Informations d'authentification non fournies."}


LISTS = ["targets", "objectives", "actions", "kpis", "deals", "reviews"]


def fill(world, size):
    for _ in range(size):
        target = TargetFactory(plan=world.plan)
        objective = ObjectiveFactory(target=target, measured_by="won_amount")
        action = ActionFactory(target=target, owner=world.rep)
        ActionStepFactory(action=action)
        ActionStepFactory(action=action)
        kpi = KpiFactory(action=action, owner=world.rep)
        KpiFactory(action=None, objective=objective)
        KpiValue.objects.create(
            kpi=kpi, recorded_on=date(2027, 2, 1), value=3, recorded_by=world.rep
        )
        DealFactory(plan=world.plan, owner=world.rep, target=target)
        ReviewFactory(plan=world.plan, held_on=date(2027, 2, 1))
    return kpi


# The queries of each list: the token and the plan with the reader's role, then its own.
QUERIES = {"targets": 4, "objectives": 4, "actions": 5, "kpis": 3, "deals": 4, "reviews": 4}


@pytest.mark.parametrize("name", LISTS)
def test_a_list_costs_the_same_queries_whatever_its_length(
    world, bearer, django_assert_num_queries, name
):
    client = bearer(world.manager)
    url = f"/api/plans/{world.plan.pk}/{name}/"
    client.get(url)  # the token's day of last use is written once
    fill(world, 2)
    with django_assert_num_queries(QUERIES[name]):
        assert len(client.get(url).json()["results"]) >= 2
    fill(world, 6)
    with django_assert_num_queries(QUERIES[name]):
        assert len(client.get(url).json()["results"]) >= 8


def test_the_values_of_a_kpi_cost_the_same_queries_whatever_their_number(
    world, bearer, django_assert_num_queries
):
    client = bearer(world.manager)
    kpi = fill(world, 1)
    url = f"/api/kpis/{kpi.pk}/values/"
    client.get(url)
    with django_assert_num_queries(5):
        assert len(client.get(url).json()["results"]) == 1
    for day in range(2, 12):
        KpiValue.objects.create(
            kpi=kpi, recorded_on=date(2027, 2, day), value=day, recorded_by=world.rep
        )
    with django_assert_num_queries(5):
        assert len(client.get(url).json()["results"]) == 11


def test_the_list_of_plans_costs_the_same_queries_whatever_its_length(
    world, bearer, django_assert_num_queries
):
    client = bearer(world.manager)
    client.get("/api/plans/")
    with django_assert_num_queries(3):
        assert client.get("/api/plans/").json()["count"] == 1
    for year in range(2028, 2033):
        PlanFactory(
            team=world.team,
            title=f"PAC {year}",
            period_start=date(year, 1, 1),
            period_end=date(year, 6, 30),
        )
    with django_assert_num_queries(3):
        titles = [plan["title"] for plan in client.get("/api/plans/").json()["results"]]
    assert titles == ["PAC 2032", "PAC 2031", "PAC 2030", "PAC 2029", "PAC 2028", "PAC Nord 2027"]
