"""Every door of PAC, tried by every role, with a GET and with a POST.

The doors are walked from the URL resolver, as Sentry's endpoint tests do: each URL pattern of the
project has a row in DOORS below, which says how to build its address from the data and what each
role meets there; a pattern without a row fails (a new page cannot escape these tests), and so does
a row naming an address that no longer exists. The admin site and Django's sign-in views are listed
apart, by name, as out of scope.

What the rows say, in short: anonymous visitors are sent to sign in (a calendar feed, whose key is
its only credential, answers 404 to a wrong key); another team's manager gets a 404, exactly like a
missing plan; reps and viewers read the plan, and a forged POST to an editor's door is refused with
nothing changed; a rep writes on their own PACI and a colleague's PACI is a 404; viewers write
nothing; the team's managers and staff edit. An allowed POST carries valid data and must change
something; a refused one must change nothing.
"""

import re
from dataclasses import replace
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from actions.models import Action, ActionStep
from kpis.models import Kpi, KpiValue
from pac.core.models import Plan
from pac.diagnosis.models import ClientFigure, Diagnosis, OfferFigure, OfferSegmentFigure
from pac.documents import printing
from pac.documents.models import PdfExport
from pac.documents.pdf import Printed, part_html
from pac.plans.models import Competitor, SwotItem
from pac.proposals.models import Proposal
from pac.steering.models import PaciSignature, Review
from targets.models import Assessment, Deal, Objective, Target
from tests import doors_api, doors_crm, doors_exports, doors_plan_import
from tests.doors import (
    ADMIN_LOGIN,
    CREATED,
    DEAL,
    EDIT,
    EDIT_FORM,
    FORM,
    LOGIN,
    NOT_ALLOWED,
    PACI_FORM,
    PACI_READ,
    PACI_WRITE,
    READ,
    ROLES,
    SAVED,
    Door,
    To,
    argument,
    everyone,
    read,
    roles,
    signed_in,
)

pytestmark = pytest.mark.django_db

MODELS = [
    Plan,
    SwotItem,
    Competitor,
    Target,
    Objective,
    Assessment,
    Action,
    ActionStep,
    Kpi,
    KpiValue,
    Deal,
    Review,
    PdfExport,
    Proposal,
    PaciSignature,
    Diagnosis,
    ClientFigure,
    OfferFigure,
    OfferSegmentFigure,
]
# Each area's rows (tests/doors_*.py) name the models their doors write.
AREAS = [doors_plan_import, doors_crm, doors_exports, doors_api]
MODELS += [model for area in AREAS for model in area.MODELS]


def fingerprint():
    """Row counts and version sums: any create, update or delete changes it. One query, for it is
    read around each of the thousand requests below."""
    labels, columns = [], []
    for model in MODELS:
        table = connection.ops.quote_name(model._meta.db_table)
        labels.append(f"{model.__name__} rows")
        columns.append(f"(SELECT COUNT(*) FROM {table})")
        if hasattr(model, "version"):
            labels.append(f"{model.__name__} versions")
            columns.append(f"(SELECT SUM(version) FROM {table})")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)}")
        return dict(zip(labels, cursor.fetchone(), strict=True))


ACTION_SHEET = {
    "title": "Salon Industrie",
    "domain": "sales",
    "sales_type": "notoriety",
    "status": "planned",
    "budget_planned": "5000",
    "budget_actual": "0",
    "occurrences_done": "0",
    "progress": "0",
    "start_date": "2027-03-01",
    "end_date": "2027-03-04",
}

# A new action proposed by a rep: its sheet (the rep its owner) and why.
NEW_ACTION_PROPOSAL = {
    "title": "Webinaire RH",
    "target": "TARGET",
    "domain": "sales",
    "sales_type": "notoriety",
    "start_date": "2027-04-01",
    "end_date": "2027-04-30",
    "budget_planned": "800",
    "occurrences_planned": "",
    "comment": "Les DRH demandent une démo",
}

# Reps propose on their own PACI; the plan's managers and staff decide, and edit instead.
PROPOSE_FORM = roles(LOGIN, 404, FORM, 404, 403, 403, 403)
PROPOSE = roles(LOGIN, 404, SAVED, 404, 403, 403, 403)

