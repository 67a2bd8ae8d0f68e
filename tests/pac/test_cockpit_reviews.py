"""The cockpit and the review meetings: figures worked out by hand, and who may see them."""

from datetime import date, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from pac.steering import selectors as steering
from pac.steering import services
from pac.steering.models import Review
from targets import services as target_services
from targets.models import Objective
from targets.progress import Standing
from tests.actions.factories import ActionFactory
from tests.kpis.factories import KpiFactory, KpiValueFactory
from tests.targets.factories import AssessmentFactory, DealFactory, ObjectiveFactory, TargetFactory

pytestmark = pytest.mark.django_db

SPRING = date(2027, 3, 31)  # 49.4 % of the way through 01/01 – 30/06/2027


@pytest.fixture
def steered(world):
    plan = world.plan
    pme = TargetFactory(plan=plan, name="PME")
    # The rep: a revenue objective 60 000 → 160 000 with 40 000 won (40 %), a count objective
    # 0 → 10 with 3 won... deals counted on the same target by the same owner: 2 won deals.
    ObjectiveFactory(
        target=pme,
        owner=world.rep,
        measured_by=Objective.Measure.WON_AMOUNT,
        unit="€",
        baseline=Decimal("60000"),
        target_value=Decimal("160000"),
    )
    ObjectiveFactory(
        target=pme,
        owner=world.rep,
        measured_by=Objective.Measure.WON_COUNT,
        unit="clients",
        baseline=Decimal("0"),
        target_value=Decimal("8"),
    )
    for amount in (25000, 15000):
        DealFactory(
            plan=plan,
            target=pme,
            owner=world.rep,
            amount=Decimal(amount),
            stage="won",
            probability=100,
            milestone_date=date(2027, 2, 15),
        )
    DealFactory(
        plan=plan,
        target=pme,
        owner=world.rep,
        amount=Decimal("50000"),
        stage="proposal",
        probability=60,
        milestone_date=date(2027, 4, 15),
    )
    DealFactory(
        plan=plan,
        target=pme,
        owner=world.rep,
        amount=Decimal("20000"),
        stage="lost",
        probability=0,
        milestone_date=date(2027, 4, 20),
    )
    ActionFactory(target=pme, owner=world.rep, end_date=date(2027, 3, 15), status="in_progress")
    ActionFactory(target=pme, owner=world.rep, end_date=date(2027, 3, 20), status="done")
    ActionFactory(target=pme, owner=world.other_rep, end_date=date(2027, 3, 30), status="planned")
    ActionFactory(target=pme, owner=world.other_rep, end_date=date(2027, 4, 30), status="planned")
    kpi = KpiFactory(
        action=Action.objects.first(),
        owner=world.rep,
        target_value=Decimal("20"),
        direction="increase",
    )
    KpiValueFactory(kpi=kpi, recorded_on=date(2027, 3, 1), value=Decimal("2"))
    return plan


def test_the_cockpit_figures(world, steered):
    board = steering.cockpit(steered, SPRING)
    rows = {row.rep.username: row for row in board["reps"]}
    rep = rows["rep"]
    # Revenue: 60 000 + 40 000 = 100 000, 40 % of the way; clients: 2 of 8, 25 %.
    assert [item.attainment for item in rep.objectives] == [Decimal("40.0"), Decimal("25.0")]
    assert rep.attainment == Decimal("32.5")
    assert rep.late == 1  # ended 15/03, still in progress; the one done on 20/03 is not late
    # Open deals: 50 000 × 60 % = 30 000 € weighted, against 160 000 − 100 000 = 60 000 to win.
    assert (rep.pipeline, rep.to_win, rep.coverage) == (
        Decimal("30000.00"),
        Decimal("60000"),
        Decimal("50"),
    )
    other = rows["rep_b"]
    assert (other.attainment, other.late, other.pipeline, other.coverage) == (None, 1, 0, None)
    assert [a.owner.username for a in board["late_actions"]] == ["rep", "rep_b"]
    # The KPI: 2 of 20 on 01/03 while its action ran 01/02 – 15/03 (27 of 42 days, 64.3 %).
    assert [k.standing for k in board["kpis_off_track"]] == [Standing.OFF_TRACK]
    # Deals: 40 000 won + 30 000 weighted; lost ones count for nothing.
    assert board["deals_weighted_total"] == Decimal("70000.00")


