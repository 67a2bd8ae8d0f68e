"""The pages of the foundation: home, plans, plan overview, my PACI, health check, accounts."""

import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.db import OperationalError
from django.urls import reverse

from actions.models import Action
from pac.core.models import Plan
from pac.plans.models import SwotItem
from tests.actions.factories import ActionFactory, ActionStepFactory
from tests.kpis.factories import KpiFactory, KpiValueFactory
from tests.pac.factories import CompetitorFactory, PlanFactory, ReviewFactory, SwotItemFactory
from tests.targets.factories import AssessmentFactory, DealFactory, ObjectiveFactory, TargetFactory

pytestmark = pytest.mark.django_db

PAGES = ["home", "pac:plan-list", "my-paci"]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(client, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_anonymous_visitors_cannot_open_a_plan(client, world):
    response = client.get(world.plan.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("role", "destination"),
    [
        ("rep", "my-paci"),
        ("manager", "pac:plan-list"),
        ("viewer", "pac:plan-list"),
        ("staff", "pac:plan-list"),
    ],
)
def test_home_sends_reps_to_their_paci_and_others_to_the_plans(world, login, role, destination):
    response = login(getattr(world, role)).get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse(destination)


@pytest.mark.parametrize("role", ["manager", "rep", "viewer"])
def test_plan_list_shows_the_team_plans_only(world, login, role):
    response = login(getattr(world, role)).get(reverse("pac:plan-list"))
    assert response.status_code == 200
    assert "PAC Nord 2027" in response.text
    assert "PAC Sud 2027" not in response.text


def test_plan_list_shows_the_latest_period_first(world, login):
    """Created after the 2027 plan, listed before it: the order is asked for, not the order of
    the rows (Django leaves a model's ordering out of the grouped query that counts targets)."""
    PlanFactory(
        team=world.team,
        title="PAC Nord 2028",
        period_start=date(2028, 1, 1),
        period_end=date(2028, 6, 30),
    )
    page = login(world.manager).get(reverse("pac:plan-list")).text
    assert page.index("PAC Nord 2028") < page.index("PAC Nord 2027")


def test_plan_list_for_staff_shows_every_team(world, login):
    response = login(world.staff).get(reverse("pac:plan-list"))
    assert "PAC Nord 2027" in response.text
    assert "PAC Sud 2027" in response.text


def test_plan_list_tells_a_person_without_team_what_to_do(login, django_user_model):
    loner = django_user_model.objects.create_user("loner", password="x-secret-123")
    response = login(loner).get(reverse("pac:plan-list"))
    assert "Vous n'avez pas encore de plan." in response.text


def test_another_team_plan_is_a_404(world, login):
    response = login(world.foreign_manager).get(world.plan.get_absolute_url())
    assert response.status_code == 404


def test_a_missing_plan_is_a_404(world, login):
    response = login(world.manager).get(reverse("pac:plan-detail", args=[99999]))
    assert response.status_code == 404


def test_the_overview_refuses_a_post(world, login):
    response = login(world.manager).post(world.plan.get_absolute_url(), {"title": "Piraté"})
    assert response.status_code == 405
    world.plan.refresh_from_db()
    assert world.plan.title == "PAC Nord 2027"


@pytest.fixture
def filled_plan(world):
    """A small plan whose figures are computed by hand in the tests below."""
    plan = world.plan
    plan.budget_envelope = Decimal("5000")
    plan.strategy = "Devenir le partenaire de proximité des PME."
    plan.save()
    SwotItemFactory(plan=plan, quadrant=SwotItem.Quadrant.STRENGTH, text="Équipe soudée")
    SwotItemFactory(plan=plan, quadrant=SwotItem.Quadrant.THREAT, text="Guerre des prix")
    CompetitorFactory(plan=plan, name="Cap Numérique")
    target = TargetFactory(plan=plan, name="PME industrielles")
    ObjectiveFactory(target=target, title="Nouveaux clients PME", target_value=Decimal("8"))
    sales = ActionFactory(
        target=target,
        title="Prospection téléphonique",
        budget_planned=Decimal("2000"),
        budget_actual=Decimal("2500"),
        owner=world.rep,
        participants=[world.other_rep],
    )
    ActionStepFactory(action=sales, done=True)
    ActionStepFactory(action=sales, done=False)
    ActionFactory(
        target=target,
        domain=Action.Domain.INTERNAL,
        sales_type="",
        title="Formation de l'équipe",
        budget_planned=Decimal("1500"),
        budget_actual=Decimal("1000"),
    )
    for amount, probability in [(1000, 20), (2000, 50), (4000, 75)]:
        DealFactory(plan=plan, amount=Decimal(amount), probability=probability, owner=world.rep)
    ReviewFactory(plan=plan, held_on=date(2027, 3, 31), decisions="Deuxième vague d'appels.")
    return plan


@pytest.mark.parametrize("role", ["manager", "rep", "viewer", "staff"])
def test_the_overview_shows_every_section_to_every_member(world, login, filled_plan, role):
    response = login(getattr(world, role)).get(filled_plan.get_absolute_url())
    assert response.status_code == 200
    page = response.text
    for expected in [
        "Rappel de la stratégie",
        "Devenir le partenaire de proximité des PME.",
        "Matrice SWOT (FFOM)",
        "Équipe soudée",
        "Guerre des prix",
        "Cap Numérique",
        "PME industrielles",
        "Nouveaux clients PME",
        "Prospection téléphonique",
        "Formation de l&#x27;équipe",
        "Deuxième vague d&#x27;appels.",
    ]:
        assert expected in page, expected


def test_the_overview_totals_budget_and_weighted_deals(world, login, filled_plan):
    response = login(world.manager).get(filled_plan.get_absolute_url())
    page = response.text
    # Planned 2 000 + 1 500 = 3 500 €; spent 2 500 + 1 000 = 3 500 €; envelope 5 000 €.
    assert 'data-testid="budget-planned">3\xa0500\xa0€' in page
    assert 'data-testid="budget-actual">3\xa0500\xa0€' in page
    assert 'data-testid="budget-envelope">5\xa0000\xa0€' in page
    assert "1\xa0500\xa0€ restant à allouer" in page
    # The sales action overran by 500 € even though the plan as a whole did not.
    assert "500\xa0€" in page
    # 1 000 × 20 % + 2 000 × 50 % + 4 000 × 75 % = 4 200 €.
    assert 'data-testid="deals-weighted-total">4\xa0200\xa0€' in page
    assert "1/2" in page  # one step of two done


def test_the_overview_tells_readers_they_cannot_edit(world, login, filled_plan):
    assert "Vous lisez ce plan" in login(world.rep).get(filled_plan.get_absolute_url()).text
    assert "Vous lisez ce plan" not in login(world.manager).get(filled_plan.get_absolute_url()).text


def test_a_closed_plan_says_so(world, login):
    world.plan.status = Plan.Status.CLOSED
    world.plan.save()
    response = login(world.manager).get(world.plan.get_absolute_url())
    assert "Ce plan est clos" in response.text


def test_the_overview_of_an_empty_plan_says_what_is_missing(world, login):
    page = login(world.manager).get(world.plan.get_absolute_url()).text
    assert "Aucune cible choisie pour l'instant." in page
    assert "Aucune affaire dans le carnet pour l'instant." in page
    assert "Aucune revue enregistrée pour l'instant." in page


def grow(plan, rep, size):
    """A plan with `size` actions spread over 5 targets, each with steps, a KPI, a deal."""
    targets = [TargetFactory(plan=plan) for _ in range(5)]
    for index in range(size):
        target = targets[index % 5]
        action = ActionFactory(target=target, owner=rep, participants=[rep])
        ActionStepFactory(action=action, owner=rep)
        ObjectiveFactory(target=target, owner=rep)
        KpiFactory(action=action, owner=rep, per_period=bool(index % 2))
        measured = ObjectiveFactory(target=target, owner=rep, measured_by="kpi")
        measured.measure_kpi = KpiFactory(action=None, objective=measured, owner=rep)
        measured.save()
        KpiValueFactory(kpi=measured.measure_kpi, recorded_by=rep)
        AssessmentFactory(objective__target=target, recorded_by=rep, assessed_on=date(2026, 11, 2))
        DealFactory(plan=plan, owner=rep, target=target)
        SwotItemFactory(plan=plan)


# Queries of the overview: session, user, plan, the team's members (the reader's role and the
# reps' PACI links), swot, competitors, targets, objectives (with their measure), the objectives'
# KPIs (with their latest value), actions per domain, the first actions of each, participants,
# one page of deals carrying the count and weighted total of all of them, latest review, the reps'
# proposals, the diagnosis's clients (for the warnings; its settings too when it has some).
OVERVIEW_QUERIES = 16


@pytest.mark.parametrize("size", [10, 300])
def test_overview_queries_do_not_grow_with_the_plan(world, login, django_assert_num_queries, size):
    grow(world.plan, world.rep, size)
    client = login(world.manager)
    with django_assert_num_queries(OVERVIEW_QUERIES):
        response = client.get(world.plan.get_absolute_url())
    # Every action is counted; the page lists the first 25 of a domain and links to the rest.
    assert f"{size} actions" in response.text
    listed = re.findall(r'href="/plans/\d+/actions/\d+/"', response.text)
    assert len(listed) == min(size, 25)
    if size > 25:
        assert f"Voir les {size} actions de ce domaine dans la liste des actions" in response.text


# session, user, plans with their target counts, whether the user manages a team.
PLAN_LIST_QUERIES = 4


@pytest.mark.parametrize("size", [2, 40])
def test_plan_list_queries_do_not_grow_with_the_plans(
    world, login, django_assert_num_queries, size
):
    for index in range(size):
        TargetFactory(
            plan=Plan.objects.create(
                team=world.team,
                title=f"Plan {index}",
                period_start=date(2027, 1, 1),
                period_end=date(2027, 6, 30),
            )
        )
    client = login(world.manager)
    with django_assert_num_queries(PLAN_LIST_QUERIES):
        client.get(reverse("pac:plan-list"))


def test_healthz_answers_without_login(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.text == "ok\n"


def test_healthz_reports_an_unreachable_database(client, db, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("pac.core.views.connection.cursor", broken_cursor)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503


def test_login_page_is_in_french_by_default(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert '<html lang="fr">' in response.text
    assert "Connexion à PAC" in response.text


def test_a_wrong_password_is_refused_in_french(client, world):
    response = client.post(reverse("login"), {"username": "manager", "password": "wrong"})
    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.text


def test_a_manager_signs_in_and_lands_on_the_plans(client, world):
    response = client.post(
        reverse("login"), {"username": "manager", "password": "secret-pass-123"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("pac:plan-list")
    assert "PAC Nord 2027" in response.text


def test_logout_is_a_post_and_ends_the_session(world, login):
    client = login(world.manager)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("pac:plan-list")).status_code == 302


def test_the_language_switcher_turns_the_interface_to_english(world, login):
    client = login(world.manager)
    client.post(reverse("set_language"), {"language": "en", "next": "/plans/"})
    response = client.get(world.plan.get_absolute_url())
    assert '<html lang="en">' in response.text
    assert "Strategy reminder" in response.text
    assert "Rappel de la stratégie" not in response.text


def test_amounts_read_the_english_way_in_english(world, login, filled_plan):
    client = login(world.manager)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(filled_plan.get_absolute_url()).text
    assert 'data-testid="deals-weighted-total">€4,200' in page


def test_password_change_works(world, login):
    client = login(world.manager)
    assert client.get(reverse("password_change")).status_code == 200
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "secret-pass-123",
            "new_password1": "a-much-better-one-42",
            "new_password2": "a-much-better-one-42",
        },
    )
    assert response.status_code == 302
    world.manager.refresh_from_db()
    assert world.manager.check_password("a-much-better-one-42")


def test_pages_carry_a_strict_content_security_policy(world, login):
    response = login(world.manager).get(reverse("pac:plan-list"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    # htmx is served from our own static files, with the page's nonce.
    assert "django_htmx/htmx-2.min.js" in response.text


def test_the_language_switch_works_before_signing_in(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    page = client.get(reverse("login")).text
    assert '<html lang="en">' in page
    assert "Sign in to PAC" in page


def test_a_signed_in_user_skips_the_login_page(world, login):
    response = login(world.manager).get(reverse("login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_the_carnet_of_the_plan_page_comes_20_deals_a_page(world, login):
    """25 deals of 1 000 € at 40 %: 20 on the first page by milestone, 5 on the second, the
    weighted total of all 25 (25 × 400 € = 10 000 €) on both."""
    for index in range(25):
        DealFactory(
            plan=world.plan,
            company=f"Client {index:02}",
            amount=Decimal(1000),
            probability=40,
            milestone_date=date(2027, 1, 1 + index),
        )
    client = login(world.viewer)
    url = world.plan.get_absolute_url()
    first = client.get(url).text
    assert re.findall(r"<td>(Client \d+)</td>", first) == [f"Client {i:02}" for i in range(20)]
    assert "1–20 sur 25" in first and "10\u00a0000\u00a0€" in first
    second = client.get(url + "?section=deals&deals_page=2", headers={"HX-Request": "true"})
    assert second.text.strip().startswith('<section id="deals"')
    assert re.findall(r"<td>(Client \d+)</td>", second.text) == [
        f"Client {i:02}" for i in range(20, 25)
    ]
    assert "21–25 sur 25" in second.text and "10\u00a0000\u00a0€" in second.text
    # The links of the second page lead back to the plan page, not to the region.
    assert f'href="{url}?deals_page=1#deals"' in second.text
    # A page past the end shows the last one, an odd page number the first, with the same total.
    for number, shown in [("99", "21–25 sur 25"), ("-3", "1–20 sur 25"), ("abc", "1–20 sur 25")]:
        page = client.get(
            url, {"section": "deals", "deals_page": number}, headers={"HX-Request": "true"}
        ).text
        assert shown in page and "10\u00a0000\u00a0€" in page, number
    huge = client.get(
        url, {"section": "deals", "deals_page": str(10**30)}, headers={"HX-Request": "true"}
    )
    assert "21–25 sur 25" in huge.text


def test_an_empty_carnet_reads_in_the_same_query(world, login, django_assert_num_queries):
    grow(world.plan, world.rep, 10)
    world.plan.deals.all().delete()
    client = login(world.viewer)
    with django_assert_num_queries(OVERVIEW_QUERIES):
        response = client.get(world.plan.get_absolute_url())
    assert response.context["deals_weighted_total"] == 0
    assert response.context["deals_page"].paginator.count == 0


def test_an_empty_list_tells_a_manager_how_to_start_and_others_whom_to_ask(world, login):
    world.plan.delete()
    manager = login(world.manager).get(reverse("pac:plan-list")).text
    assert (
        "Votre équipe n'a pas encore de plan : commencez le premier avec « Nouveau plan »."
        in unescape(manager)
    )
    viewer = login(world.viewer).get(reverse("pac:plan-list")).text
    assert "Un administrateur vous donne un rôle dans une équipe" in unescape(viewer)
