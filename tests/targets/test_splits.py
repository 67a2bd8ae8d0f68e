"""A team objective split down to the reps' PACIs: the shares against the team's figure, the
team's figure rolled up from the reps', the form on the plan page. Built through the services and
the views, from an empty plan; the figures are worked out by hand in each test."""

from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kpis import services as kpis
from kpis.measures import objectives_progress
from pac.core.models import Role
from pac.core.versioning import EditConflict
from pac.plans import services as plans
from pac.proposals import services as proposals
from pac.proposals.models import Proposal
from targets import services
from targets.models import Objective
from targets.progress import Standing
from targets.splits import equal_shares, rolled_up, split_of
from tests.builders import kpi_fields
from tests.pac.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
APRIL = date(2027, 4, 1)  # 90 days into a 180-day period: a steady pace is at 50.0 %


def test_equal_shares_add_up_to_the_team_figure():
    """Whole figures split in whole units, the units left over to the first shares; a figure
    with cents in cents."""
    assert equal_shares(Decimal("1000000"), 3) == [
        Decimal("333334"),
        Decimal("333333"),
        Decimal("333333"),
    ]
    assert equal_shares(Decimal("10"), 4) == [Decimal("3"), Decimal("3"), Decimal("2"), 2]
    assert equal_shares(Decimal("100.01"), 3) == [
        Decimal("33.34"),
        Decimal("33.34"),
        Decimal("33.33"),
    ]
    assert equal_shares(Decimal("500"), 0) == []


def test_a_split_says_what_is_left_or_over():
    short = split_of(Decimal("1000000"), [Decimal("400000"), Decimal("350000"), 200000])
    assert (short.shared, short.left, short.over, short.count) == (950000, 50000, 0, 3)
    over = split_of(Decimal("1000000"), [Decimal("600000"), Decimal("450000")])
    assert (over.left, over.over) == (0, 50000)


def test_the_team_figure_is_its_baseline_plus_what_each_share_moved():
    # 10 clients at the start; shares from 0: 3 and 4 clients gained, one share unmeasured.
    assert rolled_up(Decimal("10"), [(None, Decimal("3")), (0, Decimal("4")), (0, None)]) == 17
    assert rolled_up(Decimal("10"), [(0, None)]) is None


@pytest.fixture
def team(world):
    """The team's three reps (a third one beside the world's two) and a target."""
    third = UserFactory(username="rep_c", first_name="Chloé", last_name="Roux")
    MembershipFactory(team=world.team, user=third, role=Role.REP)
    target = services.target_create(
        actor=world.manager,
        plan=world.plan,
        data={"name": "PME Nord", "kind": "segment", "priority": 1, "rationale": ""},
    )
    return world, target, [world.rep, world.other_rep, third]


def new_business(world, target, **changes):
    return services.objective_create(
        actor=world.manager,
        target=target,
        data={
            "kind": Objective.Kind.QUANTITATIVE,
            "title": "Nouveau CA PME",
            "metric": "Chiffre d'affaires nouveau",
            "unit": "€",
            "baseline": None,
            "target_value": Decimal("1000000"),
            "deadline": date(2027, 6, 30),
            "owner": world.manager,
            "description": "",
            "measured_by": Objective.Measure.WON_AMOUNT,
            "measure_kpi": None,
        }
        | changes,
    )


def split(world, objective, values):
    objective.refresh_from_db()
    return services.objective_split(
        actor=world.manager, objective=objective, version=objective.version, shares=values
    )


def won(world, target, owner, amount):
    services.deal_create(
        actor=world.manager,
        plan=world.plan,
        data={
            "milestone_date": date(2027, 3, 15),
            "company": f"Client {owner.username} {amount}",
            "contact": "",
            "nature": "",
            "amount": Decimal(amount),
            "probability": 100,
            "stage": "won",
            "target": target,
            "owner": owner,
        },
    )


