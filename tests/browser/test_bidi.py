"""User text is isolated from PAC's own words: a right-to-left override left open in a team's name
or a step's title reverses nothing after it, on the pages and in the printed documents.

The names are written the way an old row or an import could hold them: forms refuse such marks
now, rows saved before them may still have them."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from actions.models import ActionStep
from tests.browser.pages import build_full_plan

pytestmark = pytest.mark.django_db

OVERRIDE = "\u202e"  # RIGHT-TO-LEFT OVERRIDE, never closed


@pytest.fixture
def hostile(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    full = build_full_plan(team_name=f"Équipe {OVERRIDE}Ouest")
    ActionStep.objects.filter(pk=full.step.pk).update(title=f"Appeler {OVERRIDE}les DSI")
    return full


def dates(plan):
    return f"{plan.period_start:%d/%m/%Y} – {plan.period_end:%d/%m/%Y}"


def test_the_printed_plan_keeps_its_own_words_the_right_way(client, hostile):
    client.force_login(hostile.manager)
    plan = hostile.plan
    response = client.get(reverse("pac:plan-pdf", args=[plan.pk]))
    assert response.status_code == 200
    cover = PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages[0].extract_text()
    # The reversed team name stays reversed, inside its isolate; what follows it does not.
    assert f"Période {dates(plan)}" in cover and "Statut Brouillon" in cover
    assert "nolliuorB" not in cover and "edoiréP" not in cover


def test_the_printed_action_sheet_keeps_its_steps_and_dates_the_right_way(client, hostile):
    client.force_login(hostile.manager)
    plan, action = hostile.plan, hostile.action
    response = client.get(reverse("pac:action-pdf", args=[plan.pk, action.pk]))
    body = b"".join(response.streaming_content)
    text = " ".join(PdfReader(io.BytesIO(body)).pages[0].extract_text().split())
    assert "Fiche action" in text
    assert dates(plan) in text
    due = f"{hostile.step.due_date:%d/%m/%Y}"
    assert f"Julien Petit {due}" in text


def test_pages_isolate_user_text_in_their_sentences(client, hostile):
    client.force_login(hostile.manager)
    plan = hostile.plan
    page = client.get(plan.get_absolute_url()).text
    assert re.search(r"<bdi>Équipe \u202eOuest</bdi> · \d\d/\d\d/\d{4} – ", page)
    sheet = client.get(reverse("actions:action-detail", args=[plan.pk, hostile.action.pk])).text
    assert "<bdi>Appeler \u202eles DSI</bdi>" in sheet
    paci = client.get(reverse("pac:paci", args=[plan.pk, hostile.rep.username])).text
    assert "<bdi>Équipe \u202eOuest</bdi> · " in paci
