"""Proposals beyond their own doors: the daily digest, the plan's activation, the history, and
the queries of the pages that show them."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from actions import services as action_services
from pac.core.models import Plan
from pac.planning.reminders import digest_for, send_reminders
from pac.proposals import services
from pac.proposals.models import Proposal
from targets import services as target_services
from tests.builders import sheet

pytestmark = pytest.mark.django_db

Kind = Proposal.Kind
TODAY = date(2027, 3, 10)


def target_of(world, name="PME"):
    return target_services.target_create(
        actor=world.manager, plan=world.plan, data={"name": name, "kind": "segment", "priority": 1}
    )


def new_action(world, target, title="Webinaire RH"):
    return services.proposal_create(
        actor=world.rep,
        plan=world.plan,
        kind=Kind.NEW_ACTION,
        data={
            "title": title,
            "target": target,
            "domain": "internal",
            "sales_type": "",
            "description": "",
            "means": "",
            "start_date": None,
            "end_date": None,
            "budget_planned": Decimal("0"),
            "occurrences_planned": None,
        },
        comment="Parce que",
    )


def decide_on(proposal, manager, when, accept=True):
    with timezone.override("Europe/Paris"):
        if accept:
            services.proposal_accept(actor=manager, proposal=proposal, version=proposal.version)
        else:
            services.proposal_decline(
                actor=manager, proposal=proposal, version=proposal.version, reason="Pas cette fois"
            )
    Proposal.objects.filter(pk=proposal.pk).update(
        decided_at=timezone.make_aware(datetime.combine(when, datetime.min.time()))
    )


def test_the_digest_tells_each_decision_once(world):
    target = target_of(world)
    accepted, declined = new_action(world, target), new_action(world, target, "Salon")
    waiting = new_action(world, target, "Forum")
    decide_on(accepted, world.manager, TODAY - timedelta(days=1))
    decide_on(declined, world.manager, TODAY, accept=False)
    old = new_action(world, target, "Ancienne")
    decide_on(old, world.manager, TODAY - timedelta(days=30))
    digest = digest_for(world.rep, TODAY, 7)
    assert [p.pk for p in digest.proposals] == [accepted.pk, declined.pk]
    assert waiting.pk not in [p.pk for p in digest.proposals]
    world.rep.language = "en"
    world.rep.save()
    send_reminders(TODAY, days=7)
    (message,) = mail.outbox
    assert "YOUR PROPOSALS DECIDED" in message.body
    assert "Webinaire RH" in message.body and "Salon" in message.body
    assert "Reason: Pas cette fois" in message.body
    # The next day's digest does not tell them again.
    assert digest_for(world.rep, TODAY + timedelta(days=1), 7).proposals == []


def test_activating_a_plan_names_the_proposals_still_waiting(world, login):
    Plan.objects.filter(pk=world.plan.pk).update(status=Plan.Status.DRAFT)
    target = target_of(world)
    new_action(world, target)
    new_action(world, target, "Salon")
    client = login(world.manager)
    response = client.post(
        reverse("pac:plan-status", args=[world.plan.pk]), {"status": "active"}, follow=True
    )
    world.plan.refresh_from_db()
    assert world.plan.status == Plan.Status.ACTIVE
    (message,) = [str(m) for m in response.context["messages"]]
    assert "Webinaire RH" in message and "Salon" in message
    assert Proposal.objects.waiting().count() == 2


def test_the_history_of_the_sheet_says_who_proposed_and_accepted(world, login):
    target = target_of(world)
    action = action_services.action_create(
        actor=world.manager,
        plan=world.plan,
        data=sheet(target, "Salon", world.rep, date(2027, 3, 1), date(2027, 3, 4)),
    )
    proposal = services.proposal_create(
        actor=world.rep,
        plan=world.plan,
        kind=Kind.ACTION_CHANGE,
        action=action,
        data={"end_date": date(2027, 3, 8)},
        comment="Un jour de plus",
    )
    services.proposal_accept(actor=world.manager, proposal=proposal, version=proposal.version)
    page = login(world.manager).get(action.get_absolute_url()).text
    assert 'data-testid="change-reason"' in page
    assert str(world.rep) in page.split('data-testid="change-reason"')[1][:200]


def grow_proposals(world, size):
    """`size` proposals of each kind from the rep, half of them decided."""
    target = target_of(world)
    objective = target_services.objective_create(
        actor=world.manager,
        target=target,
        data={
            "kind": "quantitative",
            "title": "Clients",
            "metric": "Nouveaux clients",
            "unit": "clients",
            "baseline": None,
            "target_value": Decimal("10"),
            "deadline": None,
            "owner": world.rep,
            "description": "",
            "measured_by": "won_count",
            "measure_kpi": None,
        },
    )
    # A deal, so that the carnet's page is read as on the pinned overview.
    target_services.deal_create(
        actor=world.manager,
        plan=world.plan,
        data={
            "milestone_date": date(2027, 4, 15),
            "company": "Fonderie Lemaire",
            "contact": "",
            "nature": "",
            "amount": Decimal("12000"),
            "probability": 40,
            "stage": "proposal",
            "target": target,
            "owner": world.rep,
        },
    )
    for index in range(size):
        action = action_services.action_create(
            actor=world.manager,
            plan=world.plan,
            data=sheet(target, f"Action {index}", world.rep, date(2027, 3, 1), date(2027, 3, 4)),
        )
        proposals = [
            new_action(world, target, f"Nouvelle {index}"),
            services.proposal_create(
                actor=world.rep,
                plan=world.plan,
                kind=Kind.ACTION_CHANGE,
                action=action,
                data={"budget_planned": Decimal(index + 1)},
                comment="Plus",
            ),
            services.proposal_create(
                actor=world.rep,
                plan=world.plan,
                kind=Kind.OBJECTIVE_CHANGE,
                objective=objective,
                data={"target_value": Decimal(11 + index)},
                comment="Plus",
            ),
        ]
        if index % 2:
            services.proposal_decline(
                actor=world.manager,
                proposal=proposals[0],
                version=proposals[0].version,
                reason="Non",
            )
        # The budget proposed moves after the proposal: stale, shown with its three values.
        action_services.action_update(
            actor=world.manager,
            action=action,
            version=action.version,
            data={name: getattr(action, name) for name in action_services.SHEET_FIELDS}
            | {"means": "Revu", "budget_planned": Decimal(500)},
        )


# The plan page's: those of the overview (tests/pac/test_views.py), and the plan's proposals in
# one query with their author, decider, target, and the action or objective they change.
PLAN_PAGE_QUERIES = 16  # with the diagnosis's clients, read for the warnings
# The PACI's: those of tests/pac/test_paci.py but a rep without KPIs (whose values and chart
# are not read), and the rep's proposals in one query.
PACI_QUERIES = 13


@pytest.mark.parametrize("size", [2, 20])
def test_proposals_do_not_add_queries_as_they_grow(world, login, django_assert_num_queries, size):
    grow_proposals(world, size)
    manager = login(world.manager)
    with django_assert_num_queries(PLAN_PAGE_QUERIES):
        page = manager.get(world.plan.get_absolute_url()).text
    assert page.count("data-proposal=") == 3 * size
    assert page.count('data-testid="stale"') == size
    rep = login(world.rep)
    today = timezone.localdate()
    Plan.objects.filter(pk=world.plan.pk).update(
        period_start=today - timedelta(days=90), period_end=today + timedelta(days=90)
    )
    with django_assert_num_queries(PACI_QUERIES):
        paci = rep.get(reverse("pac:paci", args=[world.plan.pk, "rep"])).text
    assert paci.count("data-proposal=") == 3 * size