# The doors of the plan editor: the manager's form on GET (or a door that only writes), the save on
# POST. Their form protocol (htmx regions, 422, 409) is tried with the manager in
# test_editor_permissions, with hostile data in test_fuzz_forms and test_hostile_input; they take
# only keys of the `things` fixture.
EDITOR = [
    Door(
        "pac:plan-update",
        ("plan",),
        EDIT_FORM,
        EDIT,
        {
            "title": "Nouveau titre",
            "period_start": "2027-01-01",
            "period_end": "2027-06-30",
            "budget_envelope": "1000",
        },
        {
            "title": "",
            "period_start": "2027-06-30",
            "period_end": "2027-01-01",
            "budget_envelope": "-5",
        },
        region="header",
        versioned="plan",
    ),
    Door(
        "pac:plan-strategy",
        ("plan",),
        EDIT_FORM,
        EDIT,
        {"strategy": "Conquérir", "ambitions": "", "segmentation": "", "company_goals": ""},
        region="strategy",
        versioned="plan",
    ),
    Door("pac:plan-status", ("plan",), NOT_ALLOWED, EDIT, {"status": "draft"}),
    Door(
        "pac:plan-duplicate",
        ("plan",),
        EDIT_FORM,
        EDIT,
        {"title": "S2", "period_kind": "semester", "period_start": "2027-07-01"},
        {"title": "S2", "period_kind": "custom", "period_start": "2027-07-01"},
    ),
    Door("pac:plan-delete", ("plan",), EDIT_FORM, EDIT, {}),
    Door(
        "pac:swot-create",
        ("plan",),
        EDIT_FORM,
        EDIT,
        {"quadrant": "threat", "text": "Une menace"},
        {"quadrant": "threat", "text": ""},
        query="?quadrant=threat",
        region="swot",
    ),
    Door(
        "pac:swot-update",
        ("plan", "swot"),
        EDIT_FORM,
        EDIT,
        {"text": "Force revue"},
        {"text": ""},
        region="swot",
        versioned="swot",
    ),
    Door("pac:swot-delete", ("plan", "swot"), NOT_ALLOWED, EDIT, {}, region="swot"),
    Door("pac:swot-move", ("plan", "swot2"), NOT_ALLOWED, EDIT, {"direction": "up"}, region="swot"),
    Door(
        "pac:competitor-create",
        ("plan",),
        EDIT_FORM,
        EDIT,
        {"name": "Nuvola", "threat": "low"},
        {"name": "", "threat": "extreme"},
        region="competitors",
    ),
    Door(
        "pac:competitor-update",
        ("plan", "competitor"),
        EDIT_FORM,
        EDIT,
        {"name": "Cap Num", "threat": "high"},
        {"name": "", "threat": "high"},
        region="competitors",
        versioned="competitor",
    ),
    Door(
        "pac:competitor-delete",
        ("plan", "competitor"),
        NOT_ALLOWED,
        EDIT,
        {},
        region="competitors",
    ),
    Door(
        "pac:diagnosis-settings",
        ("plan",),
        EDIT_FORM,
        EDIT,
        {"figures_period": "2026", "class_a": "70", "class_b": "90", "a_coverage": "40"},
        {"figures_period": "", "class_a": "95", "class_b": "90", "a_coverage": "40"},
        region="settings",
    ),
    Door(
        "pac:figure-create",
        ("plan", "=clients"),
        EDIT_FORM,
        EDIT,
        {"name": "Scierie Dubois", "segment": "PME", "sales": "5000", "margin": "800"},
        {"name": "Scierie Dubois", "segment": "PME", "sales": "-5", "margin": "800"},
        region="clients",
    ),
    Door(
        "pac:figure-update",
        ("plan", "=offers", "offer_figure"),
        EDIT_FORM,
        EDIT,
        {"name": "Maintenance", "sales": "110000", "margin": "22000", "market_share": "14"},
        {"name": "Maintenance", "sales": "110000", "margin": "220000", "market_share": "140"},
        region="offers",
        versioned="offer_figure",
    ),
    Door(
        "pac:figure-delete",
        ("plan", "=offer-segments", "offer_segment_figure"),
        NOT_ALLOWED,
        EDIT,
        {},
        region="cells",
    ),
    # A paste previewed saves nothing: the door saves when the preview is confirmed.
    Door(
        "pac:figures-import",
        ("plan", "=clients"),
        EDIT_FORM,
        EDIT,
        {"pasted": "Client\tCA\tMarge\nScierie Dubois\t5000\t800\n", "confirm": "1"},
        {"pasted": "Client\tCA\tMarge\nScierie Dubois\t-5\t800\n", "confirm": "1"},
    ),
    Door(
        "pac:diagnosis-target-create",
        ("plan",),
        EDIT_FORM,
        EDIT,
        {"name": "Clients de classe A", "kind": "segment", "priority": "1"},
        {"name": "PME", "kind": "segment", "priority": "1"},
        query="?source=class-A",
    ),
    Door(
        "targets:target-create",
        ("plan",),
        EDIT_FORM,
        EDIT,
        {"name": "ETI", "kind": "segment", "priority": "1"},
        {"name": "PME", "kind": "segment", "priority": "1"},
        region="targets",
    ),
    Door(
        "targets:target-update",
        ("plan", "target"),
        EDIT_FORM,
        EDIT,
        {"name": "PME de l'Est", "kind": "segment", "priority": "2"},
        {"name": "", "kind": "planet", "priority": "9"},
        region="targets",
        versioned="target",
    ),
    Door("targets:target-delete", ("plan", "target"), NOT_ALLOWED, EDIT, {}, region="targets"),
    Door(
        "targets:objective-create",
        ("plan", "target"),
        EDIT_FORM,
        EDIT,
        {
            "kind": "quantitative",
            "title": "Clients",
            "metric": "Nouveaux clients",
            "unit": "clients",
            "target_value": "8",
            "deadline": "2027-06-30",
            "measured_by": "won_count",
        },
        {
            "kind": "quantitative",
            "title": "Clients",
            "metric": "",
            "unit": "",
            "target_value": "",
            "deadline": "2028-01-01",
        },
        region="targets",
    ),
    Door(
        "targets:objective-update",
        ("plan", "objective"),
        EDIT_FORM,
        EDIT,
        {"kind": "qualitative", "title": "Profils"},
        {"kind": "quantitative", "title": "X", "metric": "", "unit": "", "target_value": ""},
        region="targets",
        versioned="objective",
    ),
    Door(
        "targets:objective-delete",
        ("plan", "objective"),
        NOT_ALLOWED,
        EDIT,
        {},
        region="targets",
    ),
    # "Split equally" saves the team's figure shared out between the team's two reps.
    Door(
        "targets:objective-split",
        ("plan", "objective"),
        EDIT_FORM,
        EDIT,
        {"equal": "1"},
        region="targets",
        versioned="objective",
    ),
    Door(
        "targets:objective-assess",
        ("plan", "qualitative"),
        EDIT_FORM,
        EDIT,
        {"verdict": "partly", "assessed_on": "2026-12-01", "comment": "Deux DSI sur cinq"},
        {"verdict": "maybe", "assessed_on": "2030-01-01"},
        region="targets",
    ),
    Door(
        "kpis:objective-kpi-create",
        ("plan", "objective"),
        EDIT_FORM,
        EDIT,
        {
            "name": "Clients signés",
            "unit": "clients",
            "target_value": "8",
            "direction": "increase",
            "frequency": "monthly",
        },
        {"name": "", "unit": "", "target_value": "huit", "direction": "up", "frequency": "daily"},
        region="targets",
    ),
    Door(
        "kpis:objective-kpi-update",
        ("plan", "objective", "objective_kpi"),
        EDIT_FORM,
        EDIT,
        {
            "name": "Clients signés",
            "unit": "clients",
            "target_value": "9",
            "direction": "increase",
            "frequency": "weekly",
            "per_period": "on",
        },
        {"name": "", "unit": "clients", "target_value": "9", "direction": "increase"},
        region="targets",
        versioned="objective_kpi",
    ),
    Door(
        "kpis:objective-kpi-delete",
        ("plan", "objective", "objective_kpi"),
        NOT_ALLOWED,
        EDIT,
        {},
        region="targets",
    ),
    Door(
        "targets:deal-create",
        ("plan",),
        EDIT_FORM,
        EDIT,
        DEAL,
        {
            "company": "",
            "amount": "-5",
            "probability": "140",
            "stage": "proposal",
            "milestone_date": "2031-01-01",
            "owner": "REP",
        },
        region="deals",
    ),
    Door(
        "targets:deal-update",
        ("plan", "deal"),
        EDIT_FORM,
        EDIT,
        DEAL | {"amount": "15000", "probability": "60", "stage": "negotiation"},
        {"company": "", "amount": "x", "probability": "60", "stage": "won", "owner": "REP"},
        region="deals",
        versioned="deal",
    ),
    Door("targets:deal-delete", ("plan", "deal"), NOT_ALLOWED, EDIT, {}, region="deals"),
    Door(
        "actions:action-create",
        ("plan",),
        EDIT_FORM,
        EDIT,
        {**ACTION_SHEET, "target": "TARGET"},
        {**ACTION_SHEET, "target": "TARGET", "end_date": "2027-02-01"},
    ),
    Door(
        "actions:action-update",
        ("plan", "action"),
        EDIT_FORM,
        EDIT,
        {**ACTION_SHEET, "target": "TARGET"},
        {**ACTION_SHEET, "target": "TARGET", "budget_planned": "-1"},
        versioned="action",
    ),
    Door("actions:action-delete", ("plan", "action"), EDIT_FORM, EDIT, {}),
    Door(
        "actions:step-create",
        ("plan", "action"),
        EDIT_FORM,
        EDIT,
        {"title": "Préparer", "due_date": "2027-02-10"},
        {"title": "", "due_date": "2030-01-01"},
        region="steps",
    ),
    Door(
        "actions:step-update",
        ("plan", "action", "step"),
        EDIT_FORM,
        EDIT,
        {"title": "Appeler 20 prospects"},
        {"title": ""},
        region="steps",
        versioned="step",
    ),
    # The action's owner (the other rep) ticks its steps on the sheet too.
    Door(
        "actions:step-done",
        ("plan", "action", "step"),
        NOT_ALLOWED,
        roles(LOGIN, 404, 403, SAVED, 403, SAVED, SAVED),
        {"done": "1"},
        region="steps",
    ),
    Door(
        "actions:step-move",
        ("plan", "action", "step2"),
        NOT_ALLOWED,
        EDIT,
        {"direction": "up"},
        region="steps",
    ),
    Door("actions:step-delete", ("plan", "action", "step"), NOT_ALLOWED, EDIT, {}, region="steps"),
    Door(
        "kpis:action-kpi-create",
        ("plan", "action"),
        EDIT_FORM,
        EDIT,
        {
            "name": "Contacts",
            "unit": "contacts",
            "target_value": "50",
            "direction": "increase",
            "frequency": "weekly",
        },
        {
            "name": "Contacts",
            "unit": "",
            "target_value": "abc",
            "direction": "up",
            "frequency": "weekly",
        },
        region="kpis",
    ),
    Door(
        "kpis:action-kpi-update",
        ("plan", "action", "kpi"),
        EDIT_FORM,
        EDIT,
        {
            "name": "RDV",
            "unit": "rdv",
            "target_value": "30",
            "direction": "increase",
            "frequency": "monthly",
        },
        {
            "name": "",
            "unit": "rdv",
            "target_value": "30",
            "direction": "increase",
            "frequency": "monthly",
        },
        region="kpis",
        versioned="kpi",
    ),
    Door(
        "kpis:action-kpi-delete",
        ("plan", "action", "kpi"),
        NOT_ALLOWED,
        EDIT,
        {},
        region="kpis",
    ),
]