def test_a_split_makes_one_share_per_rep_on_their_paci(team):
    world, target, (rep1, rep2, rep3) = team
    objective = new_business(world, target)
    split(world, objective, {rep1: Decimal("400000"), rep2: Decimal("350000"), rep3: None})
    shares = {share.owner: share for share in objective.shares.all()}
    assert set(shares) == {rep1, rep2}
    share = shares[rep1]
    assert (share.target_value, share.unit, share.title, share.target_id) == (
        Decimal("400000"),
        "€",
        "Nouveau CA PME",
        target.pk,
    )
    assert share.deadline == date(2027, 6, 30)
    assert share.measured_by == Objective.Measure.WON_AMOUNT
    assert share.baseline is None
    # A rep's PACI lists their objectives: their share is one of them.
    assert list(Objective.objects.filter(owner=rep1)) == [share]

    # Changed, given to the third rep, taken from the second.
    split(world, objective, {rep1: Decimal("450000"), rep2: None, rep3: Decimal("250000")})
    assert {s.owner: s.target_value for s in objective.shares.all()} == {
        rep1: Decimal("450000"),
        rep3: Decimal("250000"),
    }
    assert share.history.count() == 2  # created, then changed: each edit is in the history


def test_a_split_is_refused_for_a_share_a_non_rep_or_a_figure_below_zero(team):
    world, target, (rep1, rep2, _rep3) = team
    objective = new_business(world, target)
    split(world, objective, {rep1: Decimal("400000")})
    with pytest.raises(ValidationError) as error:
        split(world, objective, {rep1: Decimal("-5"), world.viewer: Decimal("10")})
    assert set(error.value.message_dict) == {f"share_{rep1.pk}", f"share_{world.viewer.pk}"}
    assert objective.shares.get().target_value == Decimal("400000")  # nothing changed
    share = objective.shares.get()
    with pytest.raises(ValidationError):
        services.objective_split(
            actor=world.manager, objective=share, version=share.version, shares={rep2: 1}
        )


def test_a_split_opened_on_an_older_version_is_a_conflict(team):
    world, target, (rep1, rep2, _rep3) = team
    objective = new_business(world, target)
    opened = objective.version
    split(world, objective, {rep1: Decimal("400000")})
    with pytest.raises(EditConflict):
        services.objective_split(
            actor=world.manager, objective=objective, version=opened, shares={rep2: 5}
        )
    assert not objective.shares.filter(owner=rep2).exists()


@pytest.mark.parametrize("who", ["rep", "viewer", "foreign_manager"])
def test_only_the_plans_managers_split(team, who):
    world, target, (rep1, *_others) = team
    objective = new_business(world, target)
    with pytest.raises(PermissionDenied):
        services.objective_split(
            actor=getattr(world, who),
            objective=objective,
            version=objective.version,
            shares={rep1: Decimal("1")},
        )
    assert not objective.shares.exists()


def test_a_split_objective_measured_by_the_deals_won_counts_the_whole_teams(team):
    """1 000 000 € split 400 000 / 350 000 / 250 000. Won on the target: 100 000 € by rep1,
    50 000 € by rep2, 30 000 € by the manager (no share); 20 000 € by rep1 elsewhere. Rep1's share
    is at 100 000 € (25,0 %); the team at 180 000 € (18,0 %, off track against 50,0 % expected),
    what was won there by anyone, as before the split."""
    world, target, (rep1, rep2, rep3) = team
    elsewhere = services.target_create(
        actor=world.manager,
        plan=world.plan,
        data={"name": "ETI", "kind": "segment", "priority": 2, "rationale": ""},
    )
    objective = new_business(world, target)
    split(
        world,
        objective,
        {rep1: Decimal("400000"), rep2: Decimal("350000"), rep3: Decimal("250000")},
    )
    won(world, target, rep1, 100000)
    won(world, target, rep2, 50000)
    won(world, target, world.manager, 30000)
    won(world, elsewhere, rep1, 20000)

    [team_item] = objectives_progress(world.plan, Objective.objects.filter(pk=objective.pk), APRIL)
    assert not team_item.rolled_up
    assert team_item.actual == Decimal("180000")
    assert team_item.attainment == Decimal("18.0")
    assert team_item.expected == Decimal("50.0")
    assert team_item.standing == Standing.OFF_TRACK
    assert (team_item.split.shared, team_item.split.left) == (1000000, 0)
    shares = {item.objective.owner: item for item in team_item.shares}
    assert shares[rep1].actual == Decimal("100000")
    assert shares[rep1].attainment == Decimal("25.0")
    assert shares[rep3].actual == Decimal("0")

    # A rep's PACI asks for their objectives only: their share, with its own figure.
    [mine] = objectives_progress(world.plan, Objective.objects.filter(owner=rep2), APRIL)
    assert (mine.objective.parent_id, mine.actual) == (objective.pk, Decimal("50000"))


