"""What a fuzzer sent PAC once ended in a 500 or a silent overwrite: each case, on both engines.

Bad input gets a 404 (an address naming nothing) or a 422 with the reason beside the field, and
changes nothing; a create sent twice creates once; an edit that does not say which version it was
opened on is refused.
"""

import re
import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from actions import services as action_services
from actions.models import Action
from kpis import services as kpi_services
from kpis.models import KpiValue
from pac.core.models import Plan
from pac.plans.models import SwotItem
from pac.steering.models import Review
from tests.actions.factories import ActionFactory
from tests.builders import kpi_fields, sheet
from tests.pac.factories import PlanFactory
from tests.targets.factories import DealFactory, ObjectiveFactory, TargetFactory
from tests.test_editor_permissions import DOORS, fingerprint, prepared

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
HUGE = "99999999999999999999"


def text_of(response):
    return response.content.decode()


# Dates no plan runs in.


@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01"])
def test_a_period_in_year_9999_or_1_is_refused_beside_the_field(world, login, start):
    client = login(world.manager)
    response = client.post(
        reverse("pac:plan-create"),
        {
            "team": world.team.pk,
            "title": "Trop loin",
            "period_kind": "year",
            "period_start": start,
            "budget_envelope": "0",
        },
    )
    assert response.status_code == 422
    assert "Choisissez une date entre le 01/01/2000 et le 31/12/2199." in text_of(response)
    duplicate = client.post(
        reverse("pac:plan-duplicate", args=[world.plan.pk]),
        {"title": "Copie", "period_kind": "semester", "period_start": start},
    )
    assert duplicate.status_code == 422
    assert "Choisissez une date entre" in text_of(duplicate)
    assert Plan.objects.count() == 2  # the world's two plans


def test_a_header_period_ending_in_9999_is_refused(world, login):
    plan = world.plan
    response = login(world.manager).post(
        reverse("pac:plan-update", args=[plan.pk]),
        {
            "title": plan.title,
            "period_start": "2027-01-01",
            "period_end": "9999-12-31",
            "budget_envelope": "0",
            "version": plan.version,
        },
        headers=HTMX,
    )
    assert response.status_code == 422
    assert "Choisissez une date entre" in text_of(response)
    assert Plan.objects.get(pk=plan.pk).period_end == date(2027, 6, 30)


@pytest.mark.parametrize("month", ["9999-12", "0000-01", "2027-13"])
def test_a_calendar_month_out_of_range_is_explained(world, login, month):
    response = login(world.manager).get(
        reverse("pac:calendar", args=[world.plan.pk]), {"month": month}
    )
    assert response.status_code == 200
    assert "invalid-feedback" in text_of(response)


@pytest.mark.parametrize("held_on", ["0001-01-01", "1900-01-01", "2026-11-30"])
def test_a_review_far_from_the_plan_period_is_refused(world, login, held_on):
    response = login(world.manager).post(
        reverse("pac:review-create", args=[world.plan.pk]),
        {"held_on": held_on, "findings": "Bilan"},
    )
    assert response.status_code == 422
    # The period runs 01/01/2027 – 30/06/2027: a month before, three months after.
    assert "entre le 01/12/2026 et le 30/09/2027" in text_of(response)
    assert Review.objects.count() == 0


def test_a_review_the_day_before_the_period_starts_is_recorded(world, login):
    response = login(world.manager).post(
        reverse("pac:review-create", args=[world.plan.pk]),
        {"held_on": "2026-12-01", "findings": "Lancement"},
    )
    assert response.status_code == 302
    assert Review.objects.get().held_on == date(2026, 12, 1)


# Ids too large for the database.


def test_a_huge_participant_or_objective_id_is_an_unknown_choice(world, login):
    target = TargetFactory(plan=world.plan)
    ObjectiveFactory(target=target)  # the form lists the objectives when there are some
    data = {
        "title": "Salon",
        "target": target.pk,
        "domain": "sales",
        "sales_type": "hunting",
        "status": "planned",
        "owner": world.rep.pk,
        "start_date": "2027-03-01",
        "end_date": "2027-03-04",
        "budget_planned": "0",
        "budget_actual": "0",
        "occurrences_done": "0",
        "progress": "0",
    }
    client = login(world.manager)
    url = reverse("actions:action-create", args=[world.plan.pk])
    for field in ["participants", "objectives"]:
        response = client.post(url, data | {field: [HUGE]})
        assert response.status_code == 422
        assert "Sélectionnez un choix valide" in text_of(response)
    assert Action.objects.count() == 0


