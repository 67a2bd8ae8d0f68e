"""Staff administrators manage every model in the Django admin, with its history."""

from datetime import date

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from pac.core.models import SentForm
from pac.core.tokens import ApiToken, token_create
from pac.diagnosis.models import ClientFigure, Diagnosis, OfferFigure, OfferSegmentFigure
from pac.documents.models import PdfExport
from pac.planning.models import ReminderSent
from pac.proposals.models import Proposal
from pac.steering.models import PaciSignature
from tests.actions.factories import ActionStepFactory
from tests.kpis.factories import KpiValueFactory
from tests.pac.factories import CompetitorFactory, ReviewFactory, SwotItemFactory
from tests.targets.factories import AssessmentFactory, DealFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db

APP_LABELS = ["pac", "targets", "actions", "kpis"]
OWN_MODELS = [
    model
    for label in APP_LABELS
    for model in apps.get_app_config(label).get_models()
    if not model.__name__.startswith("Historical")
]


def test_every_model_is_registered():
    assert OWN_MODELS
    assert [model for model in OWN_MODELS if not admin.site.is_registered(model)] == []


@pytest.fixture
def one_of_each(world):
    step = ActionStepFactory(action__target__plan=world.plan)
    ObjectiveFactory(target=step.action.target)
    AssessmentFactory(objective__target=step.action.target, recorded_by=world.manager)
    KpiValueFactory(kpi__action=step.action, recorded_by=world.rep)
    DealFactory(plan=world.plan, owner=world.rep)
    SwotItemFactory(plan=world.plan)
    CompetitorFactory(plan=world.plan)
    ReviewFactory(plan=world.plan)
    SentForm.objects.create(token="0" * 32)
    ReminderSent.objects.create(user=world.rep, item="action:1", sent_on=date(2027, 3, 10))
    PdfExport.objects.create(plan=world.plan, requested_by=world.manager)
    Proposal.objects.create(
        plan=world.plan,
        author=world.rep,
        kind=Proposal.Kind.NEW_ACTION,
        target=step.action.target,
        changes={"title": "Salon"},
        comment="Un salon utile",
    )
    PaciSignature.objects.create(plan=world.plan, rep=world.rep, fingerprint="0" * 8)
    Diagnosis.objects.create(plan=world.plan)
    ClientFigure.objects.create(plan=world.plan, name="Lemaire", sales=10, margin=1)
    OfferFigure.objects.create(plan=world.plan, name="Audit", sales=10, margin=1)
    OfferSegmentFigure.objects.create(
        plan=world.plan, offer="Audit", segment="PME", sales=10, margin=1
    )
    token_create(actor=world.rep, name="Power BI")


RECORDS = {Proposal, PaciSignature, ApiToken}


@pytest.mark.parametrize("model", OWN_MODELS, ids=lambda model: model.__name__)
def test_every_admin_page_opens_with_history(client, django_user_model, one_of_each, model):
    superuser = django_user_model.objects.create_superuser("root", password="x-secret-123")
    client.force_login(superuser)
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    assert client.get(reverse(f"{prefix}_changelist")).status_code == 200
    # Proposals, signatures and API tokens are made through their pages' services: read here,
    # not added.
    added = 403 if model in RECORDS else 200
    assert client.get(reverse(f"{prefix}_add")).status_code == added
    pk = model.objects.first().pk
    assert client.get(reverse(f"{prefix}_change", args=[pk])).status_code == 200
    assert client.get(reverse(f"{prefix}_history", args=[pk])).status_code == 200


def test_a_manager_without_staff_status_cannot_open_the_admin(world, login):
    response = login(world.manager).get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def plan_form(plan, **changes):
    data = {
        "team": plan.team_id,
        "title": plan.title,
        "period_start": plan.period_start.isoformat(),
        "period_end": plan.period_end.isoformat(),
        "status": plan.status,
        "budget_envelope": str(plan.budget_envelope),
        "version": plan.version,
    }
    for prefix in ("swot_items", "competitors"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    return data | changes


def test_the_admin_moves_a_plan_only_as_its_life_allows(world, client):
    client.force_login(world.staff)
    world.staff.is_superuser = True
    world.staff.save()
    url = reverse("admin:pac_plan_change", args=[world.plan.pk])
    world.plan.status = "draft"
    world.plan.save()
    response = client.post(url, plan_form(world.plan, status="closed"))
    assert response.status_code == 200
    assert "Un plan ne peut pas passer de « Brouillon » à « Clos »." in response.text
    world.plan.refresh_from_db()
    assert world.plan.status == "draft"


def test_a_closed_plan_is_read_only_in_the_admin(world, client):
    world.staff.is_superuser = True
    world.staff.save()
    client.force_login(world.staff)
    world.plan.status = "closed"
    world.plan.save()
    url = reverse("admin:pac_plan_change", args=[world.plan.pk])
    response = client.post(url, plan_form(world.plan, status="active", title="Rouvert"))
    assert response.status_code == 403
    world.plan.refresh_from_db()
    assert (world.plan.status, world.plan.title) == ("closed", "PAC Nord 2027")
    # Still readable: the archive of its period.
    assert client.get(url).status_code == 200


def test_what_a_closed_plan_holds_is_read_only_in_the_admin(world, client, one_of_each):
    world.staff.is_superuser = True
    world.staff.save()
    client.force_login(world.staff)
    deal = world.plan.deals.get()
    world.plan.status = "closed"
    world.plan.save()
    change = reverse("admin:targets_deal_change", args=[deal.pk])
    assert client.get(change).status_code == 200  # shown
    response = client.post(change, {"company": "Changé", "plan": world.plan.pk})
    assert response.status_code == 403
    deal.refresh_from_db()
    assert deal.company != "Changé"
    assert (
        client.post(
            reverse("admin:targets_deal_delete", args=[deal.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    # Nothing added to it either: the form says why, beside nothing else, and saves nothing.
    add = reverse("admin:pac_swotitem_add")
    response = client.post(
        add,
        {"plan": world.plan.pk, "quadrant": "strength", "text": "Ajout", "order": 0, "version": 1},
    )
    assert response.status_code == 200
    assert "Ce plan est clos : il ne peut plus être modifié." in response.text
    assert not world.plan.swot_items.filter(text="Ajout").exists()


def test_staff_revoke_api_tokens_in_the_admin(client, world, django_user_model):
    """A token someone lost is revoked by an administrator: it answers 401 at once."""
    token, secret = token_create(actor=world.rep, name="Power BI")
    client.force_login(django_user_model.objects.create_superuser("root", password="x-123-y"))
    response = client.post(
        reverse("admin:pac_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    assert client.get("/api/plans/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