def test_without_a_measure_of_its_own_the_team_figure_is_the_sum_of_its_reps(team, monkeypatch):
    """30 new clients from 4, measured by a KPI the team objective does not have; split 16 / 10
    (the 26 to gain). Each share gets its KPI: rep1 at 6, rep2 at 3. The team: 4 + 6 + 3 = 13
    clients, 34,6 % of the way (9 of 26)."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: APRIL)
    world, target, (rep1, rep2, _rep3) = team
    objective = new_business(
        world,
        target,
        title="Nouveaux clients",
        metric="Clients signés",
        unit="clients",
        baseline=Decimal("4"),
        target_value=Decimal("30"),
        measured_by=Objective.Measure.KPI,
    )
    split(world, objective, {rep1: Decimal("16"), rep2: Decimal("10")})
    for share, value in [
        (objective.shares.get(owner=rep1), 6),
        (objective.shares.get(owner=rep2), 3),
    ]:
        kpi = kpis.kpi_create(
            actor=world.manager,
            objective=share,
            data=kpi_fields(
                share.owner, name="Clients", unit="clients", target_value=share.target_value
            ),
        )
        kpis.kpi_value_record(actor=world.manager, kpi=kpi, value=Decimal(value), on=APRIL)
    [item] = objectives_progress(world.plan, Objective.objects.filter(pk=objective.pk), APRIL)
    assert item.rolled_up
    assert item.actual == Decimal("13")
    assert item.attainment == Decimal("34.6")
    assert (item.split.team, item.split.shared, item.split.left) == (26, 26, 0)


def test_a_baseline_is_not_shared_out(team, login):
    """From 200 000 € to 1 000 000 €: the reps share the 800 000 € to win, equally in three."""
    world, target, (rep1, rep2, rep3) = team
    objective = new_business(world, target, baseline=Decimal("200000"))
    services.objective_split_equally(
        actor=world.manager, objective=objective, version=objective.version
    )
    assert sorted(s.target_value for s in objective.shares.all()) == [266666, 266667, 266667]
    page = text_of(login(world.manager).get(world.plan.get_absolute_url()))
    assert "Réparti : 800 000 € en entier" in page


def test_an_equal_share_of_nothing_is_no_share(team):
    """Two key accounts between three reps: one each for the first two, none for the third."""
    world, target, reps = team
    objective = new_business(
        world,
        target,
        title="Grands comptes",
        metric="Comptes",
        unit="comptes",
        target_value=Decimal("2"),
        measured_by=Objective.Measure.WON_COUNT,
    )
    services.objective_split_equally(
        actor=world.manager, objective=objective, version=objective.version
    )
    first, second, _third = services.split_reps(objective)
    assert {s.owner: s.target_value for s in objective.shares.all()} == {first: 1, second: 1}


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"unit": "%", "target_value": Decimal("25"), "metric": "Taux"}, "unit"),
        (
            {"baseline": Decimal("40"), "target_value": Decimal("20"), "unit": "jours"},
            "target_value",
        ),
        ({"owner": "rep"}, "owner"),
    ],
    ids=["a rate", "a figure to bring down", "a rep's own objective"],
)
def test_what_does_not_add_up_between_reps_is_not_split(team, changes, field):
    world, target, (rep1, *_others) = team
    if changes.get("owner") == "rep":
        changes = {"owner": rep1}
    measure = Objective.Measure.KPI if "€" not in changes.get("unit", "€") else None
    objective = new_business(
        world, target, **changes, **({"measured_by": measure} if measure else {})
    )
    with pytest.raises(ValidationError):
        split(world, objective, {rep1: Decimal("1")})
    assert not objective.shares.exists()
    refusal = objective.split_refusal() or services.rep_owner_errors(objective)
    assert list(refusal) == [field]


def test_a_split_objective_stays_one_that_splits(team):
    world, target, (rep1, *_others) = team
    objective = new_business(world, target)
    split(world, objective, {rep1: Decimal("400000")})
    objective.refresh_from_db()
    for data in [{"owner": rep1}, {"unit": "%", "measured_by": Objective.Measure.KPI}]:
        with pytest.raises(ValidationError):
            services.objective_update(
                actor=world.manager, objective=objective, version=objective.version, data=data
            )
        objective.refresh_from_db()
        assert (objective.owner, objective.unit) == (world.manager, "€")


def test_a_share_changes_its_figure_only(team):
    """The figure of a share may change (as a proposal from its rep does); the rest follows
    its team objective."""
    world, target, (rep1, *_others) = team
    objective = new_business(world, target)
    split(world, objective, {rep1: Decimal("400000")})
    share = objective.shares.get()
    for data in [
        {"kind": "qualitative", "target_value": None},
        {"unit": "clients"},
        {"owner": world.manager},
        {"title": "Autre chose"},
    ]:
        with pytest.raises(ValidationError):
            services.objective_update(
                actor=world.manager, objective=share, version=share.version, data=data
            )
    share.refresh_from_db()
    assert (share.kind, share.unit, share.owner, share.title) == (
        "quantitative",
        "€",
        rep1,
        "Nouveau CA PME",
    )
    services.objective_update(
        actor=world.manager,
        objective=share,
        version=share.version,
        data={"target_value": Decimal("450000")},
    )
    share.refresh_from_db()
    assert share.target_value == Decimal("450000")


def test_a_team_objective_measured_by_its_own_kpi_keeps_its_figure(team, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: APRIL)
    world, target, (rep1, rep2, _rep3) = team
    objective = new_business(
        world,
        target,
        title="Nouveaux clients",
        metric="Clients signés",
        unit="clients",
        target_value=Decimal("30"),
        measured_by=Objective.Measure.KPI,
    )
    kpi = kpis.kpi_create(
        actor=world.manager,
        data=kpi_fields(
            world.manager, name="Clients signés", unit="clients", target_value=Decimal("30")
        ),
        objective=objective,
    )
    kpis.kpi_value_record(actor=world.manager, kpi=kpi, value=Decimal("12"), on=date(2027, 3, 31))
    split(world, objective, {rep1: Decimal("15"), rep2: Decimal("15")})
    [item] = objectives_progress(world.plan, Objective.objects.filter(pk=objective.pk), APRIL)
    assert not item.rolled_up
    assert item.actual == Decimal("12")
    # Each share is measured by a KPI of its own, which it does not have yet.
    assert all(share.objective.unmeasurable for share in item.shares)


def test_shares_follow_their_team_objective_and_go_with_it(team):
    world, target, (rep1, _rep2, _rep3) = team
    objective = new_business(world, target)
    split(world, objective, {rep1: Decimal("400000")})
    objective.refresh_from_db()
    services.objective_update(
        actor=world.manager,
        objective=objective,
        version=objective.version,
        data={"title": "CA nouveaux clients PME", "deadline": date(2027, 5, 31)},
    )
    share = objective.shares.get()
    assert (share.title, share.deadline) == ("CA nouveaux clients PME", date(2027, 5, 31))
    services.objective_delete(actor=world.manager, objective=objective)
    assert not Objective.objects.filter(pk=share.pk).exists()


def test_the_roll_over_copies_the_split(team):
    world, target, (rep1, rep2, _rep3) = team
    objective = new_business(world, target)
    split(world, objective, {rep1: Decimal("400000"), rep2: Decimal("350000")})
    copy = plans.plan_duplicate(
        actor=world.manager,
        plan=world.plan,
        title="PAC Nord 2027 S2",
        period_start=date(2027, 7, 1),
        period_end=date(2027, 12, 31),
    )
    team_copy = Objective.objects.of_plan(copy).of_team().get()
    assert team_copy.pk != objective.pk
    assert {share.owner: share.target_value for share in team_copy.shares.all()} == {
        rep1: Decimal("400000"),
        rep2: Decimal("350000"),
    }
    # Moved by the 181 days between the two starts, as the team objective's deadline.
    assert team_copy.deadline == date(2027, 12, 28)
    assert all(share.deadline == date(2027, 12, 28) for share in team_copy.shares.all())


# The form on the plan page.


def text_of(response):
    return " ".join(unescape(response.content.decode()).split())


def test_the_plan_page_says_what_is_left_to_split(team, login):
    world, target, (rep1, rep2, rep3) = team
    objective = new_business(world, target)
    split(world, objective, {rep1: Decimal("400000"), rep2: Decimal("350000"), rep3: 200000})
    page = text_of(login(world.manager).get(world.plan.get_absolute_url()))
    assert "Réparti : 950 000 € sur 1 000 000 €, reste 50 000 € à répartir" in page
    assert "Modifier la répartition" in page

    split(world, objective, {rep3: Decimal("300000")})
    page = text_of(login(world.viewer).get(world.plan.get_absolute_url()))
    assert (
        "Réparti : 1 050 000 € sur 1 000 000 €, soit 50 000 € de plus que l’objectif de l’équipe"
        in page
    )
    assert "Modifier la répartition" not in page  # a viewer reads it


def test_split_equally_in_one_click(team, login):
    world, target, (rep1, rep2, rep3) = team
    objective = new_business(world, target)
    url = reverse("targets:objective-split", args=[world.plan.pk, objective.pk])
    client = login(world.manager)
    form = client.get(url, headers=HTMX)
    assert form.status_code == 200
    assert "Répartir entre les commerciaux" in text_of(client.get(world.plan.get_absolute_url()))
    assert "Répartir à parts égales" in text_of(form)
    response = client.post(url, {"version": objective.version, "equal": "1"}, headers=HTMX)
    assert response.status_code == 200
    # The first rep listed (by name) takes the unit left over.
    first, *others = services.split_reps(objective)
    assert {s.owner: s.target_value for s in objective.shares.all()} == {
        first: Decimal("333334"),
        others[0]: Decimal("333333"),
        others[1]: Decimal("333333"),
    }
    assert "Réparti : 1 000 000 € en entier" in text_of(response)


def test_a_wrong_share_is_said_beside_it_and_saves_nothing(team, login):
    world, target, (rep1, _rep2, _rep3) = team
    objective = new_business(world, target)
    url = reverse("targets:objective-split", args=[world.plan.pk, objective.pk])
    response = login(world.manager).post(
        url, {"version": objective.version, f"share_{rep1.pk}": "-10"}, headers=HTMX
    )
    assert response.status_code == 422
    assert "Une part est un chiffre supérieur à zéro" in text_of(response)
    assert not objective.shares.exists()
    response = login(world.manager).post(
        url, {"version": objective.version, f"share_{rep1.pk}": "abc\x00"}, headers=HTMX
    )
    assert response.status_code == 422
    assert not objective.shares.exists()


def test_the_cockpit_shows_both_levels(team, login):
    world, target, (rep1, rep2, _rep3) = team
    objective = new_business(world, target)
    split(world, objective, {rep1: Decimal("400000"), rep2: Decimal("600000")})
    won(world, target, rep1, 100000)
    page = text_of(login(world.manager).get(reverse("pac:cockpit", args=[world.plan.pk])))
    assert "Réparti : 1 000 000 € en entier" in page
    assert f"Part de {rep1}" in page
    assert f"Part de {rep2}" in page


def test_a_rep_proposes_a_new_figure_for_their_share_above_zero_only(team):
    """On their PACI, a rep proposes another figure for their share: above zero, as the split
    form asks; once accepted, the split says what is left."""
    world, target, (rep1, _rep2, _rep3) = team
    objective = new_business(world, target)
    split(world, objective, {rep1: Decimal("400000")})
    share = objective.shares.get()
    assert str(share) == f"Nouveau CA PME (part de {rep1})"
    with pytest.raises(ValidationError) as error:
        proposals.proposal_create(
            actor=rep1,
            plan=world.plan,
            kind=Proposal.Kind.OBJECTIVE_CHANGE,
            objective=share,
            data={"target_value": Decimal("-10")},
            comment="Moins",
        )
    assert "target_value" in error.value.message_dict
    proposal = proposals.proposal_create(
        actor=rep1,
        plan=world.plan,
        kind=Proposal.Kind.OBJECTIVE_CHANGE,
        objective=share,
        data={"target_value": Decimal("350000")},
        comment="Le marché ralentit",
    )
    proposals.proposal_accept(actor=world.manager, proposal=proposal, version=proposal.version)
    [item] = objectives_progress(world.plan, Objective.objects.filter(pk=objective.pk), APRIL)
    assert (item.split.shared, item.split.left) == (350000, 650000)


def test_a_share_with_a_proposal_waiting_is_not_taken_away(team):
    world, target, (rep1, rep2, _rep3) = team
    objective = new_business(world, target)
    split(world, objective, {rep1: Decimal("400000"), rep2: Decimal("300000")})
    proposals.proposal_create(
        actor=rep1,
        plan=world.plan,
        kind=Proposal.Kind.OBJECTIVE_CHANGE,
        objective=objective.shares.get(owner=rep1),
        data={"target_value": Decimal("350000")},
        comment="Le marché ralentit",
    )
    with pytest.raises(ValidationError) as error:
        split(world, objective, {rep1: None, rep2: None})
    assert list(error.value.message_dict) == [f"share_{rep1.pk}"]
    assert objective.shares.count() == 2
