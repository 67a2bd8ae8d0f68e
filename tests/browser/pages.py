"""A plan holding every kind of content, built through the services from an empty plan, and the
page states of every role that the accessibility and HTML validity tests walk through.

Every partial renders at least once: SWOT items in each quadrant, competitors, targets with
objectives (measured by a KPI with values, by the amount won, and a qualitative one assessed),
actions with steps (one late), participants, action KPIs with values, deals and a review.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from actions import services as actions
from kpis import services as kpis
from pac.core import stores
from pac.core.models import Role
from pac.core.tokens import token_create, token_revoke
from pac.diagnosis import services as diagnosis
from pac.diagnosis.tables import TABLES
from pac.documents.models import PdfExport
from pac.plans import services as plans
from pac.proposals import services as proposals
from pac.steering import services as reviews
from targets import services as targets
from tests.builders import kpi_fields, objective_fields, sheet
from tests.pac.factories import MembershipFactory, TeamFactory, UserFactory

WIDTHS = (1280, 360)


@dataclass
class FullPlan:
    plan: object
    manager: object
    rep: object
    viewer: object
    swot_item: object
    competitor: object
    target: object
    objective: object
    objective_kpi: object
    late_action: object
    action: object
    step: object
    action_kpi: object
    deal: object
    review: object
    team_objective: object
    proposal: object
    client_figure: object = None
    # A background print the file store stopped, as its waiting page says it.
    failed_export: object = None


# The diagnosis of the full plan: clients in two segments, offers on the three readings of the
# attractiveness–strength matrix, and their figures by segment.
DIAGNOSIS = {
    "clients": [
        {"name": "Fonderie Lemaire", "segment": "PME", "sales": "400000", "margin": "90000"},
        {"name": "Atelier Morin", "segment": "PME", "sales": "250000", "margin": "5000"},
        {
            "name": "Mairie de Vannes",
            "segment": "Collectivités",
            "sales": "120000",
            "margin": "40000",
        },
        {"name": "Garage Le Goff", "segment": "PME", "sales": "30000", "margin": "-2000"},
    ],
    "offers": [
        {
            "name": "Maintenance",
            "sales": "500000",
            "margin": "110000",
            "market_share": "30",
            "market_growth": "2",
        },
        {
            "name": "Audit",
            "sales": "200000",
            "margin": "40000",
            "market_share": "12",
            "market_growth": None,
        },
        {
            "name": "Formation",
            "sales": "100000",
            "margin": "5000",
            "market_share": "4",
            "market_growth": "-3",
        },
    ],
    "offer-segments": [
        {"offer": "Maintenance", "segment": "PME", "sales": "350000", "margin": "80000"},
        {"offer": "Maintenance", "segment": "Collectivités", "sales": "150000", "margin": "30000"},
        {"offer": "Audit", "segment": "PME", "sales": "200000", "margin": "40000"},
    ],
}


def build_full_plan(team_name="Ventes Ouest"):
    """A semester around today, written by its manager, with a rep's work and a viewer."""
    today = timezone.localdate()
    team = TeamFactory(name=team_name)
    people = {}
    for username, first, last, role in [
        ("claire", "Claire", "Martin", Role.MANAGER),
        ("julien", "Julien", "Petit", Role.REP),
        ("helene", "Hélène", "Robert", Role.VIEWER),
    ]:
        user = UserFactory(username=username, first_name=first, last_name=last, password="demo")
        MembershipFactory(team=team, user=user, role=role)
        people[role] = user
    manager, rep, viewer = people[Role.MANAGER], people[Role.REP], people[Role.VIEWER]

    plan = plans.plan_create(
        actor=manager,
        team=team,
        title="PAC Ouest – semestre",
        period_start=today - timedelta(days=90),
        period_end=today + timedelta(days=90),
        budget_envelope=Decimal("20000"),
    )
    plan = plans.plan_update(
        actor=manager,
        plan=plan,
        version=plan.version,
        data={
            "strategy": "Gagner les ETI industrielles de l'Ouest.",
            "ambitions": "Doubler le chiffre d'affaires des services managés.",
            "segmentation": "ETI, PME, collectivités.",
            "company_goals": "La croissance de 15 % du groupe.",
        },
    )
    swot = {}
    for quadrant, text in [
        ("strength", "Expertise reconnue en cybersécurité industrielle et réseaux OT"),
        ("weakness", "Notoriété faible hors de Nantes"),
        ("opportunity", "Directive NIS 2"),
        ("threat", "Arrivée d'un acteur national"),
    ]:
        swot[quadrant] = plans.swot_item_create(
            actor=manager, plan=plan, quadrant=quadrant, text=text
        )
    plans.swot_item_create(
        actor=manager, plan=plan, quadrant="strength", text="Équipe technique locale"
    )
    competitor = plans.competitor_create(
        actor=manager,
        plan=plan,
        data={
            "name": "Cyberouest",
            "strengths": "Prix bas",
            "weaknesses": "Peu de proximité",
            "positioning": "Généraliste",
            "threat": "high",
        },
    )
    target = targets.target_create(
        actor=manager,
        plan=plan,
        data={
            "name": "ETI industrielles",
            "kind": "segment",
            "priority": 1,
            "rationale": "Le segment le plus exposé à NIS 2.",
        },
    )
    objective = targets.objective_create(
        actor=manager,
        target=target,
        data=objective_fields(rep, title="Taux de transformation des rendez-vous"),
    )
    objective_kpi = kpis.kpi_create(actor=manager, objective=objective, data=kpi_fields(rep))
    for days_ago, value in [(60, "12"), (30, "16"), (5, "18")]:
        kpis.kpi_value_record(
            actor=rep, kpi=objective_kpi, value=Decimal(value), on=today - timedelta(days=days_ago)
        )
    targets.objective_create(
        actor=manager,
        target=target,
        data=objective_fields(
            rep,
            title="Nouveau chiffre d'affaires ETI",
            metric="Chiffre d'affaires signé",
            unit="€",
            baseline=Decimal("0"),
            target_value=Decimal("120000"),
            measured_by="won_amount",
        ),
    )
    qualitative = targets.objective_create(
        actor=manager,
        target=target,
        data=objective_fields(
            None,
            kind="qualitative",
            title="Être le partenaire des DSI",
            metric="",
            unit="",
            baseline=None,
            target_value=None,
            measured_by="assessment",
        ),
    )
    targets.assessment_record(
        actor=manager,
        objective=qualitative,
        data={"verdict": "partly", "assessed_on": today, "comment": "Deux DSI sur cinq"},
    )
    late_action = actions.action_create(
        actor=manager,
        plan=plan,
        data=sheet(
            target, "Relances des devis", rep, today - timedelta(days=40), today - timedelta(days=5)
        ),
    )
    action = actions.action_create(
        actor=manager,
        plan=plan,
        data=sheet(
            target, "Rendez-vous ETI", rep, today - timedelta(days=20), today + timedelta(days=40)
        )
        | {"occurrences_planned": 12, "occurrences_done": 4, "budget_planned": Decimal("3000")},
        participants=[manager],
    )
    actions.action_create(
        actor=manager,
        plan=plan,
        data=sheet(
            target, "Salon Industrie", manager, today + timedelta(days=3), today + timedelta(50)
        )
        | {"domain": "information", "sales_type": ""},
    )
    step = actions.step_create(
        actor=manager,
        action=action,
        data={
            "title": "Préparer la liste des ETI",
            "owner": rep,
            "due_date": today - timedelta(days=2),
            "done": False,
        },
    )
    actions.step_create(
        actor=manager,
        action=action,
        data={
            "title": "Appeler les DSI",
            "owner": rep,
            "due_date": today + timedelta(days=3),
            "done": True,
        },
    )
    action_kpi = kpis.kpi_create(
        actor=manager,
        action=action,
        data=kpi_fields(rep, name="Rendez-vous", unit="rendez-vous", target_value=Decimal("12")),
    )
    kpis.kpi_value_record(
        actor=rep, kpi=action_kpi, value=Decimal("4"), on=today - timedelta(days=1)
    )
    deal = targets.deal_create(
        actor=manager,
        plan=plan,
        data={
            "milestone_date": today + timedelta(days=10),
            "company": "Fonderie Lemaire",
            "contact": "M. Lemaire",
            "nature": "SOC managé",
            "amount": Decimal("12000"),
            "probability": 40,
            "stage": "proposal",
            "target": target,
            "owner": rep,
        },
    )
    targets.deal_create(
        actor=manager,
        plan=plan,
        data={
            "milestone_date": today - timedelta(days=3),
            "company": "Plasturgie Renard",
            "contact": "",
            "nature": "Audit",
            "amount": Decimal("8000"),
            "probability": 100,
            "stage": "won",
            "target": target,
            "owner": rep,
        },
    )
    review = reviews.review_create(
        actor=manager,
        plan=plan,
        data={
            "held_on": today - timedelta(days=7),
            "other_attendees": "Direction marketing",
            "findings": "Prospection en retard.",
            "decisions": "Deuxième vague d'appels.",
        },
        attendees=[rep],
    )
    # Built with the rep: a team objective split, a proposal waiting and one declined, the
    # rep's PACI signed and changed since.
    team_objective = targets.objective_create(
        actor=manager,
        target=target,
        data=objective_fields(
            manager,
            title="Chiffre d'affaires de l'équipe",
            metric="Chiffre d'affaires signé",
            unit="€",
            baseline=Decimal("0"),
            target_value=Decimal("200000"),
            measured_by="won_amount",
        ),
    )
    targets.objective_split(
        actor=manager,
        objective=team_objective,
        version=team_objective.version,
        shares={rep: Decimal("150000")},
    )
    reviews.paci_sign(actor=rep, plan=plan, rep=rep)
    proposal = proposals.proposal_create(
        actor=rep,
        plan=plan,
        kind="action_change",
        action=action,
        data={"end_date": today + timedelta(days=50)},
        comment="Les DSI ne sont disponibles qu'en fin de mois.",
    )
    declined = proposals.proposal_create(
        actor=rep,
        plan=plan,
        kind="objective_change",
        objective=objective,
        data={"target_value": Decimal("20")},
        comment="Le marché ralentit.",
    )
    proposals.proposal_decline(
        actor=manager,
        proposal=declined,
        version=declined.version,
        reason="On garde 25 % jusqu'à la revue.",
        notify=False,
    )
    actions.action_update(
        actor=manager,
        action=late_action,
        version=late_action.version,
        data={name: getattr(late_action, name) for name in actions.SHEET_FIELDS}
        | {"budget_planned": Decimal("500")},
    )
    figures = {
        name: [
            diagnosis.figure_create(actor=manager, plan=plan, table=TABLES[name], data=row)
            for row in rows
        ]
        for name, rows in DIAGNOSIS.items()
    }
    # The profile lists the manager's API tokens: one in use, one revoked.
    token_create(actor=manager, name="Power BI")
    revoked, _secret = token_create(actor=manager, name="CRM")
    token_revoke(actor=manager, pk=revoked.pk)
    # What the task worker records when the file store cannot be reached (pac.documents.tasks).
    failed_export = PdfExport.objects.create(plan=plan, requested_by=manager, language="fr")
    failed_export.fail(ConnectionRefusedError("Connection refused"), stores.UNREACHABLE)
    failed_export.save()
    return FullPlan(
        failed_export=failed_export,
        client_figure=figures["clients"][0],
        plan=plan,
        team_objective=team_objective,
        proposal=proposal,
        manager=manager,
        rep=rep,
        viewer=viewer,
        swot_item=swot["strength"],
        competitor=competitor,
        target=target,
        objective=objective,
        objective_kpi=objective_kpi,
        late_action=late_action,
        action=action,
        step=step,
        action_kpi=action_kpi,
        deal=deal,
        review=review,
    )


