"""One dataset, every page that counts: late work and a rep's work agree across the PACI, the
cockpit, the calendar, the action list, the timeline, the horizon, the reminders, the calendar
feed and the PDFs (one rule each: `Action.objects.late`, `.involving`, `ActionStep.given_to`)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from actions import services as actions
from pac.core.periods import add_months
from pac.documents import content as documents
from pac.planning.reminders import digest_for
from pac.plans import services as plans
from targets import services as targets
from tests.builders import sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(world):
    """Built through the services, from an empty plan around today."""
    today = timezone.localdate()
    manager, rep, other = world.manager, world.rep, world.other_rep
    plan = plans.plan_create(
        actor=manager,
        team=world.team,
        title="PAC du moment",
        period_start=today - timedelta(days=60),
        period_end=today + timedelta(days=60),
        budget_envelope=Decimal("0"),
    )
    target = targets.target_create(
        actor=manager, plan=plan, data={"name": "PME", "kind": "segment", "priority": 1}
    )

    def action(title, owner, end, status="in_progress", participants=(), start=None):
        return actions.action_create(
            actor=manager,
            plan=plan,
            data=sheet(target, title, owner, start or today - timedelta(days=30), end, status),
            participants=participants,
        )

    def step(of, due, done=False, owner=None):
        return actions.step_create(
            actor=manager,
            action=of,
            data={"title": f"Étape de {of.title}", "owner": owner, "due_date": due, "done": done},
        )

    action("A · fin dépassée", rep, today - timedelta(days=5))
    step(action("B · étape en retard", rep, today + timedelta(days=30)), today - timedelta(days=3))
    action("C · intervenant", other, today - timedelta(days=2), participants=[rep])
    action("D · terminée", rep, today - timedelta(days=10), "done")
    action("E · annulée", rep, today - timedelta(days=10), "cancelled")
    ticked = action("F · étape faite", rep, today + timedelta(days=10))
    step(ticked, today - timedelta(days=3), done=True)
    forgotten = action("G · terminée, étape oubliée", rep, today + timedelta(days=10), "done")
    step(forgotten, today - timedelta(days=3))
    action("H · reportée, fin dépassée", rep, today - timedelta(days=1), "postponed")
    action("I · d'un autre", other, today - timedelta(days=4))
    given = action("J · étape confiée", other, today + timedelta(days=20))
    step(given, today + timedelta(days=2), owner=rep)
    action("K · du manager", manager, today - timedelta(days=3))
    action("L · à venir", rep, today + timedelta(days=40), start=today + timedelta(days=5))
    return plan, today


# By hand. The rep's work: what they own (A B D E F G H L) or take part in (C). Late: open (a
# postponed action is open) and past its end (A C H) or with an open step past due (B); D, E
# and G are over, F's past step is ticked. The plan's late work adds I and K, the other rep's is
# C and I. J is the other rep's action, whose one step is given to the rep.
REP_WORK = {"A", "B", "C", "D", "E", "F", "G", "H", "L"}
REP_OPEN = REP_WORK - {"D", "E", "G"}
REP_LATE = {"A", "B", "C", "H"}
PLAN_LATE = REP_LATE | {"I", "K"}


def letters(actions):
    return {action.title[0] for action in actions}


def in_groups(response):
    return letters(action for group in response.context["groups"] for action in group.actions)


def test_the_reps_work_is_the_same_everywhere(world, login, work):
    plan, today = work
    rep = world.rep
    client = login(world.manager)

    paci = client.get(reverse("pac:paci", args=[plan.pk, rep.username])).context
    assert letters(a for _key, _title, members in paci["buckets"].sections for a in members) == (
        REP_WORK
    )

    listed = client.get(reverse("actions:action-list", args=[plan.pk]) + f"?owner={rep.pk}")
    assert in_groups(listed) == REP_WORK

    on_calendar = set()
    month = plan.period_start.replace(day=1)
    while month <= plan.period_end:
        page = client.get(
            reverse("pac:calendar", args=[plan.pk]) + f"?owner={rep.pk}&month={month:%Y-%m}"
        )
        on_calendar |= letters(bar.action for week in page.context["weeks"] for bar in week.bars)
        month = add_months(month, 1)
    assert on_calendar == REP_WORK

    timeline = client.get(reverse("pac:timeline", args=[plan.pk]) + f"?owner={rep.pk}")
    assert letters(a for lane in timeline.context["lanes"] for a in lane.actions) == REP_WORK

    horizon = client.get(
        reverse("pac:horizon", args=[plan.pk]) + f"?owner={rep.pk}&days=90"
    ).context["horizon"]
    assert letters(horizon.late + horizon.starting + horizon.due) == REP_OPEN

    feed = Calendar.from_ical(client.get(reverse("ical-mine", args=[rep.feed_token])).content)
    uids = [str(event["uid"]) for event in feed.walk("VEVENT")]
    summaries = {str(event["summary"]) for event in feed.walk("VEVENT")}
    assert sum(uid.startswith("action-") for uid in uids) == len(REP_WORK)
    assert {summary[0] for summary in summaries if summary[1:4] == " · "} == REP_WORK
    # A step given to the rep reaches them, without making its action theirs.
    assert "Étape : Étape de J · étape confiée (J · étape confiée)" in summaries

    document = documents.paci_document(plan, rep, world.manager, today)
    printed = document.context
    assert letters(a for _key, _title, members in printed["buckets"].sections for a in members) == (
        REP_WORK
    )
    sheets = [action for part in document.parts for action in part.context.get("sheets", [])]
    assert letters(sheets) == REP_WORK


def test_a_participants_action_is_listed_under_their_name(world, login, work):
    """The action list's rep filter keeps what the rep owns or takes part in, like the PACI."""
    plan, _today = work
    url = reverse("actions:action-list", args=[plan.pk])
    client = login(world.manager)
    assert "C" in in_groups(client.get(f"{url}?owner={world.rep.pk}"))
    assert in_groups(client.get(f"{url}?owner={world.other_rep.pk}")) == {"C", "I", "J"}


