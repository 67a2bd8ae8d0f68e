"""The PACI: what a rep sees and reports, and who may see and change it."""

import re
from datetime import date, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from actions.selectors import bucket_of, with_step_rows
from kpis.measures import objectives_progress
from kpis.models import KpiValue
from pac.core.models import Plan
from pac.steering.selectors import DealFigures, deal_figures
from targets.models import Deal, Objective
from targets.progress import Standing
from tests.actions.factories import ActionFactory, ActionStepFactory
from tests.kpis.factories import KpiFactory, KpiValueFactory
from tests.targets.factories import AssessmentFactory, DealFactory, ObjectiveFactory, TargetFactory

pytestmark = pytest.mark.django_db


def paci_url(plan, user):
    return reverse("pac:paci", args=[plan.pk, user.username])


@pytest.fixture
def current(world):
    """The world's plan moved around today, so that reps can report on it."""
    today = timezone.localdate()
    plan = world.plan
    plan.period_start = today - timedelta(days=90)
    plan.period_end = today + timedelta(days=90)
    plan.save()
    return plan


# Who sees a PACI.


def test_my_paci_takes_the_rep_to_the_plan_running_today(world, login, current):
    Plan.objects.create(
        team=world.team,
        title="Ancien plan",
        period_start=date(2020, 1, 1),
        period_end=date(2020, 6, 30),
    )
    response = login(world.rep).get(reverse("my-paci"))
    assert response.status_code == 302
    assert response["Location"] == paci_url(current, world.rep)


def test_my_paci_for_someone_who_is_no_rep(world, login):
    page = login(world.viewer).get(reverse("my-paci")).text
    assert "Vous n'êtes commercial dans aucun plan pour l'instant." in page


@pytest.mark.parametrize(
    ("reader", "status"),
    [
        ("rep", 200),
        ("other_rep", 404),
        ("manager", 200),
        ("viewer", 200),
        ("staff", 200),
        ("foreign_manager", 404),
    ],
)
def test_who_reads_a_rep_paci(world, login, current, reader, status):
    assert login(getattr(world, reader)).get(paci_url(current, world.rep)).status_code == status


def test_anonymous_visitors_sign_in_first(client, world):
    response = client.get(paci_url(world.plan, world.rep))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_person_outside_the_team_has_no_paci_here(world, login):
    assert login(world.manager).get(paci_url(world.plan, world.foreign_manager)).status_code == 404
    missing = reverse("pac:paci", args=[world.plan.pk, "nobody"])
    assert login(world.manager).get(missing).status_code == 404


def test_a_viewer_reads_without_report_buttons(world, login, current):
    action = ActionFactory(
        target=TargetFactory(plan=current), owner=world.rep, start_date=None, end_date=None
    )
    step = ActionStepFactory(action=action, due_date=None)
    page = login(world.viewer).get(paci_url(current, world.rep)).text
    assert action.title in page
    assert reverse("actions:paci-step-done", args=[current.pk, "rep", step.pk]) not in page
    page = login(world.rep).get(paci_url(current, world.rep)).text
    assert reverse("actions:paci-step-done", args=[current.pk, "rep", step.pk]) in page


# Objectives: actual figures and the pace expected at a date.

SPRING = date(2027, 3, 31)  # 89 of the 180 days from 01/01 to 30/06: 49.4 % expected.


def progress_of(plan, objective, today=SPRING):
    return objectives_progress(plan, Objective.objects.filter(pk=objective.pk), today)[0]


def measuring_kpi(objective, **fields):
    """A KPI of the objective that measures it."""
    kpi = KpiFactory(action=None, objective=objective, **fields)
    objective.measured_by, objective.measure_kpi = Objective.Measure.KPI, kpi
    objective.save()
    return kpi