@pytest.mark.parametrize(
    ("reader", "status"),
    [
        ("manager", 200),
        ("viewer", 200),
        ("staff", 200),
        ("rep", 404),
        ("foreign_manager", 404),
    ],
)
def test_who_opens_the_cockpit(world, login, steered, reader, status):
    url = reverse("pac:cockpit", args=[steered.pk])
    assert login(getattr(world, reader)).get(url).status_code == status


def test_anonymous_visitors_sign_in_before_the_cockpit(client, world):
    response = client.get(reverse("pac:cockpit", args=[world.plan.pk]))
    assert response["Location"].startswith(reverse("login"))


def grow(plan, world, size):
    target = TargetFactory(plan=plan)
    for index in range(size):
        owner = world.rep if index % 2 else world.other_rep
        action = ActionFactory(
            target=target,
            owner=owner,
            start_date=plan.period_start,
            end_date=plan.period_start + timedelta(days=index % 100),
        )
        # Nothing done by the end of the action's span: off track.
        kpi = KpiFactory(action=action, owner=owner, target_value=Decimal(100))
        KpiValueFactory(
            kpi=kpi,
            value=Decimal(0),
            recorded_on=plan.period_start + timedelta(days=index % 100),
            recorded_by=owner,
        )
        DealFactory(
            plan=plan, owner=owner, milestone_date=plan.period_start + timedelta(days=index % 150)
        )
        ObjectiveFactory(target=target, owner=owner)
        # Measured by a KPI, assessed, or a KPI with a target per week: all in the same queries.
        measured = ObjectiveFactory(target=target, owner=owner, measured_by="kpi")
        measured.measure_kpi = KpiFactory(action=None, objective=measured, owner=owner)
        measured.save()
        AssessmentFactory(
            objective__target=target, recorded_by=owner, assessed_on=plan.period_start
        )
        KpiFactory(action=action, owner=owner, per_period=True, frequency="weekly")


# session, user, plan with the reader's role; objectives, won deals; reps with their signatures,
# open pipelines; deals per month with their count and weighted total (one grouped query); budget
# (one grouped query); the plan's actions with their participants, to tell whether a signed PACI
# has changed since; the standing of every KPI, then the furthest behind and their values; the
# first late actions with their count, and each rep's late count (apart since the cockpit is kept
# in three parts, pac.core.revisions).
COCKPIT_QUERIES = 15


@pytest.mark.parametrize("size", [5, 80])
def test_cockpit_queries_do_not_grow(world, login, django_assert_num_queries, size):
    # A plan under way, so that values are in the past and KPIs off track get their chart.
    today = timezone.localdate()
    world.plan.period_start, world.plan.period_end = today - timedelta(days=120), today
    world.plan.save()
    grow(world.plan, world, size)
    # A team objective split between both reps, who signed their PACI: the same queries.
    team_objective = ObjectiveFactory(
        target=world.plan.targets.first(), owner=world.manager, deadline=today
    )
    target_services.objective_split(
        actor=world.manager,
        objective=team_objective,
        version=team_objective.version,
        shares={world.rep: Decimal(60), world.other_rep: Decimal(40)},
    )
    for rep in (world.rep, world.other_rep):
        services.paci_sign(actor=rep, plan=world.plan, rep=rep)
    client = login(world.manager)
    with django_assert_num_queries(COCKPIT_QUERIES):
        response = client.get(reverse("pac:cockpit", args=[world.plan.pk]))
    assert [row.signed_at is not None for row in response.context["reps"]] == [True, True]
    assert len(response.context["team_objectives"][-1].shares) == 2
    # Nothing done at the end of their span: every KPI with a value but the one with no span is
    # off track; the page charts the first 10 and counts them all.
    assert response.context["kpis_off_track_count"] == size - 1
    assert len(response.context["kpis_off_track"]) == min(size - 1, 10)
    # Every action has ended: all late, the 15 that ended first listed.
    assert response.context["late_count"] == size
    assert len(response.context["late_actions"]) == min(size, 15)
    assert sum(row.late for row in response.context["reps"]) == size