def test_late_counts_agree_everywhere(world, login, work):
    plan, today = work
    rep = world.rep
    client = login(world.manager)

    paci = client.get(reverse("pac:paci", args=[plan.pk, rep.username])).context
    assert letters(paci["buckets"].late) == REP_LATE
    assert letters(paci["horizon"].late) == REP_LATE

    cockpit = client.get(reverse("pac:cockpit", args=[plan.pk])).context
    assert {row.rep.username: row.late for row in cockpit["reps"]} == {"rep": 4, "rep_b": 2}
    assert cockpit["late_count"] == len(PLAN_LATE)
    assert letters(cockpit["late_actions"]) == PLAN_LATE

    timeline = client.get(reverse("pac:timeline", args=[plan.pk]) + f"?owner={rep.pk}")
    assert letters(a for lane in timeline.context["lanes"] for a in lane.actions if a.is_late) == (
        REP_LATE
    )
    assert timeline.text.count('class="timeline-row late"') == len(REP_LATE)
    team_timeline = client.get(reverse("pac:timeline", args=[plan.pk])).text
    assert team_timeline.count('class="timeline-row late"') == len(PLAN_LATE)

    for days in (7, 30, 90):
        horizon = client.get(
            reverse("pac:horizon", args=[plan.pk]) + f"?owner={rep.pk}&days={days}"
        ).context["horizon"]
        assert letters(horizon.late) == REP_LATE
        assert [step.action.title[0] for step in horizon.steps_late] == ["B"]

    digest = digest_for(rep, today, 7)
    assert letters(digest.late_actions) == REP_LATE
    assert [step.action.title[0] for step in digest.late_steps] == ["B"]
    assert [step.action.title[0] for step in digest.due_steps] == ["J"]

    printed = documents.paci_document(plan, rep, world.manager, today).context
    assert letters(printed["buckets"].late) == REP_LATE
    drawn = b"".join(printed["timeline_pages"].values())
    assert drawn.count(b'class="timeline-row late"') == len(REP_LATE)
    whole = documents.plan_document(plan, world.manager, today).context
    drawn = b"".join(whole["timeline_pages"].values())
    assert drawn.count(b'class="timeline-row late"') == len(PLAN_LATE)