def test_an_objective_measured_by_its_kpi_is_judged_on_the_day_of_the_value(world):
    target = TargetFactory(plan=world.plan)
    objective = ObjectiveFactory(target=target, baseline=Decimal("0"), target_value=Decimal("12"))
    kpi = measuring_kpi(objective)
    KpiValueFactory(kpi=kpi, recorded_on=date(2027, 1, 31), value=Decimal("4"))
    KpiValueFactory(kpi=kpi, recorded_on=date(2027, 2, 28), value=Decimal("6"))
    KpiValueFactory(kpi=kpi, recorded_on=date(2027, 4, 15), value=Decimal("9"))  # after the day
    item = progress_of(world.plan, objective)
    assert item.actual == Decimal("6")
    assert item.attainment == Decimal("50.0")  # 6 of 12
    # Measured on 28/02: 58 of 180 days = 32.2 % expected then.
    assert (item.measured_on, item.expected) == (date(2027, 2, 28), Decimal("32.2"))
    assert item.standing == Standing.ON_TRACK


def test_an_objective_measured_by_won_amounts_counts_its_owner_deals(world):
    target = TargetFactory(plan=world.plan)
    objective = ObjectiveFactory(
        target=target,
        owner=world.rep,
        measured_by=Objective.Measure.WON_AMOUNT,
        unit="€",
        baseline=Decimal("100000"),
        target_value=Decimal("200000"),
    )
    for amount, owner, stage in [
        (30000, world.rep, "won"),
        (20000, world.rep, "won"),
        (15000, world.other_rep, "won"),  # someone else's
        (50000, world.rep, "proposal"),  # not won yet
    ]:
        DealFactory(
            plan=world.plan,
            target=target,
            owner=owner,
            amount=Decimal(amount),
            stage=stage,
            probability=100 if stage == "won" else 50,
        )
    DealFactory(
        plan=world.plan,
        target=TargetFactory(plan=world.plan),
        owner=world.rep,
        amount=Decimal("99000"),
        stage="won",
        probability=100,
    )  # another target
    item = progress_of(world.plan, objective)
    # 100 000 + 30 000 + 20 000 = 150 000: half of the 100 000 to gain, on a 49.4 % pace.
    assert (item.actual, item.attainment, item.expected) == (
        Decimal("150000"),
        Decimal("50.0"),
        Decimal("49.4"),
    )
    assert item.standing == Standing.ON_TRACK


def test_an_objective_without_owner_counts_every_won_deal_of_its_target(world):
    target = TargetFactory(plan=world.plan)
    objective = ObjectiveFactory(
        target=target,
        owner=None,
        measured_by=Objective.Measure.WON_COUNT,
        baseline=Decimal("0"),
        target_value=Decimal("8"),
    )
    for owner in (world.rep, world.other_rep):
        DealFactory(plan=world.plan, target=target, owner=owner, stage="won", probability=100)
    item = progress_of(world.plan, objective)
    # 2 of 8 = 25 %, 24.4 points behind 49.4 %: at risk.
    assert (item.actual, item.attainment, item.standing) == (
        Decimal("2"),
        Decimal("25.0"),
        Standing.AT_RISK,
    )


def test_an_objective_with_nothing_recorded_is_not_measured(world):
    objective = ObjectiveFactory(target=TargetFactory(plan=world.plan))
    measuring_kpi(objective)
    item = progress_of(world.plan, objective)
    assert (item.actual, item.attainment, item.standing) == (None, None, Standing.UNMEASURED)
    qualitative = ObjectiveFactory(
        target=objective.target, kind="qualitative", metric="", unit="", target_value=None
    )
    assert progress_of(world.plan, qualitative).standing == Standing.UNMEASURED


# Actions sorted by what they call for. 17/03/2027 is a Wednesday; its Sunday is 21/03.

WEDNESDAY = date(2027, 3, 17)


@pytest.mark.parametrize(
    ("end", "status", "step_due", "step_done", "bucket"),
    [
        (date(2027, 3, 10), "in_progress", None, False, "late"),
        (date(2027, 3, 16), "planned", None, False, "late"),
        (date(2027, 3, 17), "in_progress", None, False, "this_week"),
        (date(2027, 3, 21), "in_progress", None, False, "this_week"),
        (date(2027, 3, 22), "in_progress", None, False, "upcoming"),
        (date(2027, 4, 30), "in_progress", date(2027, 3, 16), False, "late"),
        (date(2027, 4, 30), "in_progress", date(2027, 3, 16), True, "upcoming"),
        (date(2027, 4, 30), "in_progress", date(2027, 3, 19), False, "this_week"),
        (date(2027, 3, 10), "done", None, False, "done"),
        (date(2027, 3, 10), "cancelled", None, False, "done"),
        (None, "planned", None, False, "upcoming"),
    ],
)
def test_actions_fall_in_the_right_bucket(world, end, status, step_due, step_done, bucket):
    action = ActionFactory(
        target=TargetFactory(plan=world.plan), start_date=None, end_date=end, status=status
    )
    if step_due:
        ActionStepFactory(action=action, due_date=step_due, done=step_done)
    [action] = with_step_rows(Action.objects.filter(pk=action.pk), WEDNESDAY)
    assert bucket_of(action, WEDNESDAY) == bucket