# Reviews.


def review_data(day, **changes):
    return {
        "held_on": day,
        "other_attendees": "",
        "findings": "Retard PME",
        "decisions": "Relancer",
    } | changes


def test_a_review_keeps_the_figures_of_its_day(world, steered):
    review = services.review_create(
        actor=world.manager, plan=steered, data=review_data(SPRING), attendees=[world.rep]
    )
    rows = {row["title"]: row for row in review.snapshot["objectives"]}
    assert len(rows) == 2
    revenue = next(row for row in review.snapshot["objectives"] if row["unit"] == "€")
    assert (revenue["actual"], revenue["attainment"], revenue["expected"]) == (
        "100000.00",
        "40.0",
        "49.4",
    )
    assert review.snapshot["kpis"][0]["latest"] == "2.00"

    # Later events do not change what the review recorded.
    kpi = review.plan and Action.objects.first().kpis.get()
    KpiValueFactory(kpi=kpi, recorded_on=date(2027, 3, 20), value=Decimal("15"))
    DealFactory(
        plan=steered,
        target=steered.targets.get(),
        owner=world.rep,
        amount=Decimal("60000"),
        stage="won",
        probability=100,
    )
    frozen = review.snapshot
    services.review_update(
        actor=world.manager,
        review=review,
        version=review.version,
        data=review_data(SPRING, findings="Retard PME confirmé"),
        attendees=[],
    )
    review.refresh_from_db()
    assert review.snapshot == frozen
    assert review.findings == "Retard PME confirmé"


def test_the_figures_of_a_review_cannot_be_rewritten(world, steered):
    review = services.review_create(actor=world.manager, plan=steered, data=review_data(SPRING))
    review.snapshot = {"objectives": []}
    with pytest.raises(ValidationError):
        review.save()
    review.refresh_from_db()
    assert review.snapshot["objectives"]


def test_the_date_of_a_review_cannot_move(world, steered):
    review = services.review_create(actor=world.manager, plan=steered, data=review_data(SPRING))
    with pytest.raises(ValidationError):
        services.review_update(
            actor=world.manager,
            review=review,
            version=review.version,
            data=review_data(date(2027, 3, 1)),
        )


def test_a_later_review_is_compared_with_the_one_before(world, steered, login):
    first = services.review_create(
        actor=world.manager, plan=steered, data=review_data(date(2027, 2, 1))
    )
    second = services.review_create(actor=world.manager, plan=steered, data=review_data(SPRING))
    rows = {row["unit"]: row for row in steering.compared(second, first)}
    # Revenue: 40 % now; on 01/02 the won deals (milestones aside) already counted 40 %.
    assert rows["€"]["previous"]["attainment"] == "40.0"
    assert rows["€"]["change"] == Decimal("0.0")
    page = login(world.viewer).get(second.get_absolute_url()).text
    assert "Comparé à la revue du 01/02/2027." in unescape(page)


def test_a_decision_becomes_a_corrective_action_in_one_step(world, login, steered):
    review = services.review_create(actor=world.manager, plan=steered, data=review_data(SPRING))
    response = login(world.manager).post(
        review.get_absolute_url(),
        {
            "title": "Deuxième vague d'appels",
            "target": steered.targets.get().pk,
            "domain": "sales",
            "sales_type": "hunting",
            "owner": world.rep.pk,
            "start_date": "2027-04-01",
            "end_date": "2027-04-30",
            "budget_planned": "800",
            "description": "Cibler 100 PME",
        },
    )
    action = Action.objects.get(title="Deuxième vague d'appels")
    assert response["Location"] == reverse("actions:action-detail", args=[steered.pk, action.pk])
    assert (
        action.description == "Action corrective décidée à la revue du 31/03/2027.\nCibler 100 PME"
    )
    assert (action.owner, action.budget_planned, action.status) == (
        world.rep,
        Decimal("800.00"),
        "planned",
    )