def test_a_huge_attendee_id_is_an_unknown_choice(world, login):
    response = login(world.manager).post(
        reverse("pac:review-create", args=[world.plan.pk]),
        {"held_on": "2026-12-01", "attendees": [str(world.rep.pk), HUGE]},
    )
    assert response.status_code == 422
    assert "Sélectionnez un choix valide" in text_of(response)
    assert Review.objects.count() == 0


# NUL bytes in addresses: PostgreSQL's text cannot hold them.


@pytest.mark.parametrize(
    "address",
    [
        "/plans/{plan}/paci/%00/",
        "/plans/{plan}/paci/%00/deals/new/",
        "/plans/{plan}/paci/rep%00/",
        "/plans/{plan}/actions/?q=%00",
        "/plans/{plan}/calendar/?month=%00",
        "/plans/{plan}/actions/?%00=1",
    ],
)
def test_a_nul_byte_in_an_address_is_a_404(world, login, address):
    client = login(world.manager)
    assert client.get(address.format(plan=world.plan.pk)).status_code == 404
    assert client.post(address.format(plan=world.plan.pk), {}).status_code == 404


@pytest.mark.parametrize("address", ["/ical/%00.ics", "/ical/x%00y/plans/1.ics"])
def test_a_nul_byte_in_a_feed_address_is_a_404_for_anyone(client, address):
    assert client.get(address).status_code == 404


def test_a_nul_byte_in_a_form_value_is_refused_beside_the_field(world, login):
    response = login(world.manager).post(
        reverse("pac:swot-create", args=[world.plan.pk]),
        {"quadrant": "threat", "text": "Une\x00menace"},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert "invalid-feedback" in text_of(response)
    assert SwotItem.objects.count() == 0


# Text that would break the feeds or turn PAC's own words around.


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Salon\nIndustrie", "Écrivez ceci sur une seule ligne"),
        ("Salon\rUID:forged", "Écrivez ceci sur une seule ligne"),
        ("Salon\u2028Industrie", "Écrivez ceci sur une seule ligne"),
        ("Salon\x1bIndustrie", "caractère de contrôle invisible"),
        ("Salon\x7f", "caractère de contrôle invisible"),
        ("Salon \u202eIndustrie", "sens d’écriture"),
        ("Salon \u2069", "sens d’écriture"),
    ],
)
def test_a_one_line_field_refuses_breaks_controls_and_open_direction_marks(
    world, login, text, message
):
    plan = world.plan
    response = login(world.manager).post(
        reverse("pac:plan-update", args=[plan.pk]),
        {
            "title": text,
            "period_start": "2027-01-01",
            "period_end": "2027-06-30",
            "budget_envelope": "0",
            "version": plan.version,
        },
        headers=HTMX,
    )
    assert response.status_code == 422
    assert message in text_of(response)
    assert Plan.objects.get(pk=plan.pk).title == plan.title


