"""A plan to print, as of a fixed day, and how to read its documents back with pypdf."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from pac.documents import pdf as pac_pdf
from pac.plans.models import SwotItem
from tests.actions.factories import ActionFactory, ActionStepFactory
from tests.kpis.factories import KpiFactory, KpiValueFactory
from tests.pac.factories import CompetitorFactory, ReviewFactory, SwotItemFactory
from tests.targets.factories import DealFactory, ObjectiveFactory, TargetFactory

# The plan runs 01/01 – 30/06/2027: on the 15th of April, its action ending on 31/03 is late.
TODAY = date(2027, 4, 15)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)
    return TODAY


def read(response):
    """(reader, each page's text with its spaces folded) of a PDF response."""
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    reader = PdfReader(io.BytesIO(body))
    return reader, [" ".join(page.extract_text().split()) for page in reader.pages]


@pytest.fixture
def printed(world):
    plan = world.plan  # "PAC Nord 2027" of Ventes Nord, 01/01 – 30/06/2027: a semester
    plan.strategy = "Devenir le partenaire de proximité des PME."
    plan.budget_envelope = Decimal("10000")
    plan.save()
    SwotItemFactory(plan=plan, quadrant=SwotItem.Quadrant.STRENGTH, text="Équipe soudée")
    SwotItemFactory(plan=plan, quadrant=SwotItem.Quadrant.THREAT, text="Guerre des prix")
    CompetitorFactory(plan=plan, name="Cap Numérique")
    target = TargetFactory(plan=plan, name="PME industrielles")
    ObjectiveFactory(target=target, title="Huit nouveaux clients", owner=world.rep)
    action = ActionFactory(
        target=target,
        title="Prospection téléphonique",
        owner=world.rep,
        budget_planned=Decimal("2000"),
        budget_actual=Decimal("2500"),
        start_date=date(2027, 2, 1),
        end_date=date(2027, 3, 31),
    )
    ActionStepFactory(action=action, title="Appeler 100 prospects", due_date=date(2027, 2, 15))
    kpi = KpiFactory(action=action, name="Rendez-vous obtenus", owner=world.rep)
    KpiValueFactory(kpi=kpi, recorded_on=date(2027, 2, 28), value=Decimal("6"))
    for amount, probability in [(1000, 20), (2000, 50), (4000, 75)]:
        DealFactory(
            plan=plan,
            amount=Decimal(amount),
            probability=probability,
            owner=world.rep,
            company=f"Client {amount}",
        )
    ReviewFactory(plan=plan, decisions="Deuxième vague d'appels.")
    return {"plan": plan, "action": action, "target": target}


@pytest.fixture
def layouts(monkeypatch):
    """Count WeasyPrint's layouts: a kept document is sent without any."""
    calls = []
    original = pac_pdf.weasyprint

    def counted(html, images=None):
        calls.append(html)
        return original(html, images)

    monkeypatch.setattr(pac_pdf, "weasyprint", counted)
    return calls