# A plan's lines as a manager's spreadsheet holds them: the second names nobody of the team.
PLAN_IMPORT = (
    "Cible;Type de cible;Action;Domaine;Responsable;Budget\n"
    "Fonderies;client;Visite des fonderies;sales;claire;1 500 €\n"
    "Fonderies;client;Salon de la fonderie;sales;inconnu;2 000 €\n"
)

# Deals as HubSpot exports them: the second's owner is nobody of the team.
CRM_DEALS = (
    "Record ID,Deal Name,Associated Company,Amount,Close Date,Deal Stage,Deal owner\n"
    "101,Maintenance,Fonderie Lemaire,12 000,2027-03-31,Closed Won,claire@example.com\n"
    "102,Audit,Atelier Morin,8 000,2027-04-30,Qualified to buy,nobody@example.com\n"
)


@dataclass
class PageState:
    """A page as one role sees it, with the in-place form opened by clicking `opens`."""

    name: str
    user: str | None
    path: str
    opens: str = ""
    submits: str = ""
    # A file sent through the page's file field, for the preview it answers: (name, content).
    uploads: tuple = ()

    def __str__(self):
        return self.name


def page_states(full):
    plan, action = full.plan, full.action
    pk = plan.pk
    rep = full.rep.username
    plan_url = plan.get_absolute_url()
    sheet_url = reverse("actions:action-detail", args=[pk, action.pk])
    paci_url = reverse("pac:paci", args=[pk, rep])
    diagnosis_url = reverse("pac:diagnosis", args=[pk])

    def link_to(name, *args):
        return f'a[href^="{reverse(name, args=[pk, *args])}"]'

    return [
        PageState("login (anonymous)", None, reverse("login")),
        PageState("plan list (manager)", "claire", reverse("pac:plan-list")),
        PageState("plan page (manager)", "claire", plan_url),
        PageState("action list (manager)", "claire", reverse("actions:action-list", args=[pk])),
        PageState("action sheet (manager)", "claire", sheet_url),
        PageState("PACI (manager)", "claire", paci_url),
        PageState("cockpit (manager)", "claire", reverse("pac:cockpit", args=[pk])),
        PageState("calendar (manager)", "claire", reverse("pac:calendar", args=[pk])),
        PageState("timeline (manager)", "claire", reverse("pac:timeline", args=[pk])),
        PageState("horizon (manager)", "claire", reverse("pac:horizon", args=[pk])),
        PageState("budget (manager)", "claire", reverse("pac:plan-budget", args=[pk])),
        PageState("reviews (manager)", "claire", reverse("pac:review-list", args=[pk])),
        PageState(
            "review (manager)",
            "claire",
            reverse("pac:review-detail", args=[pk, full.review.pk]),
        ),
        PageState("history (manager)", "claire", reverse("pac:plan-history", args=[pk])),
        PageState("profile (manager)", "claire", reverse("profile")),
        PageState("new plan (manager)", "claire", reverse("pac:plan-create")),
        PageState(
            "new action sheet (manager)", "claire", reverse("actions:action-create", args=[pk])
        ),
        PageState(
            "action sheet form (manager)",
            "claire",
            reverse("actions:action-update", args=[pk, action.pk]),
        ),
        PageState("new review (manager)", "claire", reverse("pac:review-create", args=[pk])),
        PageState("duplicate plan (manager)", "claire", reverse("pac:plan-duplicate", args=[pk])),
        PageState("PACI (rep)", rep, reverse("my-paci")),
        PageState("plan page (rep)", rep, plan_url),
        PageState("diagnosis (manager)", "claire", diagnosis_url),
        PageState("diagnosis (rep)", rep, diagnosis_url),
        PageState("diagnosis (viewer)", "helene", diagnosis_url),
        PageState(
            "diagnosis import (manager)",
            "claire",
            reverse("pac:figures-import", args=[pk, "clients"]),
        ),
        PageState(
            "document waiting page, file store down (manager)",
            "claire",
            reverse("pac:pdf-export", args=[pk, full.failed_export.pk]),
        ),
        PageState("plan import (manager)", "claire", reverse("imports:plan-import", args=[pk])),
        PageState(
            "plan import preview with an error (manager)",
            "claire",
            reverse("imports:plan-import", args=[pk]),
            uploads=("pac.csv", PLAN_IMPORT),
        ),
        PageState(
            "CRM deals import (manager)", "claire", reverse("targets:deals-import", args=[pk])
        ),
        PageState(
            "CRM deals import preview with an error (manager)",
            "claire",
            reverse("targets:deals-import", args=[pk]),
            uploads=("hubspot.csv", CRM_DEALS),
        ),
        PageState(
            "target from the diagnosis (manager)",
            "claire",
            reverse("pac:diagnosis-target-create", args=[pk]) + "?source=crossed-A-C",
        ),
        PageState(
            "diagnosis settings form",
            "claire",
            diagnosis_url,
            opens=link_to("pac:diagnosis-settings"),
        ),
        PageState(
            "client figures form",
            "claire",
            diagnosis_url,
            opens=link_to("pac:figure-update", "clients", full.client_figure.pk),
        ),
        PageState(
            "client figures form with an error",
            "claire",
            diagnosis_url,
            opens=link_to("pac:figure-create", "clients"),
            submits='#clients .inline-form [type="submit"]',
        ),
        PageState("plan page (viewer)", "helene", plan_url),
        PageState("cockpit (viewer)", "helene", reverse("pac:cockpit", args=[pk])),
        # The forms opened in place.
        PageState("header form", "claire", plan_url, opens=link_to("pac:plan-update")),
        PageState("strategy form", "claire", plan_url, opens=link_to("pac:plan-strategy")),
        PageState(
            "SWOT item form",
            "claire",
            plan_url,
            opens=link_to("pac:swot-update", full.swot_item.pk),
        ),
        PageState(
            "SWOT item form with an error",
            "claire",
            plan_url,
            opens=f'[data-quadrant="strength"] {link_to("pac:swot-create")}',
            submits='#swot .inline-form [type="submit"]',
        ),
        PageState(
            "competitor form",
            "claire",
            plan_url,
            opens=link_to("pac:competitor-update", full.competitor.pk),
        ),
        PageState(
            "target form",
            "claire",
            plan_url,
            opens=link_to("targets:target-update", full.target.pk),
        ),
        PageState(
            "objective form",
            "claire",
            plan_url,
            opens=link_to("targets:objective-update", full.objective.pk),
        ),
        PageState(
            "objective KPI form",
            "claire",
            plan_url,
            opens=link_to("kpis:objective-kpi-update", full.objective.pk, full.objective_kpi.pk),
        ),
        PageState(
            "deal form", "claire", plan_url, opens=link_to("targets:deal-update", full.deal.pk)
        ),
        PageState(
            "action step form",
            "claire",
            sheet_url,
            opens=link_to("actions:step-update", action.pk, full.step.pk),
        ),
        PageState(
            "action KPI form",
            "claire",
            sheet_url,
            opens=link_to("kpis:action-kpi-update", action.pk, full.action_kpi.pk),
        ),
        PageState(
            "KPI value form (PACI)",
            rep,
            paci_url,
            opens=link_to("kpis:paci-kpi-value-create", rep, full.objective_kpi.pk),
        ),
        PageState(
            "split form",
            "claire",
            plan_url,
            opens=link_to("targets:objective-split", full.team_objective.pk),
        ),
        PageState(
            "proposal amend form",
            "claire",
            plan_url,
            opens=link_to("pac:proposal-amend", full.proposal.pk),
        ),
        PageState(
            "proposal decline form",
            "claire",
            plan_url,
            opens=link_to("pac:proposal-decline", full.proposal.pk),
        ),
        PageState(
            "new action proposal form (PACI)",
            rep,
            paci_url,
            opens=link_to("pac:proposal-create", rep),
        ),
        PageState(
            "action change proposal form (PACI)",
            rep,
            paci_url,
            opens=link_to("pac:action-proposal-create", rep, action.pk),
        ),
        PageState(
            "progress report form (PACI)",
            rep,
            paci_url,
            opens=link_to("actions:paci-action-report", rep, action.pk),
        ),
    ]