def test_a_multi_line_text_keeps_its_lines_tabs_and_closed_direction_marks(world, login):
    plan = world.plan
    strategy = "Conquérir l’Est\r\n\t– PME\r\nوكلاء \u202bمعتمدون\u202c, \u2067عربي\u2069"
    response = login(world.manager).post(
        reverse("pac:plan-strategy", args=[plan.pk]),
        {"strategy": strategy, "version": plan.version},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert Plan.objects.get(pk=plan.pk).strategy == strategy
    refused = login(world.manager).post(
        reverse("pac:plan-strategy", args=[plan.pk]),
        {"strategy": "Un\x0cdeux", "version": plan.version + 1},
        headers=HTMX,
    )
    assert refused.status_code == 422
    assert "caractère de contrôle invisible" in text_of(refused)


def test_feeds_stay_valid_whatever_text_was_saved_before_the_rules(world, client):
    """Rows written before the forms refused line breaks (or through the admin) no longer break
    the feeds: one-line properties lose their breaks, no control character or open override
    gets out, and a lone CR cannot start a forged property."""
    plan = world.plan
    Plan.objects.filter(pk=plan.pk).update(title="PAC\r\nNord\x1b \u202e2027")
    type(world.manager).objects.filter(pk=world.manager.pk).update(first_name="Ana\nïs")
    target = TargetFactory(plan=plan)
    ActionFactory(
        target=target,
        owner=world.manager,
        title="Salon\rUID:forged@evil",
        start_date=date(2027, 3, 1),
        end_date=date(2027, 3, 4),
    )
    world.manager.refresh_from_db()
    for url in [
        reverse("ical-plan", args=[world.manager.feed_token, plan.pk]),
        reverse("ical-mine", args=[world.manager.feed_token]),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert re.search(r"\r(?!\n)|(?<!\r)\n", body) is None  # every line ends in CRLF
        assert "\x1b" not in body and "\u202e" not in body
        assert "\r\nUID:forged" not in body
        feed = Calendar.from_ical(response.content)
        events = feed.walk("VEVENT")
        assert [str(event["summary"]) for event in events] == ["Salon UID:forged@evil"]
    plan_feed = Calendar.from_ical(
        client.get(reverse("ical-plan", args=[world.manager.feed_token, plan.pk])).content
    )
    assert str(plan_feed["x-wr-calname"]) == "PAC Nord 2027"
    mine = Calendar.from_ical(
        client.get(reverse("ical-mine", args=[world.manager.feed_token])).content
    )
    assert str(mine["x-wr-calname"]).startswith("PAC · Ana ïs")


# Edits that do not say which version they were opened on.


VERSIONED = [door for door in DOORS if door.versioned]


@pytest.mark.parametrize("version", [None, "", "abc", "1.5", "-1"])
@pytest.mark.parametrize("door", VERSIONED, ids=lambda door: door.name)
def test_an_edit_without_its_version_is_refused_with_the_reason(
    world, login, things, door, version
):
    client = login(world.manager)
    data = prepared(door, things, "valid")
    if version is None:
        del data["version"]
    else:
        data["version"] = version
    before = fingerprint()
    response = client.post(door.url(things), data, headers=HTMX if door.region else {})
    assert response.status_code == 422
    assert "ne dit pas sur quelle version" in text_of(response)
    assert fingerprint() == before


# Creates sent twice.


CREATES = [door for door in DOORS if door.name.endswith("-create") or door.name.endswith("-assess")]


@pytest.mark.parametrize("door", CREATES, ids=lambda door: door.name)
def test_a_create_sent_twice_creates_once(world, login, things, door):
    client = login(world.manager)
    form = text_of(client.get(door.url(things), headers=HTMX if door.region else {}))
    token = re.search(r'name="once" value="([0-9a-f]{32})"', form)[1]
    data = prepared(door, things, "valid") | {"once": token}
    headers = HTMX if door.region else {}
    before = fingerprint()
    first = client.post(door.url(things), data, headers=headers)
    assert first.status_code in {200, 302}
    after_first = fingerprint()
    assert after_first != before
    second = client.post(door.url(things), data, headers=headers)
    assert second.status_code in {200, 302}
    assert fingerprint() == after_first


def test_a_create_sent_again_after_an_error_creates_then(world, login):
    """A refused sending leaves its token free: corrected, the same form saves."""
    client = login(world.manager)
    url = reverse("pac:swot-create", args=[world.plan.pk]) + "?quadrant=threat"
    token = re.search(r'name="once" value="(\w+)"', text_of(client.get(url, headers=HTMX)))[1]
    refused = client.post(url, {"quadrant": "threat", "text": "", "once": token}, headers=HTMX)
    assert refused.status_code == 422
    assert f'value="{token}"' in text_of(refused)
    saved = client.post(url, {"quadrant": "threat", "text": "Menace", "once": token}, headers=HTMX)
    assert saved.status_code == 200
    assert list(SwotItem.objects.values_list("text", flat=True)) == ["Menace"]


@pytest.mark.parametrize("token", ["a\x00b", "x" * 5000, "not-a-token"])
def test_a_token_of_another_shape_counts_as_none(world, login, token):
    """A hand-made post's token is not looked up: the create saves, as without one."""
    url = reverse("pac:swot-create", args=[world.plan.pk]) + "?quadrant=threat"
    data = {"quadrant": "threat", "text": "Menace", "once": token}
    response = login(world.manager).post(url, data, headers=HTMX)
    assert response.status_code == 200
    assert SwotItem.objects.count() == 1


def test_a_plan_created_twice_by_a_double_click_exists_once(world, login):
    client = login(world.manager)
    form = text_of(client.get(reverse("pac:plan-create")))
    token = re.search(r'name="once" value="(\w+)"', form)[1]
    data = {
        "team": world.team.pk,
        "title": "PAC 2028",
        "period_kind": "year",
        "period_start": "2028-01-01",
        "budget_envelope": "0",
        "once": token,
    }
    first = client.post(reverse("pac:plan-create"), data)
    second = client.post(reverse("pac:plan-create"), data)
    assert first.status_code == second.status_code == 302
    assert Plan.objects.filter(title="PAC 2028").count() == 1
    assert second["Location"] == reverse("pac:plan-list")
    listing = text_of(client.get(second["Location"]))
    assert "Ce formulaire avait déjà été envoyé" in listing


# Two identical creates at the same instant.


@pytest.fixture
def running_plan(world):
    """A plan whose period holds today, with one KPI the rep owns."""
    today = timezone.localdate()
    plan = PlanFactory(
        team=world.team,
        period_start=today - timedelta(days=60),
        period_end=today + timedelta(days=60),
    )
    target = TargetFactory(plan=plan)
    action = action_services.action_create(
        actor=world.manager,
        plan=plan,
        data=sheet(target, "Prospection", world.rep, today - timedelta(days=30), today),
    )
    kpi = kpi_services.kpi_create(actor=world.manager, action=action, data=kpi_fields(world.rep))
    return plan, kpi


def test_a_lost_race_for_the_same_kpi_day_is_a_422_with_the_usual_message(
    world, login, running_plan, monkeypatch
):
    """The other sending saves between this one's last check (the service's, after the
    form's) and its insert."""
    plan, kpi = running_plan
    today = timezone.localdate()
    checked = KpiValue.full_clean
    checks = []

    def checks_then_loses_the_race(self, *args, **kwargs):
        checked(self, *args, **kwargs)
        checks.append(self)
        if len(checks) == 2:
            KpiValue.objects.create(kpi=kpi, recorded_on=today, value=3, recorded_by=world.manager)

    monkeypatch.setattr(KpiValue, "full_clean", checks_then_loses_the_race)
    url = reverse("kpis:paci-kpi-value-create", args=[plan.pk, world.rep.username, kpi.pk])
    response = login(world.rep).post(
        url, {"recorded_on": today.isoformat(), "value": "5"}, headers=HTMX
    )
    assert response.status_code == 422
    assert "Une valeur est déjà relevée pour ce KPI à cette date." in text_of(response)
    assert len(checks) == 2
    # Nothing of this sending saved (the winner's row, here in the same transaction, went with it).
    assert not KpiValue.objects.filter(value=5).exists()


@pytest.mark.django_db(transaction=True)
def test_two_identical_creates_at_once_save_one_and_explain_the_other(world):
    """On PostgreSQL, for real: two connections record the same KPI's value for the same day at
    the same instant. SQLite serialises writers, so the race cannot happen there."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer at a time: no two inserts race")
    today = timezone.localdate()
    plan = PlanFactory(
        team=world.team,
        period_start=today - timedelta(days=60),
        period_end=today + timedelta(days=60),
    )
    objective = ObjectiveFactory(target=TargetFactory(plan=plan))
    kpi = kpi_services.kpi_create(
        actor=world.manager, objective=objective, data=kpi_fields(world.rep)
    )
    both_checked = threading.Barrier(2, timeout=10)
    checked = KpiValue.full_clean

    def check_then_wait(self, *args, **kwargs):
        checked(self, *args, **kwargs)
        both_checked.wait()

    outcomes = []

    def record(value):
        try:
            kpi_services.kpi_value_record(actor=world.rep, kpi=kpi, value=value, on=today)
            outcomes.append("saved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    KpiValue.full_clean = check_then_wait
    try:
        threads = [threading.Thread(target=record, args=(value,)) for value in (4, 6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        KpiValue.full_clean = checked
    assert sorted(outcomes) == ["refused", "saved"]
    assert KpiValue.objects.filter(kpi=kpi).count() == 1


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2027-10-01"])
def test_a_deal_milestone_far_from_the_period_is_refused(world, login, day):
    """A rep's typo would break the team's calendar feed: year 9999 has no day after."""
    url = reverse("targets:paci-deal-create", args=[world.plan.pk, world.rep.username])
    data = {"company": "Fonderie", "amount": "1000", "probability": "40", "stage": "proposal"}
    data |= {"milestone_date": day, "owner": world.rep.pk}
    response = login(world.rep).post(url, data, headers=HTMX)
    assert response.status_code == 422
    assert "entre le 01/12/2026 et le 30/09/2027" in text_of(response)
    assert not world.plan.deals.exists()


def test_dates_saved_before_the_bounds_neither_break_feeds_nor_period_moves(world, login, client):
    """Rows written before the rules (year 9999): the feed still answers, and moving the period
    with its dates clamps them into the new period."""
    plan = world.plan
    target = TargetFactory(plan=plan)
    DealFactory(plan=plan, owner=world.manager, target=target, milestone_date=date(9999, 12, 31))
    world.manager.refresh_from_db()
    feed = client.get(reverse("ical-plan", args=[world.manager.feed_token, plan.pk]))
    assert feed.status_code == 200
    assert len(Calendar.from_ical(feed.content).walk("VEVENT")) == 1
    response = login(world.manager).post(
        reverse("pac:plan-update", args=[plan.pk]),
        {
            "title": plan.title,
            "period_start": "2027-02-01",
            "period_end": "2027-07-31",
            "budget_envelope": "0",
            "version": plan.version,
            "shift_dates": "1",
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    assert plan.deals.get().milestone_date == date(2027, 7, 31)
