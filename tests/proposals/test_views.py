"""Proposals on the pages: the rep proposes on their PACI, the manager decides on the plan page,
viewers read; bad input is refused beside its field, nothing saved."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from actions import services as action_services
from actions.models import Action
from pac.core.models import Plan
from pac.proposals import services
from pac.proposals.mail import decision_mail
from pac.proposals.models import Proposal
from pac.steering.paci import current_plan
from targets import services as target_services
from tests.builders import objective_fields, sheet
from tests.pac.factories import PlanFactory

pytestmark = pytest.mark.django_db

Kind = Proposal.Kind


@pytest.fixture
def work(world):
    plan, manager = world.plan, world.manager
    target = target_services.target_create(
        actor=manager, plan=plan, data={"name": "PME", "kind": "segment", "priority": 1}
    )
    objective = target_services.objective_create(
        actor=manager,
        target=target,
        data=objective_fields(world.rep, measured_by="won_count", unit="clients"),
    )
    action = action_services.action_create(
        actor=manager,
        plan=plan,
        data=sheet(target, "Salon Industrie", world.rep, date(2027, 3, 1), date(2027, 3, 4))
        | {"budget_planned": Decimal("5000")},
    )
    return {"target": target, "objective": objective, "action": action}


def paci(world, user=None):
    return reverse("pac:paci", args=[world.plan.pk, (user or world.rep).username])


def create_url(world):
    return reverse("pac:proposal-create", args=[world.plan.pk, world.rep.username])


def action_data(work, **changes):
    return {
        "title": "Webinaire RH",
        "target": work["target"].pk,
        "domain": "sales",
        "sales_type": "notoriety",
        "start_date": "2027-04-01",
        "end_date": "2027-04-30",
        "budget_planned": "800",
        "comment": "Les DRH demandent une démo",
    } | changes


def proposed(world, work, **changes):
    data = {
        "title": "Webinaire RH",
        "target": work["target"],
        "domain": "sales",
        "sales_type": "notoriety",
        "description": "",
        "means": "",
        "start_date": date(2027, 4, 1),
        "end_date": date(2027, 4, 30),
        "budget_planned": Decimal("800"),
        "occurrences_planned": None,
    } | changes
    return services.proposal_create(
        actor=world.rep, plan=world.plan, kind=Kind.NEW_ACTION, data=data, comment="Parce que"
    )


def test_the_rep_opens_the_form_in_place_and_proposes(world, login, work):
    client = login(world.rep)
    page = client.get(paci(world)).text
    assert create_url(world) in page
    assert (
        reverse("pac:action-proposal-create", args=[world.plan.pk, "rep", work["action"].pk])
        in page
    )
    assert (
        reverse("pac:objective-proposal-create", args=[world.plan.pk, "rep", work["objective"].pk])
        in page
    )
    form = client.get(create_url(world), headers={"HX-Request": "true"})
    assert form.status_code == 200
    assert form.text.lstrip().startswith('<section id="proposals"')
    assert "autofocus" in form.text
    token = form.context["form"]["once"].value()
    sent = client.post(create_url(world), action_data(work, once=token))
    assert sent.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.author == world.rep
    assert proposal.changes["title"] == "Webinaire RH"
    assert not Action.objects.filter(title="Webinaire RH").exists()
    # Sent twice (a double click): one proposal.
    client.post(create_url(world), action_data(work, once=token))
    assert Proposal.objects.count() == 1
    page = client.get(paci(world)).text
    assert f'data-proposal="{proposal.pk}"' in page
    assert "Webinaire RH" in page


def test_a_change_proposed_in_the_action_card_refreshes_the_list(world, login, work):
    url = reverse("pac:action-proposal-create", args=[world.plan.pk, "rep", work["action"].pk])
    client = login(world.rep)
    form = client.get(url, headers={"HX-Request": "true"})
    assert form.text.lstrip().startswith('<section id="actions"')
    assert 'value="5000' in form.text
    token = form.context["form"]["once"].value()
    sent = client.post(
        url,
        {
            "start_date": "2027-03-01",
            "end_date": "2027-03-11",
            "budget_planned": "5000",
            "comment": "Salon prolongé",
            "once": token,
        },
        headers={"HX-Request": "true"},
    )
    assert sent.status_code == 200
    assert 'id="proposals" data-hx-swap-oob="true"' in sent.text
    proposal = Proposal.objects.get()
    assert proposal.changes == {"end_date": "2027-03-11"}
    assert proposal.seen == {"end_date": "2027-03-04"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"comment": ""}, "comment"),
        ({"title": "A\x00B"}, "title"),
        ({"end_date": "9999-12-31"}, "end_date"),
        ({"end_date": "2027-12-31"}, "end_date"),
        ({"target": str(2**70)}, "target"),
        ({"sales_type": ""}, "sales_type"),
        ({"budget_planned": "-1"}, "budget_planned"),
    ],
)
def test_bad_proposals_are_refused_beside_the_field(world, login, work, changes, field):
    response = login(world.rep).post(
        create_url(world), action_data(work, **changes), headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    assert response.context["form"].errors[field]
    assert not Proposal.objects.exists()


def test_who_proposes(world, login, work):
    """The rep on their own PACI; a colleague cannot tell it from a missing PACI; managers and
    viewers are refused; a closed plan takes none."""
    assert login(world.other_rep).get(create_url(world)).status_code == 404
    for user in (world.manager, world.viewer, world.staff):
        assert login(user).post(create_url(world), action_data(work)).status_code == 403
    assert login(world.foreign_manager).get(create_url(world)).status_code == 404
    Plan.objects.filter(pk=world.plan.pk).update(status=Plan.Status.CLOSED)
    assert login(world.rep).post(create_url(world), action_data(work)).status_code == 403
    assert not Proposal.objects.exists()


def test_the_manager_decides_on_the_plan_page(world, login, work):
    proposal = proposed(world, work)
    client = login(world.manager)
    page = client.get(world.plan.get_absolute_url()).text
    assert 'href="#proposals"' in page
    accept = reverse("pac:proposal-accept", args=[world.plan.pk, proposal.pk])
    amend = reverse("pac:proposal-amend", args=[world.plan.pk, proposal.pk])
    decline = reverse("pac:proposal-decline", args=[world.plan.pk, proposal.pk])
    for url in (accept, amend, decline):
        assert url in page
    response = client.post(accept, {"version": proposal.version})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.ACCEPTED
    assert proposal.created_action.title == "Webinaire RH"


def test_viewers_read_proposals_without_deciding(world, login, work):
    proposal = proposed(world, work)
    page = login(world.viewer).get(world.plan.get_absolute_url()).text
    assert f'data-proposal="{proposal.pk}"' in page
    assert "Webinaire RH" in page
    assert reverse("pac:proposal-accept", args=[world.plan.pk, proposal.pk]) not in page
    assert reverse("pac:proposal-decline", args=[world.plan.pk, proposal.pk]) not in page
    response = login(world.viewer).post(
        reverse("pac:proposal-accept", args=[world.plan.pk, proposal.pk]),
        {"version": proposal.version},
    )
    assert response.status_code == 403


def test_a_declined_proposal_shows_its_reason_on_the_paci(world, login, work):
    proposal = proposed(world, work)
    url = reverse("pac:proposal-decline", args=[world.plan.pk, proposal.pk])
    client = login(world.manager)
    refused = client.post(url, {"version": proposal.version, "reason": ""})
    assert refused.status_code == 422
    assert refused.context["form"].errors["reason"]
    proposal.refresh_from_db()
    assert proposal.waiting
    client.post(url, {"version": proposal.version, "reason": "Budget bouclé"})
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.DECLINED
    page = login(world.rep).get(paci(world)).text
    assert "Budget bouclé" in page
    assert 'data-testid="proposal-state"' in page


def test_a_stale_proposal_opens_the_amend_form_with_the_three_values(world, login, work):
    action = work["action"]
    url = reverse("pac:action-proposal-create", args=[world.plan.pk, "rep", action.pk])
    proposal = services.proposal_create(
        actor=world.rep,
        plan=world.plan,
        kind=Kind.ACTION_CHANGE,
        action=action,
        data={"budget_planned": Decimal("6500")},
        comment="Plus de stands",
    )
    assert url
    action_services.action_update(
        actor=world.manager,
        action=action,
        version=action.version,
        data={name: getattr(action, name) for name in action_services.SHEET_FIELDS}
        | {"budget_planned": Decimal("5500")},
    )
    client = login(world.manager)
    accept = reverse("pac:proposal-accept", args=[world.plan.pk, proposal.pk])
    response = client.post(accept, {"version": proposal.version}, headers={"HX-Request": "true"})
    assert response.status_code == 409
    assert 'data-testid="stale"' in response.text
    # What the rep saw, what is there now, what they proposed.
    cells = re.findall(r'<td class="text-pre[^"]*">([^<]*)</td>', response.text)
    assert [" ".join(cell.split()) for cell in cells] == ["5 000", "5 500", "6 500"]
    action.refresh_from_db()
    assert action.budget_planned == Decimal("5500")
    amend = reverse("pac:proposal-amend", args=[world.plan.pk, proposal.pk])
    response = client.post(amend, {"version": proposal.version, "budget_planned": "6000"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.budget_planned == Decimal("6000")


def test_another_teams_proposal_is_a_404(world, login, work):
    proposal = proposed(world, work)
    foreign = world.foreign_plan
    client = login(world.foreign_manager)
    for name in ("pac:proposal-accept", "pac:proposal-amend", "pac:proposal-decline"):
        assert client.post(reverse(name, args=[foreign.pk, proposal.pk])).status_code == 404
    proposal.refresh_from_db()
    assert proposal.waiting


def test_the_decision_mail_in_the_reps_language(world, work, django_capture_on_commit_callbacks):
    world.rep.first_name = "Julien"
    world.rep.language = "en"
    world.rep.save()
    proposal = proposed(world, work)
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_decline(
            actor=world.manager, proposal=proposal, version=proposal.version, reason="Trop tard"
        )
    (sent,) = mail.outbox
    assert sent.to == [world.rep.email]
    assert sent.subject == "PAC: your proposal was declined (PAC Nord 2027)"
    assert "Hello Julien," in sent.body
    assert "declined by" in sent.body
    assert "Reason: Trop tard" in sent.body
    assert "Start date: 01/04/2027" in sent.body
    assert f"/plans/{world.plan.pk}/paci/rep/" in sent.body


def test_the_decision_mail_in_french(world, work):
    world.rep.first_name = "Julien"
    world.rep.language = "fr"
    world.rep.save()
    proposal = proposed(world, work)
    services.proposal_accept(actor=world.manager, proposal=proposal, version=proposal.version)
    proposal.refresh_from_db()
    with translation.override("en"):  # whatever the language of the manager who decides
        subject, body = decision_mail(proposal)
    assert subject == "PAC\u00a0: votre proposition a été acceptée (PAC Nord 2027)"
    assert "Bonjour Julien," in body
    assert "Un responsable a décidé de votre proposition dans « PAC Nord 2027 »" in body
    assert "Budget prévu (€)\u00a0: 800" in body
    assert "Date de début\u00a0: 01/04/2027" in body
    assert "acceptée par" in body
    assert "Hello" not in body


def test_my_paci_opens_the_running_plan_before_a_draft(world):
    today = timezone.localdate()
    running = PlanFactory(
        team=world.team,
        period_start=today - timedelta(days=30),
        period_end=today + timedelta(days=30),
    )
    draft = PlanFactory(
        team=world.team,
        status=Plan.Status.DRAFT,
        period_start=today - timedelta(days=1),
        period_end=today + timedelta(days=180),
    )
    assert current_plan([draft, running], today) == running
    assert current_plan([draft], today) == draft


def test_a_draft_plan_says_so_on_the_paci(world, login, work):
    Plan.objects.filter(pk=world.plan.pk).update(status=Plan.Status.DRAFT)
    page = login(world.rep).get(paci(world)).text
    assert 'data-testid="draft"' in page
    assert "Brouillon" in page
    assert create_url(world) in page