def sign_in(page, base_url, username):
    page.goto(f"{base_url}{reverse('login')}")
    page.locator('input[name="username"]').fill(username)
    page.locator('input[name="password"]').fill("demo")
    page.locator('main form [type="submit"]').click()
    page.wait_for_load_state()


def show(page, base_url, state):
    """Open the state's page and, for a form opened in place, click its link and wait for the
    form to take the focus (htmx focuses its autofocus field once the swap has settled)."""
    page.goto(f"{base_url}{state.path}")
    if state.opens:
        page.locator(state.opens).first.click()
        page.wait_for_function(
            "() => document.activeElement && document.activeElement.hasAttribute('autofocus')"
        )
    if state.submits:
        page.locator(state.submits).first.click()
        page.locator(".invalid-feedback").first.wait_for()
        page.wait_for_load_state()
    if state.uploads:
        name, content = state.uploads
        form = page.locator('form:has(input[type="file"])')
        form.locator('input[type="file"]').set_input_files(
            {"name": name, "mimeType": "text/csv", "buffer": content.encode()}
        )
        with page.expect_navigation():
            form.locator('[type="submit"]').first.click()


def walk(chromium, base_url, states, widths, visit):
    """Call `visit(page, state, width)` on every state at every width, one browser context per
    user and width so that each signs in once."""
    users = {}
    for state in states:
        users.setdefault(state.user, []).append(state)
    for user, theirs in users.items():
        for width in widths:
            context = chromium.new_context(locale="fr-FR", viewport={"width": width, "height": 900})
            page = context.new_page()
            page.set_default_timeout(10_000)
            try:
                if user:
                    sign_in(page, base_url, user)
                for state in theirs:
                    show(page, base_url, state)
                    visit(page, state, width)
            finally:
                context.close()