DOORS = [
    Door(
        "home",
        (),
        roles(
            LOGIN,
            To("pac:plan-list"),
            To("my-paci"),
            To("my-paci"),
            To("pac:plan-list"),
            To("pac:plan-list"),
            To("pac:plan-list"),
        ),
        NOT_ALLOWED,
    ),
    # The probe of load balancers: no sign-in, no writes.
    Door("healthz", (), everyone(200), everyone(405)),
    read("pac:plan-list", get=signed_in(200)),
    # Another team's manager creates plans for their own team only: the form refuses ours.
    Door(
        "pac:plan-create",
        (),
        roles(LOGIN, FORM, 403, 403, 403, FORM, FORM),
        roles(LOGIN, 422, 403, 403, 403, SAVED, SAVED),
        {
            "team": "TEAM",
            "title": "PAC 2028",
            "period_kind": "year",
            "period_start": "2028-01-01",
            "budget_envelope": "0",
        },
    ),
    read("pac:plan-detail", "plan"),
    read("pac:plan-history", "plan"),
    read("pac:plan-budget", "plan"),
    # Reps do not see how they compare with each other.
    read("pac:cockpit", "plan", get=roles(LOGIN, 404, 404, 404, 200, 200, 200)),
    read("pac:plan-pdf", "plan"),
    read("pac:plan-dossier-pdf", "plan"),
    read("pac:plan-pptx", "plan"),
    read("pac:pdf-export", "plan", "export"),
    read("pac:pdf-export-download", "plan", "export"),
    read("pac:paci-pdf", "plan", "@rep", get=PACI_READ),
    read("pac:action-pdf", "plan", "action"),
    read("pac:calendar", "plan"),
    read("pac:timeline", "plan"),
    read("pac:horizon", "plan"),
    read("pac:review-list", "plan"),
    Door(
        "pac:review-create",
        ("plan",),
        EDIT_FORM,
        EDIT,
        {"held_on": "2026-12-01", "findings": "Prospection en retard.", "decisions": ""},
    ),
    # Every reader sees the review; its managers turn a decision into an action there.
    Door(
        "pac:review-detail",
        ("plan", "review"),
        READ,
        EDIT,
        {
            "title": "Deuxième vague d'appels",
            "target": "TARGET",
            "domain": "sales",
            "sales_type": "hunting",
            "owner": "REP",
            "start_date": "2027-02-01",
            "end_date": "2027-02-28",
            "budget_planned": "0",
        },
    ),
    Door(
        "pac:review-update",
        ("plan", "review"),
        EDIT_FORM,
        EDIT,
        {"findings": "Relances faites.", "decisions": "Garder le rythme."},
        versioned="review",
    ),
    read("pac:paci", "plan", "@rep", get=PACI_READ),
    *EDITOR,
    read("actions:action-list", "plan"),
    read("actions:action-detail", "plan", "action"),
    # What the rep reports on their PACI: their action (the viewer takes part in it and is still
    # refused), its step, their KPI, their deals.
    Door(
        "actions:paci-action-report",
        ("plan", "@rep", "rep_action"),
        PACI_FORM,
        PACI_WRITE,
        {"status": "in_progress", "progress": "40", "occurrences_done": "0", "budget_actual": "0"},
        versioned="rep_action",
    ),
    Door(
        "actions:paci-step-done",
        ("plan", "@rep", "rep_step"),
        NOT_ALLOWED,
        PACI_WRITE,
        {"done": "1"},
    ),
    # A value is recorded for a day of the plan's period that has come.
    Door(
        "kpis:paci-kpi-value-create",
        ("plan", "@rep", "rep_kpi"),
        PACI_FORM,
        PACI_WRITE,
        {"recorded_on": "2027-01-10", "value": "5", "comment": ""},
        today=date(2027, 1, 12),
    ),
    Door("targets:paci-deal-create", ("plan", "@rep"), PACI_FORM, PACI_WRITE, DEAL),
    Door(
        "targets:paci-deal-update",
        ("plan", "@rep", "deal"),
        PACI_FORM,
        PACI_WRITE,
        DEAL | {"stage": "negotiation"},
        versioned="deal",
    ),
    Door("targets:paci-deal-delete", ("plan", "@rep", "deal"), NOT_ALLOWED, PACI_WRITE, {}),
    # The rep's proposals, on their PACI; the manager decides on the plan page.
    Door("pac:proposal-create", ("plan", "@rep"), PROPOSE_FORM, PROPOSE, NEW_ACTION_PROPOSAL),
    Door(
        "pac:action-proposal-create",
        ("plan", "@rep", "rep_action"),
        PROPOSE_FORM,
        PROPOSE,
        {
            "start_date": "2027-02-01",
            "end_date": "2027-02-20",
            "budget_planned": "1234",
            "means": "Salon",
            "comment": "Le salon est décalé",
        },
    ),
    Door(
        "pac:objective-proposal-create",
        ("plan", "@rep", "rep_objective"),
        PROPOSE_FORM,
        PROPOSE,
        {"target_value": "42", "comment": "Deux grands comptes perdus"},
    ),
    Door("pac:proposal-accept", ("plan", "proposal"), NOT_ALLOWED, EDIT, {}, versioned="proposal"),
    # Only the rep signs their PACI: their manager cannot sign it for them.
    Door(
        "pac:paci-sign",
        ("plan", "@rep"),
        NOT_ALLOWED,
        roles(LOGIN, 404, SAVED, 404, 403, 403, 403),
        {},
    ),
    Door(
        "pac:proposal-amend",
        ("plan", "proposal"),
        EDIT_FORM,
        EDIT,
        {name: value for name, value in NEW_ACTION_PROPOSAL.items() if name != "comment"}
        | {"budget_planned": "600"},
        {"title": "", "target": "TARGET", "domain": "sales", "sales_type": ""},
        region="proposals",
        versioned="proposal",
    ),
    Door(
        "pac:proposal-decline",
        ("plan", "proposal"),
        EDIT_FORM,
        EDIT,
        {"reason": "Le budget est bouclé"},
        {"reason": ""},
        region="proposals",
        versioned="proposal",
    ),
    # Straight to one's own PACI (the other team's manager owns actions in their plan); those who
    # have none are told so.
    read(
        "my-paci",
        get=roles(
            LOGIN,
            To("pac:paci", ("foreign_plan", "@foreign_manager")),
            To("pac:paci", ("plan", "@rep")),
            To("pac:paci", ("plan", "@other_rep")),
            200,
            200,
            200,
        ),
    ),
    read("pac:diagnosis", "plan"),
    read("pac:figures-template", "plan", "=clients"),
    Door(
        "profile",
        (),
        signed_in(FORM),
        signed_in(To("profile")),
        {"language": "en", "reminders": ""},
    ),
    # Calendar feeds: the key in the address is the only credential (each role asks with its
    # own; a visitor with a wrong one); the plan's feed is for the managers who steer it.
    Door("ical-mine", ("token",), roles(404, 200, 200, 200, 200, 200, 200), everyone(405)),
    Door(
        "ical-plan",
        ("token", "plan"),
        roles(404, 404, 404, 404, 404, 200, 200),
        everyone(405),
    ),
    # Django's sign-in views, configured by the project: expectations written down all the same.
    Door(
        "login",
        (),
        roles(200, *[To("home")] * 6),
        everyone(To("home")),
        {"username": "rep", "password": "secret-pass-123"},
    ),
    Door("logout", (), signed_in(405), signed_in(To("login")), {}),
    Door(
        "password_change",
        (),
        signed_in(FORM),
        signed_in(To("password_change_done")),
        {
            "old_password": "secret-pass-123",
            "new_password1": "Une phrase de passe neuve",
            "new_password2": "Une phrase de passe neuve",
        },
    ),
    read("password_change_done", get=signed_in(200)),
    # The sign-in page offers the language switch: it works before signing in.
    Door(
        "set_language",
        (),
        everyone(To("home")),
        everyone(To("home")),
        {"language": "fr", "next": "/"},
    ),
    # The admin site is for staff; its other pages are out of scope (ADMIN below).
    Door(
        "admin:index",
        (),
        roles(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200),
        roles(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200),
    ),
]
DOORS += [door for area in AREAS for door in area.DOORS]
BY_NAME = {door.name: door for door in DOORS}