# The carnet commercial.


def test_deals_weighted_and_per_month(world):
    plan = world.plan
    for amount, probability, month, stage in [
        (1000, 20, 3, "lead"),
        (2000, 50, 3, "proposal"),
        (4000, 75, 4, "negotiation"),
        (5000, 0, 4, "lost"),
    ]:
        DealFactory(
            plan=plan,
            owner=world.rep,
            amount=Decimal(amount),
            probability=probability,
            stage=stage,
            milestone_date=date(2027, month, 10),
        )
    deals = Deal.objects.filter(plan=plan)
    assert deals.summary() == (4, Decimal("4200.00"))
    # 200 + 1 000 + 3 000 + 0: the lost deal counts but weighs nothing and leaves the months.
    assert deal_figures(deals) == DealFigures(
        count=4,
        weighted_total=Decimal("4200.00"),
        by_month=[
            ("mars 2027", Decimal("3000.00"), Decimal("1200.00")),
            ("avril 2027", Decimal("4000.00"), Decimal("3000.00")),
        ],
    )
    assert deal_figures(Deal.objects.none()) == DealFigures(0, Decimal("0.00"), [])


# Reporting: steps, progress, KPI values, deals.


@pytest.fixture
def rep_work(world, current):
    target = TargetFactory(plan=current)
    action = ActionFactory(
        target=target,
        owner=world.rep,
        start_date=current.period_start,
        end_date=current.period_end,
        occurrences_planned=12,
        occurrences_done=3,
        budget_planned=Decimal("3000"),
    )
    return {
        "target": target,
        "action": action,
        "step": ActionStepFactory(action=action, due_date=None),
        "kpi": KpiFactory(
            action=action, owner=world.rep, unit="visites", target_value=Decimal("12")
        ),
        "colleague_action": ActionFactory(
            target=target, owner=world.other_rep, start_date=None, end_date=None
        ),
    }


