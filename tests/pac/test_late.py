"""One meaning of "late": an open action past its end date or with a step past due, a step not
done past its due date while its action is open. Every page, digest and count agrees."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from actions import services as actions
from actions.models import Action, ActionStep
from pac.documents import content as documents
from pac.planning.reminders import digest_for
from pac.plans import services as plans
from targets import services as targets
from tests.builders import sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def late_work(world):
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
    start = today - timedelta(days=30)

    def action(title, owner, end, status="in_progress", participants=()):
        return actions.action_create(
            actor=manager,
            plan=plan,
            data=sheet(target, title, owner, start, end, status),
            participants=participants,
        )

    def step(of, due, done=False):
        return actions.step_create(
            actor=manager,
            action=of,
            data={"title": f"Étape de {of.title}", "owner": None, "due_date": due, "done": done},
        )

    action("A · fin dépassée", rep, today - timedelta(days=5))
    by_step = action("B · étape en retard", rep, today + timedelta(days=30))
    step(by_step, today - timedelta(days=3))
    action("C · intervenant, fin dépassée", other, today - timedelta(days=2), participants=[rep])
    action("D · terminée", rep, today - timedelta(days=10), status="done")
    action("E · annulée", rep, today - timedelta(days=10), status="cancelled")
    ticked = action("F · étape faite", rep, today + timedelta(days=10))
    step(ticked, today - timedelta(days=3), done=True)
    finished = action("G · terminée, étape oubliée", rep, today + timedelta(days=10), "done")
    step(finished, today - timedelta(days=3))
    return plan, today


# By hand: the rep's late work is A (past its end), B (a step past due) and C (past its end,
# the rep takes part); D and E are over, F's past step is ticked, G is done. The other rep owns C.
REP_LATE = ["A · fin dépassée", "B · étape en retard", "C · intervenant, fin dépassée"]


def test_the_rule_reads_the_same_in_the_database(world, late_work):
    plan, today = late_work
    late = Action.objects.of_plan(plan).late(today)
    assert sorted(late.values_list("title", flat=True)) == REP_LATE
    assert sorted(late.involving(world.rep).values_list("title", flat=True)) == REP_LATE
    assert list(late.involving(world.other_rep).values_list("title", flat=True)) == [REP_LATE[2]]
    steps = ActionStep.objects.filter(action__target__plan=plan).late(today)
    assert list(steps.values_list("action__title", flat=True)) == ["B · étape en retard"]


def test_late_counts_agree_on_every_page(world, login, late_work):
    plan, today = late_work
    client = login(world.manager)
    paci = client.get(reverse("pac:paci", args=[plan.pk, world.rep.username]))
    late_bucket = [title for _key, title, members, _shown in paci.context["bucket_rows"]][0]
    assert late_bucket == "En retard"
    assert sorted(a.title for a in paci.context["buckets"].late) == REP_LATE
    assert sorted(a.title for a in paci.context["horizon"].late) == REP_LATE
    assert re.search(r'data-bucket="late">En retard <span class="badge[^"]*">3</span>', paci.text)
    assert "En retard : 3 actions, 1 étape" in paci.text

    cockpit = client.get(reverse("pac:cockpit", args=[plan.pk]))
    late_of = {row.rep.username: row.late for row in cockpit.context["reps"]}
    assert late_of == {"rep": 3, "rep_b": 1}
    assert cockpit.context["late_count"] == 3

    horizon = client.get(
        reverse("pac:horizon", args=[plan.pk]) + f"?owner={world.rep.pk}&days=7"
    ).context["horizon"]
    assert sorted(a.title for a in horizon.late) == REP_LATE
    assert [s.action.title for s in horizon.steps_late] == ["B · étape en retard"]

    digest = digest_for(world.rep, today, 7)
    assert sorted(a.title for a in digest.late_actions) == REP_LATE
    # Steps come to the person they are given to, or to their action's owner.
    assert [s.action.title for s in digest.late_steps] == ["B · étape en retard"]


def test_the_timeline_reds_the_same_actions(world, login, late_work):
    plan, _today = late_work
    page = login(world.manager).get(reverse("pac:timeline", args=[plan.pk])).text
    assert page.count('class="timeline-row late"') == 3


def test_a_late_action_says_why(world, login, late_work):
    plan, today = late_work
    page = login(world.rep).get(reverse("pac:paci", args=[plan.pk, world.rep.username])).text
    ended = (today - timedelta(days=5)).strftime("%d/%m/%Y")
    assert f"fin prévue le {ended}" in page
    assert "une étape en retard" in page
    # An open action is never said to have ended.
    assert "terminée le" not in page


def test_the_calendar_and_its_action_list_show_the_rep_same_work(world, login, late_work):
    """A rep's work is what they own or take part in, on the calendar and in the list it links
    to alike: C, owned by the other rep, is the rep's too."""
    plan, today = late_work
    client = login(world.manager)
    month = today - timedelta(days=2)  # C ends that day
    calendar = client.get(
        reverse("pac:calendar", args=[plan.pk]) + f"?owner={world.rep.pk}&month={month:%Y-%m}"
    )
    on_calendar = {bar.action.title for week in calendar.context["weeks"] for bar in week.bars}
    listed = client.get(calendar.context["month_actions_url"])
    in_list = {action.title for group in listed.context["groups"] for action in group.actions}
    assert "C · intervenant, fin dépassée" in on_calendar
    assert in_list == on_calendar


def test_the_printed_paci_lists_the_same_late_work(world, late_work):
    plan, today = late_work
    context = documents.paci_document(plan, world.rep, world.manager, today).context
    assert sorted(a.title for a in context["buckets"].late) == REP_LATE