# Out of scope, by name: the admin site's pages besides admin:index above (staff only, Django's own
# permissions; every model's pages are opened in tests/pac/test_admin.py). A model newly registered
# in the admin must be added here by hand: someone decides that its pages need nothing more.
ADMIN_MODEL_VIEWS = ["add", "change", "changelist", "delete", "history"]
ADMIN_MODELS = {
    # app/model: whether it has django-simple-history's page too
    "actions/action": True,
    "actions/actionstep": True,
    "auth/group": False,
    "django_tasks_database/dbtaskresult": False,
    "kpis/kpi": True,
    "kpis/kpivalue": True,
    "pac/apitoken": False,
    "pac/clientfigure": True,
    "pac/competitor": True,
    "pac/diagnosis": True,
    "pac/membership": True,
    "pac/offerfigure": True,
    "pac/offersegmentfigure": True,
    "pac/pacisignature": False,
    "pac/pdfexport": False,
    "pac/plan": True,
    "pac/proposal": True,
    "pac/remindersent": False,
    "pac/review": True,
    "pac/sentform": False,
    "pac/swotitem": True,
    "pac/team": True,
    "pac/user": True,
    "targets/assessment": True,
    "targets/deal": True,
    "targets/objective": True,
    "targets/target": True,
}


def admin_names(model, history):
    app, name = model.split("/")
    views = [*ADMIN_MODEL_VIEWS, *(["simple_history"] if history else [])]
    # Besides the named pages, an unnamed redirect from the admin's old change address.
    return [*(f"admin:{app}_{name}_{view}" for view in views), f"admin/{model}/<path:object_id>/"]