def test_a_rep_ticks_a_step_of_their_action(world, login, current, rep_work):
    step = rep_work["step"]
    url = reverse("actions:paci-step-done", args=[current.pk, "rep", step.pk])
    response = login(world.rep).post(url, {"done": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'id="actions"' in response.text and "<html" not in response.text
    step.refresh_from_db()
    assert step.done
    assert step.history.first().history_user == world.rep


def test_a_step_left_outside_a_shortened_period_can_still_be_ticked(
    world, login, current, rep_work
):
    due = current.period_end - timedelta(days=5)
    step = ActionStepFactory(action=rep_work["action"], due_date=due)
    current.period_end = due - timedelta(days=1)
    current.save()
    url = reverse("actions:paci-step-done", args=[current.pk, "rep", step.pk])
    response = login(world.rep).post(url, {"done": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    step.refresh_from_db()
    assert step.done and step.version == 2


def test_a_rep_cannot_tick_a_colleague_step(world, login, current, rep_work):
    step = ActionStepFactory(action=rep_work["colleague_action"])
    url = reverse("actions:paci-step-done", args=[current.pk, "rep", step.pk])
    assert login(world.rep).post(url, {"done": "1"}).status_code == 404
    url = reverse("actions:paci-step-done", args=[current.pk, "rep_b", step.pk])
    assert login(world.rep).post(url, {"done": "1"}).status_code == 404
    step.refresh_from_db()
    assert not step.done


def test_a_viewer_cannot_tick(world, login, current, rep_work):
    url = reverse("actions:paci-step-done", args=[current.pk, "rep", rep_work["step"].pk])
    assert login(world.viewer).post(url, {"done": "1"}).status_code == 403
    rep_work["step"].refresh_from_db()
    assert not rep_work["step"].done


def report_url(plan, action):
    return reverse("actions:paci-action-report", args=[plan.pk, "rep", action.pk])


def test_a_rep_reports_progress_but_not_the_plan_content(world, login, current, rep_work):
    action = rep_work["action"]
    response = login(world.rep).post(
        report_url(current, action),
        {
            "status": "in_progress",
            "progress": "40",
            "occurrences_done": "7",
            "budget_actual": "1250.50",
            "version": action.version,
            "title": "Piraté",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.progress, action.occurrences_done, action.budget_actual) == (
        "in_progress",
        40,
        7,
        Decimal("1250.50"),
    )
    assert action.title != "Piraté"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("progress", "140", "Assurez-vous que cette valeur est inférieure ou égale à 100."),
        ("occurrences_done", "13", "13 réalisées, c'est plus que les 12 prévues"),
        ("budget_actual", "abc", "Saisissez un nombre."),
        ("budget_actual", "-5", "Assurez-vous que cette valeur est supérieure ou égale à 0."),
        ("status", "finished", "Sélectionnez un choix valide."),
    ],
)
def test_bad_progress_is_refused_with_a_message(
    world, login, current, rep_work, field, value, message
):
    action = rep_work["action"]
    data = {
        "status": "in_progress",
        "progress": "40",
        "occurrences_done": "7",
        "budget_actual": "100",
        "version": action.version,
        field: value,
    }
    response = login(world.rep).post(report_url(current, action), data)
    assert response.status_code == 422
    assert message in unescape(response.text)
    action.refresh_from_db()
    assert (action.progress, action.occurrences_done) == (0, 3)


def value_url(plan, kpi, username="rep"):
    return reverse("kpis:paci-kpi-value-create", args=[plan.pk, username, kpi.pk])


def test_a_rep_records_a_kpi_value(world, login, current, rep_work):
    kpi = rep_work["kpi"]
    today = timezone.localdate()
    response = login(world.rep).post(
        value_url(current, kpi),
        {"recorded_on": today.isoformat(), "value": "7", "comment": "Deux visites cette semaine"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    value = KpiValue.objects.get(kpi=kpi)
    assert (value.value, value.recorded_by, value.comment) == (
        Decimal("7"),
        world.rep,
        "Deux visites cette semaine",
    )
    assert "7 visites" in response.text


@pytest.mark.parametrize(
    ("value", "day", "message"),
    [
        ("abc", None, "Saisissez un nombre."),
        ("5", "outside", "Choisissez une date dans la période du plan"),
        (
            "5",
            "tomorrow",
            "Une valeur ne peut pas être relevée pour un jour qui n'est pas encore venu.",
        ),
        ("5", "twice", "Une valeur est déjà relevée pour ce KPI à cette date."),
        ("", None, "Ce champ est obligatoire."),
    ],
)
def test_bad_kpi_values_are_refused(world, login, current, rep_work, value, day, message):
    kpi = rep_work["kpi"]
    today = timezone.localdate()
    recorded_on = {
        None: today,
        "outside": current.period_start - timedelta(days=1),
        "tomorrow": today + timedelta(days=1),
        "twice": today,
    }[day]
    if day == "twice":
        KpiValueFactory(kpi=kpi, recorded_on=today, value=Decimal("1"), recorded_by=world.rep)
    before = KpiValue.objects.count()
    response = login(world.rep).post(
        value_url(current, kpi), {"recorded_on": recorded_on.isoformat(), "value": value}
    )
    assert response.status_code == 422
    assert message in unescape(response.text)
    assert KpiValue.objects.count() == before


def test_only_the_kpi_owner_and_managers_record_values(world, login, current, rep_work):
    kpi = rep_work["kpi"]
    today = timezone.localdate().isoformat()
    assert (
        login(world.viewer)
        .post(value_url(current, kpi), {"recorded_on": today, "value": "1"})
        .status_code
        == 403
    )
    # The other rep's PACI does not hold this KPI.
    assert (
        login(world.other_rep)
        .post(value_url(current, kpi, "rep_b"), {"recorded_on": today, "value": "1"})
        .status_code
        == 404
    )
    assert (
        login(world.manager)
        .post(value_url(current, kpi), {"recorded_on": today, "value": "1"})
        .status_code
        == 302
    )
    assert KpiValue.objects.get().recorded_by == world.manager


def deal_data(**changes):
    data = {
        "company": "Fonderie Lemaire",
        "contact": "Paul Lemaire",
        "nature": "Infogérance",
        "amount": "12000",
        "probability": "40",
        "stage": "proposal",
        "milestone_date": timezone.localdate().isoformat(),
    }
    return data | changes


def test_a_rep_adds_a_deal_to_their_carnet(world, login, current):
    url = reverse("targets:paci-deal-create", args=[current.pk, "rep"])
    response = login(world.rep).post(url, deal_data(owner=world.rep.pk))
    assert response.status_code == 302
    deal = Deal.objects.get()
    assert (deal.owner, deal.weighted_amount) == (world.rep, Decimal("4800.00"))


def test_a_won_deal_becomes_certain_by_itself(world, login, current):
    url = reverse("targets:paci-deal-create", args=[current.pk, "rep"])
    login(world.rep).post(url, deal_data(owner=world.rep.pk, stage="won", probability="30"))
    assert Deal.objects.get().probability == 100


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"probability": "140"}, "Assurez-vous que cette valeur est inférieure ou égale à 100."),
        ({"amount": "-1"}, "Assurez-vous que cette valeur est supérieure ou égale à 0."),
        ({"amount": "douze mille"}, "Saisissez un nombre."),
        ({"company": ""}, "Ce champ est obligatoire."),
        ({"owner": "OTHER"}, "Sélectionnez un choix valide."),
    ],
)
def test_bad_deals_are_refused(world, login, current, changes, message):
    if changes.get("owner") == "OTHER":
        changes = {"owner": world.other_rep.pk}
    url = reverse("targets:paci-deal-create", args=[current.pk, "rep"])
    response = login(world.rep).post(url, deal_data(owner=world.rep.pk) | changes)
    assert response.status_code == 422
    assert message in unescape(response.text)
    assert not Deal.objects.exists()


def test_a_rep_cannot_touch_a_colleague_deal(world, login, current):
    deal = DealFactory(plan=current, owner=world.other_rep)
    for username in ("rep", "rep_b"):
        url = reverse("targets:paci-deal-update", args=[current.pk, username, deal.pk])
        assert (
            login(world.rep)
            .post(url, deal_data(owner=world.rep.pk, version=deal.version))
            .status_code
            == 404
        )
    deal.refresh_from_db()
    assert deal.owner == world.other_rep


def test_a_manager_edits_a_rep_deal(world, login, current):
    deal = DealFactory(plan=current, owner=world.rep)
    url = reverse("targets:paci-deal-update", args=[current.pk, "rep", deal.pk])
    response = login(world.manager).post(
        url, deal_data(owner=world.rep.pk, amount="5000", version=deal.version)
    )
    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.amount == Decimal("5000")


def test_nothing_changes_in_a_closed_plan(world, login, current, rep_work):
    current.status = Plan.Status.CLOSED
    current.save()
    url = reverse("actions:paci-step-done", args=[current.pk, "rep", rep_work["step"].pk])
    assert login(world.rep).post(url, {"done": "1"}).status_code == 403


def grow(plan, rep, size):
    target = TargetFactory(plan=plan)
    today = timezone.localdate()
    for index in range(size):
        action = ActionFactory(
            target=target, owner=rep, start_date=plan.period_start, end_date=plan.period_end
        )
        ActionStepFactory(action=action, due_date=None)
        kpi = KpiFactory(action=action, owner=rep)
        KpiValueFactory(kpi=kpi, recorded_on=today - timedelta(days=index % 30), recorded_by=rep)
        DealFactory(
            plan=plan, owner=rep, milestone_date=plan.period_start + timedelta(days=index % 150)
        )
        ObjectiveFactory(target=target, owner=rep, deadline=None)
        # Measured by a KPI, assessed, or a KPI with a target per week: all in the same queries.
        measured = ObjectiveFactory(target=target, owner=rep, deadline=None, measured_by="kpi")
        measured.measure_kpi = KpiFactory(action=None, objective=measured, owner=rep)
        measured.save()
        AssessmentFactory(objective__target=target, objective__owner=rep, recorded_by=rep)
        KpiFactory(action=action, owner=rep, per_period=True, frequency="weekly")


# session, user, plan with the reader's role, rep with their latest signature; objectives, won
# deals; actions and steps (their horizon too); KPI standings from plain rows, the page of KPIs
# whole, their values; deal figures (count, weighted total, months in one grouped query), the page
# of deals; the rep's proposals; the rep's plans.
PACI_QUERIES = 15


@pytest.mark.parametrize("size", [5, 60])
def test_paci_queries_do_not_grow(world, login, current, django_assert_num_queries, size):
    grow(current, world.rep, size)
    client = login(world.rep)
    with django_assert_num_queries(PACI_QUERIES):
        response = client.get(paci_url(current, world.rep))
    # One page of each long list: the KPIs furthest behind, the next deals.
    assert response.text.count("data-kpi=") == min(3 * size, 10)  # three KPIs per round
    assert response.text.count("data-deal=") == min(size, 20)


def test_long_lists_of_the_paci_come_a_page_at_a_time(world, login, current):
    """25 KPIs, 25 deals and 12 late actions: 10 KPIs, the furthest behind first, 20 deals by
    milestone, 10 late actions, each with the way to the rest."""
    target = TargetFactory(plan=current)
    today = timezone.localdate()
    start = current.period_start
    # Every KPI on one action over the period: the same pace expected of all of them.
    measured = ActionFactory(
        target=target, owner=world.rep, start_date=start, end_date=current.period_end
    )
    for index in range(25):
        if index < 12:
            ActionFactory(
                target=target,
                owner=world.rep,
                start_date=start,
                end_date=start + timedelta(days=1),
            )
        kpi = KpiFactory(
            action=measured, owner=world.rep, name=f"KPI {index:02}", target_value=Decimal(100)
        )
        # KPI 24 is the furthest behind (1 of 100), KPI 00 the nearest (25 of 100).
        KpiValueFactory(
            kpi=kpi, recorded_on=today, value=Decimal(25 - index), recorded_by=world.rep
        )
        DealFactory(
            plan=current,
            owner=world.rep,
            company=f"Client {index:02}",
            milestone_date=start + timedelta(days=index),
        )
    client = login(world.rep)
    url = paci_url(current, world.rep)
    page = client.get(url).text
    kpis = re.findall(r"<h3 class=\"h6 mb-0\">(KPI \d+)</h3>", page)
    assert kpis == [f"KPI {index:02}" for index in range(24, 14, -1)]
    assert "1–10 sur 25" in page and "1–20 sur 25" in page
    assert re.findall(r"<strong>(Client \d+)</strong>", page)[:2] == ["Client 00", "Client 01"]
    assert page.count("<strong>Client ") == 20
    late = page.split('data-bucket="late"')[1].split('data-bucket="this_week"')[0]
    assert late.count("data-action=") == 10 and "Voir les 12" in late

    # The next pages, swapped in place by htmx, and the whole late bucket.
    third = client.get(url + "?section=kpis&kpis_page=3", headers={"HX-Request": "true"}).text
    assert third.strip().startswith('<section id="kpis"')
    assert re.findall(r"<h3 class=\"h6 mb-0\">(KPI \d+)</h3>", third) == [
        "KPI 04",
        "KPI 03",
        "KPI 02",
        "KPI 01",
        "KPI 00",
    ]
    second = client.get(url + "?section=deals&deals_page=2", headers={"HX-Request": "true"}).text
    assert re.findall(r"<strong>(Client \d+)</strong>", second) == [
        f"Client {index:02}" for index in range(20, 25)
    ]
    whole = client.get(url + "?section=actions&bucket=late", headers={"HX-Request": "true"}).text
    late = whole.split('data-bucket="late"')[1].split('data-bucket="this_week"')[0]
    assert late.count("data-action=") == 12 and "Voir les 12" not in late
    # Pages out of range or not numbers show the nearest page, never an error.
    assert "21–25 sur 25" in client.get(url + "?deals_page=99").text
    assert "1–10 sur 25" in client.get(url + "?kpis_page=x").text


def test_a_value_recorded_on_a_later_page_of_kpis_stays_on_that_page(world, login, current):
    target = TargetFactory(plan=current)
    kpis = [
        KpiFactory(action=ActionFactory(target=target, owner=world.rep), owner=world.rep)
        for _ in range(12)
    ]
    client = login(world.rep)
    page = client.get(
        paci_url(current, world.rep) + "?section=kpis&kpis_page=2", headers={"HX-Request": "true"}
    ).text
    shown = [kpi for kpi in kpis if f'data-kpi="{kpi.pk}"' in page]
    assert len(shown) == 2
    url = reverse("kpis:paci-kpi-value-create", args=[current.pk, "rep", shown[0].pk])
    assert f"{url}?kpis_page=2" in page
    response = client.post(
        url + "?kpis_page=2",
        {"recorded_on": timezone.localdate().isoformat(), "value": "3", "comment": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert KpiValue.objects.filter(kpi=shown[0], value=3).exists()
    assert "11–12 sur 12" in response.text


def test_ids_in_the_page_are_never_written_with_a_thousands_separator(world, login, current):
    """French formats group digits (12 345); ids in attributes must stay as they are."""
    action = ActionFactory(
        pk=12345,
        target=TargetFactory(plan=current),
        owner=world.rep,
        start_date=None,
        end_date=None,
    )
    ActionStepFactory(pk=23456, action=action, due_date=None)
    KpiFactory(pk=34567, action=action, owner=world.rep)
    page = login(world.rep).get(paci_url(current, world.rep)).text
    for attribute in ['data-action="12345"', 'data-step="23456"', 'data-kpi="34567"']:
        assert attribute in page


def test_a_kpi_value_refreshes_the_objectives_it_measures(world, login, current):
    objective = ObjectiveFactory(
        target=TargetFactory(plan=current),
        owner=world.rep,
        baseline=Decimal("0"),
        target_value=Decimal("10"),
        deadline=None,
    )
    kpi = measuring_kpi(objective, owner=world.rep, unit="clients")
    response = login(world.rep).post(
        value_url(current, kpi),
        {"recorded_on": timezone.localdate().isoformat(), "value": "4"},
        headers={"HX-Request": "true"},
    )
    assert 'id="kpis"' in response.text
    assert '<section id="objectives" data-hx-swap-oob="true">' in response.text
    assert '<span class="fs-5" data-testid="actual">4</span>' in response.text


def test_a_step_ticked_in_an_expanded_bucket_keeps_it_expanded(world, login, current):
    target = TargetFactory(plan=current)
    start = current.period_start
    steps = []
    for _ in range(12):
        action = ActionFactory(
            target=target, owner=world.rep, start_date=start, end_date=start + timedelta(days=1)
        )
        steps.append(ActionStepFactory(action=action, due_date=None))
    client = login(world.rep)
    url = paci_url(current, world.rep)
    expanded = client.get(url + "?section=actions&bucket=late", headers={"HX-Request": "true"})
    tick = reverse("actions:paci-step-done", args=[current.pk, "rep", steps[-1].pk])
    assert f'data-hx-post="{tick}?bucket=late"' in expanded.text
    response = client.post(tick + "?bucket=late", {"done": "1"}, headers={"HX-Request": "true"})
    assert response.text.count("data-action=") == 12
    # A bucket the page does not know expands nothing and goes nowhere near the links.
    odd = client.get(url + '?section=actions&bucket="><b>', headers={"HX-Request": "true"})
    assert odd.status_code == 200 and "<b>" not in odd.text
    assert odd.text.count("data-action=") == 10


def test_a_kpi_lists_its_last_twelve_values_and_charts_them_all(world, login, current):
    kpi = KpiFactory(action=ActionFactory(target=TargetFactory(plan=current)), owner=world.rep)
    start = current.period_start
    for index in range(14):
        KpiValueFactory(
            kpi=kpi,
            recorded_on=start + timedelta(days=index),
            value=Decimal(index + 1),
            recorded_by=world.rep,
        )
    page = login(world.rep).get(paci_url(current, world.rep)).text
    listed = page.split("<details")[1].split("</details>")[0]
    assert re.findall(r"<strong>(\d+)\xa0", listed) == [str(n) for n in range(14, 2, -1)]
    assert "Les valeurs plus anciennes sont sur le graphique." in listed
    assert "14 valeurs relevées" in listed
    assert page.count("<circle") >= 14
