"""Private iCalendar feeds, read back with the icalendar library, and the settings page."""

from datetime import date

import pytest
from django.urls import reverse
from icalendar import Calendar

from pac.planning import services
from tests.actions.factories import ActionFactory, ActionStepFactory
from tests.targets.factories import DealFactory, TargetFactory

pytestmark = pytest.mark.django_db


def feed_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return {
        str(event["UID"]): event for event in Calendar.from_ical(response.content).walk("VEVENT")
    }


@pytest.fixture
def work(world):
    target = TargetFactory(plan=world.plan)
    action = ActionFactory(
        target=target,
        owner=world.rep,
        title="Salon Industrie",
        start_date=date(2027, 3, 1),
        end_date=date(2027, 3, 4),
    )
    joined = ActionFactory(
        target=target,
        owner=world.other_rep,
        participants=[world.rep],
        title="Webinaire",
        start_date=date(2027, 2, 10),
        end_date=date(2027, 2, 10),
    )
    return {
        "action": action,
        "joined": joined,
        "undated": ActionFactory(target=target, owner=world.rep, start_date=None, end_date=None),
        "colleague": ActionFactory(target=target, owner=world.other_rep, title="Pas à moi"),
        "step": ActionStepFactory(
            action=action, title="Réserver le stand", due_date=date(2027, 2, 1)
        ),
        "deal": DealFactory(
            plan=world.plan,
            owner=world.rep,
            company="Fonderie Lemaire",
            milestone_date=date(2027, 4, 15),
        ),
        "foreign": ActionFactory(
            target=TargetFactory(plan=world.foreign_plan), owner=world.rep, title="Autre équipe"
        ),
    }


def my_feed_url(user):
    return reverse("ical-mine", args=[user.feed_token])


def test_my_feed_holds_my_actions_steps_and_deals(client, world, work):
    events = feed_of(client, my_feed_url(world.rep))
    action, step, deal = work["action"], work["step"], work["deal"]
    assert set(events) == {
        f"action-{action.pk}@pac",
        f"action-{work['joined'].pk}@pac",
        f"step-{step.pk}@pac",
        f"deal-{deal.pk}@pac",
    }
    salon = events[f"action-{action.pk}@pac"]
    assert str(salon["SUMMARY"]) == "Salon Industrie"
    # All-day from 01/03 to 04/03 included: DTEND is the day after (RFC 5545).
    assert salon.decoded("DTSTART") == date(2027, 3, 1)
    assert salon.decoded("DTEND") == date(2027, 3, 5)
    assert str(salon["URL"]).endswith(
        reverse("actions:action-detail", args=[world.plan.pk, action.pk])
    )
    assert (
        str(events[f"step-{step.pk}@pac"]["SUMMARY"])
        == "Étape : Réserver le stand (Salon Industrie)"
    )
    assert events[f"step-{step.pk}@pac"].decoded("DTSTART") == date(2027, 2, 1)
    assert str(events[f"deal-{deal.pk}@pac"]["SUMMARY"]) == "Jalon d'affaire : Fonderie Lemaire"


def test_an_edited_action_keeps_its_uid(client, world, work):
    action = work["action"]
    action.title = "Salon Industrie Paris"
    action.end_date = date(2027, 3, 6)
    action.save()
    event = feed_of(client, my_feed_url(world.rep))[f"action-{action.pk}@pac"]
    assert str(event["SUMMARY"]) == "Salon Industrie Paris"
    assert event.decoded("DTEND") == date(2027, 3, 7)


def test_the_feed_speaks_its_owner_language(client, world, work):
    world.rep.language = "en"
    world.rep.save()
    events = feed_of(client, my_feed_url(world.rep))
    assert (
        str(events[f"step-{work['step'].pk}@pac"]["SUMMARY"])
        == "Step: Réserver le stand (Salon Industrie)"
    )


def test_a_regenerated_key_retires_the_old_url(client, world, work):
    old = my_feed_url(world.rep)
    services.feed_token_regenerate(actor=world.rep)
    world.rep.refresh_from_db()
    assert client.get(old).status_code == 404
    assert client.get(my_feed_url(world.rep)).status_code == 200


@pytest.mark.parametrize("token", ["nope", "x" * 43])
def test_an_unknown_key_is_a_404(client, db, token):
    assert client.get(reverse("ical-mine", args=[token])).status_code == 404


def test_a_deactivated_user_feed_is_a_404(client, world, work):
    world.rep.is_active = False
    world.rep.save()
    assert client.get(my_feed_url(world.rep)).status_code == 404


def test_the_plan_feed_is_for_its_managers(client, world, work):
    url = reverse("ical-plan", args=[world.manager.feed_token, world.plan.pk])
    events = feed_of(client, url)
    assert f"action-{work['colleague'].pk}@pac" in events
    assert f"action-{work['foreign'].pk}@pac" not in events
    assert (
        client.get(reverse("ical-plan", args=[world.rep.feed_token, world.plan.pk])).status_code
        == 404
    )
    assert (
        client.get(
            reverse("ical-plan", args=[world.foreign_manager.feed_token, world.plan.pk])
        ).status_code
        == 404
    )


def test_the_settings_page_gives_the_feeds_and_makes_new_ones(world, login):
    client = login(world.manager)
    page = client.get(reverse("profile")).text
    assert world.manager.feed_token in page
    assert reverse("ical-plan", args=[world.manager.feed_token, world.plan.pk]) in page
    old = world.manager.feed_token
    response = client.post(reverse("profile"), {"regenerate": "1"})
    assert response.status_code == 302
    world.manager.refresh_from_db()
    assert world.manager.feed_token != old
    assert len(world.manager.feed_token) >= 40


def test_the_settings_page_saves_language_and_reminders(world, login):
    client = login(world.rep)
    response = client.post(reverse("profile"), {"language": "en"})
    assert response.status_code == 302
    world.rep.refresh_from_db()
    assert (world.rep.language, world.rep.reminders) == ("en", False)
    response = client.post(reverse("profile"), {"language": "klingon", "reminders": "on"})
    assert response.status_code == 422
    world.rep.refresh_from_db()
    assert (world.rep.language, world.rep.reminders) == ("en", False)


def test_keys_are_long_random_and_unique(world):
    tokens = {user.feed_token for user in (world.manager, world.rep, world.other_rep, world.viewer)}
    assert len(tokens) == 4
    assert all(len(token) >= 40 for token in tokens)


def test_feeds_need_no_session_but_other_pages_do(client, world):
    assert client.get(my_feed_url(world.rep)).status_code == 200
    assert client.get(reverse("profile")).status_code == 302