ADMIN = {
    *(key for model, history in ADMIN_MODELS.items() for key in admin_names(model, history)),
    "admin:login",
    "admin:logout",
    "admin:password_change",
    "admin:password_change_done",
    "admin:auth_user_password_change",
    "admin:jsi18n",
    "admin:autocomplete",
    "admin:view_on_site",
    "admin:app_list",
    # The admin's unnamed catch-all (a 404, or the sign-in, for any other address under it).
    "admin/(?P<url>.*)$",
}


def patterns(resolver_patterns, route="", namespace=""):
    """(route, key) of every URL pattern, namespaces included; the key is the pattern's name, or
    its route when it has none."""
    for pattern in resolver_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in [namespace, pattern.namespace] if part)
            yield from patterns(pattern.url_patterns, route + str(pattern.pattern), inner)
        elif pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield route + str(pattern.pattern), name
        else:
            yield route + str(pattern.pattern), route + str(pattern.pattern)


def test_every_url_pattern_has_a_row_and_every_row_a_pattern():
    keys = [key for route, key in patterns(get_resolver().url_patterns)]
    assert len(keys) == len(set(keys)), "two patterns share a name"
    assert len(DOORS) == len(BY_NAME), "two rows for one door"
    assert not set(BY_NAME) & ADMIN
    missing = set(keys) - set(BY_NAME) - ADMIN
    assert not missing, f"URL patterns with no expectation written in DOORS: {sorted(missing)}"
    gone = (set(BY_NAME) | ADMIN) - set(keys)
    assert not gone, f"rows for URL patterns that no longer exist: {sorted(gone)}"


