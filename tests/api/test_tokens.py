"""Personal API tokens: created on the profile page and shown there once, kept as a digest,
revoked by their owner only; the API answers 401 without one, or with a revoked one."""

import hashlib

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from pac.core.tokens import ApiToken, token_create

pytestmark = pytest.mark.django_db

PLANS = "/api/plans/"


def create(client, name="Synchronisation CRM"):
    return client.post(reverse("profile"), {"token-name": name})


def test_a_token_is_shown_once_and_kept_only_as_its_digest(world, login):
    client = login(world.manager)
    page = create(client)
    assert page.status_code == 200
    token = ApiToken.objects.get()
    shown = page.context["new_token"][1]
    assert shown.startswith("pac_") and len(shown) > 40
    assert f'value="{shown}"' in page.text
    assert token.name == "Synchronisation CRM" and token.user == world.manager
    assert token.digest == hashlib.sha256(shown.encode()).hexdigest()
    assert token.prefix == shown[:10]
    # The database holds no copy of it: not the token's row, not the session.
    for model_row in ApiToken.objects.values_list():
        assert shown not in [str(value) for value in model_row]
    again = client.get(reverse("profile"))
    assert shown not in again.text
    assert f"{token.prefix}…" in again.text
    assert not any(shown in str(session.get_decoded()) for session in Session.objects.all())


def test_the_token_works_and_records_the_day_it_was_last_used(world):
    token, secret = token_create(actor=world.rep, name="BI")
    assert token.last_used_on is None
    response = Client().get(PLANS, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert [plan["title"] for plan in response.json()["results"]] == ["PAC Nord 2027"]
    token.refresh_from_db()
    assert token.last_used_on == timezone.localdate()


def test_a_token_without_a_name_is_refused_beside_the_field(world, login):
    client = login(world.manager)
    response = create(client, "")
    assert response.status_code == 422
    assert not ApiToken.objects.exists()
    assert "token-name" in response.text and "is-invalid" in response.text


def test_a_revoked_token_answers_401(world, login):
    client = login(world.rep)
    token, secret = token_create(actor=world.rep, name="BI")
    response = client.post(reverse("profile"), {"revoke": str(token.pk)})
    assert response.status_code == 302 and response["Location"] == reverse("profile")
    token.refresh_from_db()
    assert token.revoked_at is not None
    answer = Client().get(PLANS, HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 401
    assert answer["Content-Type"] == "application/json"
    assert answer.json()["detail"] == "This token is unknown or has been revoked."
    french = Client().get(PLANS, HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_ACCEPT_LANGUAGE="fr")
    assert french.json()["detail"] == "Ce jeton est inconnu ou a été révoqué."
    assert 'data-testid="token-row"' not in client.get(reverse("profile")).text


def test_nobody_revokes_someone_elses_token(world, login):
    token, secret = token_create(actor=world.rep, name="BI")
    for user in [world.other_rep, world.manager, world.staff]:
        response = login(user).post(reverse("profile"), {"revoke": str(token.pk)})
        assert response.status_code == 404, user
    token.refresh_from_db()
    assert token.revoked_at is None
    assert Client().get(PLANS, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200


@pytest.mark.parametrize("value", ["x", "99999999999999999999", "1\x00", "-1", ""])
def test_a_garbled_token_id_to_revoke_is_a_404(world, login, value):
    assert login(world.rep).post(reverse("profile"), {"revoke": value}).status_code == 404


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer pac_unknown", "Bearer a b", "Bearer pac_\u00e9t\u00e9", "Basic eDp5"],
)
def test_no_token_or_a_wrong_one_is_a_401_in_json_not_a_redirect(world, header):
    response = Client().get(PLANS, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "detail" in response.json()


def test_an_inactive_persons_token_answers_401(world):
    _, secret = token_create(actor=world.rep, name="BI")
    world.rep.is_active = False
    world.rep.save()
    assert Client().get(PLANS, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


@override_settings(
    REST_FRAMEWORK=settings.REST_FRAMEWORK | {"DEFAULT_THROTTLE_RATES": {"api": "3/hour"}}
)
def test_each_token_has_its_own_allowance(world):
    """The fourth request of a token within the hour is a 429; another token of the same
    person still gets through."""
    _, first = token_create(actor=world.rep, name="CRM")
    _, second = token_create(actor=world.rep, name="BI")
    answers = [
        Client().get(PLANS, HTTP_AUTHORIZATION=f"Bearer {first}").status_code for _ in range(4)
    ]
    assert answers == [200, 200, 200, 429]
    assert Client().get(PLANS, HTTP_AUTHORIZATION=f"Bearer {second}").status_code == 200
