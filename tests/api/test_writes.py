"""Writing through the API: KPI values and deals, validated by the pages' forms, saved by their
services, refused to whom the pages refuse them; a change on an old version is a 409 that
changes nothing; errors in the caller's language."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kpis.models import KpiValue
from pac.core.models import Plan
from pac.core.tokens import token_create
from targets.models import Deal
from tests.actions.factories import ActionFactory
from tests.kpis.factories import KpiFactory
from tests.targets.factories import DealFactory, TargetFactory

pytestmark = pytest.mark.django_db

TODAY = date(2027, 1, 12)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def kpi(world):
    action = ActionFactory(target=TargetFactory(plan=world.plan), owner=world.rep)
    return KpiFactory(action=action, owner=world.rep, name="Démos", unit="démos")


def send(client, method, url, data):
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def test_a_value_sent_is_listed_and_shown_on_the_paci(world, bearer, kpi):
    client = bearer(world.rep)
    url = f"/api/kpis/{kpi.pk}/values/"
    response = send(client, "post", url, {"recorded_on": "2027-01-10", "value": 17.5})
    assert response.status_code == 201, response.json()
    assert response.json()["value"] == "17.50"
    assert response.json()["recorded_by"]["username"] == "rep"
    value = KpiValue.objects.get()
    assert (value.kpi, value.value, value.recorded_by) == (kpi, Decimal("17.5"), world.rep)
    listed = client.get(url).json()["results"]
    assert [(row["recorded_on"], row["value"]) for row in listed] == [("2027-01-10", "17.50")]
    page = Client()
    page.force_login(world.rep)
    paci = page.get(reverse("pac:paci", args=[world.plan.pk, "rep"]))
    assert "17,5" in paci.text
    [row] = client.get(f"/api/plans/{world.plan.pk}/kpis/").json()["results"]
    assert row["latest"] == {"value": "17.50", "recorded_on": "2027-01-10"}


def test_a_value_may_be_sent_form_encoded_by_the_session_with_its_csrf_token(world, kpi):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.rep)
    url = f"/api/kpis/{kpi.pk}/values/"
    data = {"recorded_on": "2027-01-10", "value": "4"}
    refused = client.post(url, data)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    client.get(reverse("profile"))
    sent = client.post(url, data, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    assert sent.status_code == 201
    assert KpiValue.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"recorded_on": "2027-01-10", "value": "beaucoup"}, {"value": ["Enter a number."]}),
        ({"value": "3"}, {"recorded_on": ["This field is required."]}),
        (
            {"recorded_on": "2027-01-13", "value": "3"},
            {"recorded_on": ["A value cannot be recorded for a day that has not come yet."]},
        ),
        (
            {"recorded_on": "2026-12-31", "value": "3"},
            {"recorded_on": ["Choose a date inside the plan's period (01/01/2027 – 30/06/2027)."]},
        ),
        (
            {"recorded_on": "2027-01-10", "value": ["3"]},
            {"value": ["Expected a single value."]},
        ),
        (
            {"recorded_on": "2027-01-10", "value": "3", "comment": "a\x00b"},
            {
                "comment": [
                    "Null characters are not allowed.",
                    "This text holds an invisible control character: remove it and type it again.",
                ]
            },
        ),
    ],
)
def test_an_invalid_value_is_a_400_with_the_message_of_each_field(world, bearer, kpi, data, errors):
    response = send(bearer(world.rep), "post", f"/api/kpis/{kpi.pk}/values/", data)
    assert response.status_code == 400
    assert response.json() == errors
    assert not KpiValue.objects.exists()


def test_errors_are_in_french_when_asked_else_in_the_profiles_language(world, bearer, kpi):
    url = f"/api/kpis/{kpi.pk}/values/"
    data = {"recorded_on": "2027-01-10", "value": "beaucoup"}
    french = send(bearer(world.rep, language="fr"), "post", url, data)
    assert french.json() == {"value": ["Saisissez un nombre."]}
    world.rep.language = "en"
    world.rep.save()
    _, secret = token_create(actor=world.rep, name="CRM")
    unsaid = send(Client(HTTP_AUTHORIZATION=f"Bearer {secret}"), "post", url, data)
    assert unsaid.json() == {"value": ["Enter a number."]}


def test_only_the_kpis_owner_and_the_managers_record_its_values(world, bearer, kpi):
    url = f"/api/kpis/{kpi.pk}/values/"
    data = {"recorded_on": "2027-01-10", "value": "3"}
    assert send(bearer(world.viewer), "post", url, data).status_code == 403
    # Another rep cannot open the owner's PACI, where its values are: the same 404.
    for user in [world.other_rep, world.foreign_manager]:
        assert send(bearer(user), "post", url, data).status_code == 404, user
    assert not KpiValue.objects.exists()
    assert send(bearer(world.manager), "post", url, data).status_code == 201


def test_a_closed_plan_takes_no_value_and_no_deal(world, bearer, kpi):
    deal = DealFactory(plan=world.plan, owner=world.rep)
    Plan.objects.filter(pk=world.plan.pk).update(status=Plan.Status.CLOSED)
    client = bearer(world.manager)
    value = send(client, "post", f"/api/kpis/{kpi.pk}/values/", {"recorded_on": "2027-01-10"})
    assert value.status_code == 403
    assert "closed" in value.json()["detail"]
    new = send(client, "post", f"/api/plans/{world.plan.pk}/deals/", DEAL)
    assert new.status_code == 403
    change = send(
        client,
        "patch",
        f"/api/plans/{world.plan.pk}/deals/{deal.pk}/",
        {"version": deal.version, "amount": "1"},
    )
    assert change.status_code == 403
    assert Deal.objects.count() == 1 and not KpiValue.objects.exists()


DEAL = {
    "company": "Fonderie Lemaire",
    "amount": "12000",
    "probability": 40,
    "stage": "proposal",
    "milestone_date": "2027-04-15",
}


def test_a_rep_adds_a_deal_of_their_own_and_a_manager_one_of_anyones(world, bearer):
    url = f"/api/plans/{world.plan.pk}/deals/"
    mine = send(bearer(world.rep), "post", url, DEAL)
    assert mine.status_code == 201, mine.json()
    assert mine.json()["owner"]["username"] == "rep"
    assert mine.json()["weighted_amount"] == "4800.00"
    given = send(bearer(world.rep), "post", url, DEAL | {"owner": world.other_rep.pk})
    assert given.status_code == 400
    assert list(given.json()) == ["owner"]
    handed = send(bearer(world.manager), "post", url, DEAL | {"owner": world.other_rep.pk})
    assert handed.status_code == 201
    assert send(bearer(world.viewer), "post", url, DEAL).status_code == 403
    assert sorted(Deal.objects.values_list("owner__username", flat=True)) == ["rep", "rep_b"]


def test_a_won_deal_is_certain_as_on_the_page(world, bearer):
    response = send(
        bearer(world.manager),
        "post",
        f"/api/plans/{world.plan.pk}/deals/",
        DEAL | {"stage": "won", "probability": 10},
    )
    assert response.json()["probability"] == 100


def test_an_invalid_deal_is_a_400_with_the_message_of_each_field(world, bearer):
    response = send(
        bearer(world.manager),
        "post",
        f"/api/plans/{world.plan.pk}/deals/",
        DEAL | {"company": "", "amount": "-5", "probability": 140},
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors["company"] == ["This field is required."]
    assert errors["amount"] == ["Ensure this value is greater than or equal to 0."]
    assert errors["probability"] == ["Ensure this value is less than or equal to 100."]
    assert not Deal.objects.exists()


def test_a_deal_changed_on_its_latest_version_is_saved(world, bearer):
    deal = DealFactory(plan=world.plan, owner=world.rep, company="Alpha", amount=1000)
    url = f"/api/plans/{world.plan.pk}/deals/{deal.pk}/"
    response = send(
        bearer(world.rep), "patch", url, {"version": deal.version, "stage": "negotiation"}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["stage"] == "negotiation"
    assert response.json()["version"] == deal.version + 1
    deal.refresh_from_db()
    assert (deal.stage, deal.company, deal.amount) == ("negotiation", "Alpha", Decimal("1000"))
    whole = DEAL | {"version": deal.version}
    put = send(bearer(world.manager), "put", url, whole)
    assert put.status_code == 200
    deal.refresh_from_db()
    assert (deal.company, deal.amount) == ("Fonderie Lemaire", Decimal("12000"))


def test_a_deal_changed_on_an_old_version_is_a_409_and_nothing_changes(world, bearer):
    deal = DealFactory(plan=world.plan, owner=world.rep, company="Alpha", amount=1000)
    url = f"/api/plans/{world.plan.pk}/deals/{deal.pk}/"
    client = bearer(world.rep)
    assert (
        send(client, "patch", url, {"version": deal.version, "amount": "2000"}).status_code == 200
    )
    stale = send(client, "patch", url, {"version": deal.version, "amount": "3000"})
    assert stale.status_code == 409
    assert stale.json()["version"] == deal.version + 1
    assert "read it again" in stale.json()["detail"]
    deal.refresh_from_db()
    assert (deal.amount, deal.version) == (Decimal("2000"), 2)
    unversioned = send(client, "patch", url, {"amount": "3000"})
    assert unversioned.status_code == 400
    assert "version" in unversioned.json()["non_field_errors"][0]


def test_nobody_changes_a_deal_the_pages_would_not_let_them(world, bearer):
    deal = DealFactory(plan=world.plan, owner=world.rep)
    url = f"/api/plans/{world.plan.pk}/deals/{deal.pk}/"
    data = {"version": deal.version, "amount": "1"}
    for user in [world.other_rep, world.viewer]:
        assert send(bearer(user), "patch", url, data).status_code == 403
    assert send(bearer(world.foreign_manager), "patch", url, data).status_code == 404
    foreign = DealFactory(plan=world.foreign_plan, owner=world.foreign_manager)
    other_plans = f"/api/plans/{world.plan.pk}/deals/{foreign.pk}/"
    assert send(bearer(world.manager), "patch", other_plans, data).status_code == 404
    # A rep cannot hand their deal to a colleague.
    handed = send(bearer(world.rep), "patch", url, data | {"owner": world.other_rep.pk})
    assert handed.status_code == 400
    deal.refresh_from_db()
    assert deal.version == 1 and deal.owner == world.rep


@pytest.mark.parametrize("payload", ["[1, 2]", '"text"', "{", "null"])
def test_a_body_that_is_not_an_object_is_a_400(world, bearer, payload):
    client = bearer(world.manager)
    response = client.post(
        f"/api/plans/{world.plan.pk}/deals/", payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert not Deal.objects.exists()