PLACEHOLDERS = {
    "TARGET": lambda things: things["target"].pk,
    "REP": lambda things: things["deal"].owner_id,
    "TEAM": lambda things: things["plan"].team_id,
}


def prepared(door, things, which):
    """The door's data, with the rows it names."""
    data = door.data(things, which)
    return {
        name: PLACEHOLDERS[value](things) if value in PLACEHOLDERS else value
        for name, value in data.items()
    }


def ids(door):
    return door.name


def errors(response):
    """The messages of an invalid form, for a failure to show."""
    text = response.content.decode(errors="replace")
    blocks = re.findall(
        r'class="(?:invalid-feedback|alert alert-danger)[^"]*"[^>]*>(.*?)</div>', text, re.S
    )
    return [" ".join(re.sub(r"<[^>]+>", " ", block).split()) for block in blocks]


def expect(response, outcome, things, world):
    """Whether the response is what the row says; the message says what came instead."""
    where = response.get("Location", "")
    if isinstance(outcome, To):
        args = [argument(arg, things, world, None) for arg in outcome.args]
        target = reverse(outcome.name, args=args)
        assert response.status_code == 302, (response.status_code, where)
        if outcome.exact:
            assert where == target
        else:
            assert where.startswith(f"{target}?"), where
    elif outcome == FORM:
        assert response.status_code == 200, (response.status_code, where)
        assert "<form" in response.text
    elif outcome == SAVED:
        assert response.status_code == 302, (response.status_code, errors(response))
    elif outcome == CREATED:
        assert response.status_code == 201, (response.status_code, response.content[:300])
    else:
        assert response.status_code == outcome, (response.status_code, where)