def test_a_corrective_action_outside_the_plan_is_refused(world, login, steered):
    review = services.review_create(actor=world.manager, plan=steered, data=review_data(SPRING))
    before = Action.objects.count()
    response = login(world.manager).post(
        review.get_absolute_url(),
        {
            "title": "Trop tard",
            "target": steered.targets.get().pk,
            "domain": "sales",
            "sales_type": "",
            "owner": world.rep.pk,
            "start_date": "2027-06-01",
            "end_date": "2027-09-30",
            "budget_planned": "0",
        },
    )
    assert response.status_code == 422
    text = unescape(response.text)
    assert "Choisissez une date dans la période du plan" in text
    assert (
        "Indiquez si cette action commerciale relève de la notoriété, de la chasse ou de l'élevage."
        in text
    )
    assert Action.objects.count() == before


@pytest.mark.parametrize("reader", ["rep", "viewer"])
def test_readers_read_reviews_but_cannot_record_them(world, login, steered, reader):
    review = services.review_create(actor=world.manager, plan=steered, data=review_data(SPRING))
    client = login(getattr(world, reader))
    assert client.get(reverse("pac:review-list", args=[steered.pk])).status_code == 200
    assert client.get(review.get_absolute_url()).status_code == 200
    assert client.get(reverse("pac:review-create", args=[steered.pk])).status_code == 403
    assert (
        client.post(
            reverse("pac:review-create", args=[steered.pk]), review_data("2027-03-01")
        ).status_code
        == 403
    )
    assert client.post(review.get_absolute_url(), {"title": "x"}).status_code == 403
    assert Review.objects.count() == 1


def test_another_team_sees_no_review(world, login, steered):
    review = services.review_create(actor=world.manager, plan=steered, data=review_data(SPRING))
    client = login(world.foreign_manager)
    assert client.get(review.get_absolute_url()).status_code == 404
    assert client.get(reverse("pac:review-list", args=[steered.pk])).status_code == 404


def test_a_manager_records_a_review_from_the_page(world, login, steered):
    today = timezone.localdate()
    steered.period_start, steered.period_end = (
        today - timedelta(days=30),
        today + timedelta(days=30),
    )
    steered.save()
    response = login(world.manager).post(
        reverse("pac:review-create", args=[steered.pk]),
        {
            "held_on": today.isoformat(),
            "attendees": [world.rep.pk],
            "findings": "RAS",
            "decisions": "",
        },
    )
    review = Review.objects.get()
    assert response["Location"] == review.get_absolute_url()
    assert list(review.attendees.all()) == [world.rep]
    assert review.snapshot["day"] == today.isoformat()


def test_a_review_in_the_future_is_refused(world, login, steered):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = login(world.manager).post(
        reverse("pac:review-create", args=[steered.pk]),
        {"held_on": tomorrow.isoformat(), "findings": "x"},
    )
    assert response.status_code == 422
    assert not Review.objects.exists()


@pytest.mark.parametrize("size", [2, 20])
def test_review_pages_queries_do_not_grow(world, login, django_assert_num_queries, size):
    grow(world.plan, world, size)
    for day in range(size):
        services.review_create(
            actor=world.manager,
            plan=world.plan,
            data=review_data(date(2027, 1, 1) + timedelta(days=day)),
            attendees=[world.rep, world.other_rep],
        )
    client = login(world.manager)
    # session, user, plan with the reader's role, reviews, their attendees.
    with django_assert_num_queries(5):
        client.get(reverse("pac:review-list", args=[world.plan.pk]))
    review = Review.objects.order_by("-held_on").first()
    # session, user, plan with the reader's role, review, targets and owners of the form,
    # previous review, attendees.
    with django_assert_num_queries(8):
        client.get(review.get_absolute_url())