# Doors found letting in someone they should not, or failing: (name, role, method) -> why.
KNOWN = {}

CASES = [
    pytest.param(
        door.name,
        role,
        method,
        id=f"{door.name}-{role}-{method}",
        marks=[pytest.mark.xfail(strict=True, reason=KNOWN[door.name, role, method])]
        if (door.name, role, method) in KNOWN
        else [],
    )
    for door in DOORS
    for role in ROLES
    for method in ["GET", "POST"]
]


@pytest.fixture(autouse=True)
def own_files():
    """Not a folder per test here: the shared world's export has its file in the folder the
    world was built with (tests/conftest.py)."""


@pytest.fixture(autouse=True)
def quick_pdf(monkeypatch):
    """Documents are drawn from their template for whoever may read them, but not typeset: the
    printing itself is tried in tests/pac/test_pdf.py."""

    def drawn(document):
        html = "".join(part_html(document, part) for part in document.parts)
        return Printed(html.encode(), 1, [])

    monkeypatch.setattr(printing, "render", drawn)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Pages cached by an earlier test belong to the same revision of the plan (its writes were
    rolled back); clearing keeps each request's answer its own all the same."""
    cache.clear()


@pytest.mark.parametrize(("name", "role", "method"), CASES)
def test_each_door_lets_in_whom_it_should(client, shared_world, monkeypatch, name, role, method):
    """GET and a valid POST by each role: the outcome the row writes down; a POST that does not
    save, and every GET, change nothing; a POST that saves changes something."""
    world, things = shared_world
    door = BY_NAME[name]
    if door.today:
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: door.today)
    user = getattr(world, role, None)
    if user is not None:
        client.force_login(user)
    url = door.url(things, world, user)
    before = fingerprint()
    if method == "GET":
        outcome = door.get[role]
        response = client.get(url)
    else:
        outcome = door.post[role]
        response = client.post(url, prepared(door, things, "valid"))
    expect(response, outcome, things, world)
    if outcome in (SAVED, CREATED):
        assert fingerprint() != before
    else:
        assert fingerprint() == before


PLAN_WRITES = [
    door
    for door in DOORS
    if "plan" in door.args and SAVED in door.post.values() and door.name != "pac:plan-duplicate"
]


@pytest.mark.parametrize("door", PLAN_WRITES, ids=ids)
def test_a_closed_plan_refuses_every_write(client, shared_world, monkeypatch, door):
    """Everyone who writes in the plan while it is open, the rep on their PACI included, is
    refused once it is closed (rolling a closed plan over to the next period is still allowed)."""
    world, things = shared_world
    if door.today:
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: door.today)
    Plan.objects.filter(pk=world.plan.pk).update(status=Plan.Status.CLOSED)
    before = fingerprint()
    for role, outcome in door.post.items():
        if outcome == SAVED:
            client.force_login(getattr(world, role))
            response = client.post(door.url(things, world), prepared(door, things, "valid"))
            assert response.status_code == 403, role
    assert fingerprint() == before


def test_a_closed_plan_says_so_and_offers_no_edit(client, shared_world):
    world, things = shared_world
    plan = world.plan
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.CLOSED)
    client.force_login(world.manager)
    page = client.get(plan.get_absolute_url()).text
    assert "Ce plan est clos" in page
    assert reverse("pac:swot-create", args=[plan.pk]) not in page


# The PACI doors that name one of the rep's rows, or that create one for its owner; those that
# create a row of the requester's own (its model, and the field naming the requester).
OWN_CREATES = {"pac:proposal-create": (Proposal, "author"), "pac:paci-sign": (PaciSignature, "rep")}
PACI_ROWS = [door for door in DOORS if "@rep" in door.args and door.post["rep"] == SAVED]


@pytest.mark.parametrize("door", PACI_ROWS, ids=ids)
def test_a_rep_reaches_no_colleagues_row_through_their_own_paci(client, shared_world, door):
    """On their own PACI's address, the other rep names the rep's action, step, KPI or deal: the
    same 404 as for a row that does not exist; nor can they give a new deal to the rep. Nothing
    changes."""
    world, things = shared_world
    own = replace(door, args=tuple("@other_rep" if arg == "@rep" else arg for arg in door.args))
    url = own.url(things, world)
    client.force_login(world.other_rep)
    before = fingerprint()
    creates = len(door.args) == 2  # the plan and the username only
    if door.get["rep"] == FORM:
        # The form for a deal of their own, yes; the form on the rep's row, no.
        assert client.get(url).status_code == (200 if creates else 404)
    response = client.post(url, prepared(door, things, "valid"))
    if creates and door.name in OWN_CREATES:
        # A proposal made, a PACI signed on one's own PACI is one's own, and nobody else's.
        model, field = OWN_CREATES[door.name]
        assert response.status_code == 302
        assert getattr(model.objects.latest("pk"), field) == world.other_rep
        return
    # A new deal's owner is one of the people the form offers a rep: themselves.
    assert response.status_code == (422 if creates else 404)
    assert fingerprint() == before


# The rows of the `things` fixture (those the editor's doors name), built again in the other team's
# plan under `foreign_<key>` (conftest's shared_world), and the doors that name one of them.
ROWS = {arg for door in EDITOR for arg in door.args if not arg.startswith("=")} - {"plan"}
ROW_DOORS = [door for door in DOORS if door.args[:1] == ("plan",) and ROWS & set(door.args)]


@pytest.mark.parametrize("door", ROW_DOORS, ids=ids)
def test_a_manager_reaches_no_row_of_another_plan_through_their_own(client, shared_world, door):
    """The plan's manager (and staff, who read every plan) name, in their plan's address, a row of
    another team's plan: the same 404 as for a row that does not exist; nothing changes."""
    world, things = shared_world
    mixed = replace(door, args=tuple(f"foreign_{a}" if a in ROWS else a for a in door.args))
    url = mixed.url(things, world)
    before = fingerprint()
    for user in [world.manager, world.staff]:
        client.force_login(user)
        answers = {
            "GET": (client.get(url), door.get),
            "POST": (client.post(url, prepared(door, things, "valid")), door.post),
        }
        for method, (response, expected) in answers.items():
            status = 405 if expected["manager"] == 405 else 404
            assert response.status_code == status, (user.username, method)
    assert fingerprint() == before
