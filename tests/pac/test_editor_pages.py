"""Budget summary, plan history, the selectivity warnings and the plan creation form."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from pac.core.models import Plan
from pac.core.periods import PeriodKind, period_end_for
from pac.plans import services
from pac.plans.selectors import budget_summary, focus_warnings, targets_section
from tests.actions.factories import ActionFactory
from tests.targets.factories import ObjectiveFactory, TargetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget_plan(world):
    plan = world.plan
    plan.budget_envelope = Decimal("10000")
    plan.save()
    pme, sante = TargetFactory(plan=plan, name="PME"), TargetFactory(plan=plan, name="Santé")
    ActionFactory(
        target=pme,
        domain="sales",
        sales_type="hunting",
        owner=world.rep,
        budget_planned=Decimal("6000"),
        budget_actual=Decimal("7500"),
    )
    ActionFactory(
        target=pme,
        domain="internal",
        sales_type="",
        owner=world.other_rep,
        budget_planned=Decimal("3000"),
        budget_actual=Decimal("1000"),
    )
    ActionFactory(
        target=sante,
        domain="sales",
        sales_type="farming",
        owner=world.rep,
        budget_planned=Decimal("2500"),
        budget_actual=Decimal("2500"),
    )
    return plan


def lines(items):
    return {str(line.label): (line.planned, line.actual, line.overrun) for line in items}


def test_budget_summary_per_domain_target_and_rep(world, budget_plan):
    summary = budget_summary(budget_plan)
    assert lines(summary["budget_domains"]) == {
        "Recherche d'informations": (0, 0, 0),
        "Développement interne": (Decimal("3000"), Decimal("1000"), 0),
        # 6 000 + 2 500 planned, 7 500 + 2 500 spent: 1 500 over.
        "Actions commerciales": (Decimal("8500"), Decimal("10000"), Decimal("1500")),
    }
    assert lines(summary["budget_targets"]) == {
        "PME": (Decimal("9000"), Decimal("8500"), 0),
        "Santé": (Decimal("2500"), Decimal("2500"), 0),
    }
    assert lines(summary["budget_reps"])[str(world.rep)] == (
        Decimal("8500"),
        Decimal("10000"),
        Decimal("1500"),
    )
    # 11 500 planned and 11 000 spent against a 10 000 envelope.
    assert summary["envelope_overrun"] == Decimal("1500")
    assert summary["spend_overrun"] == Decimal("1000")


def test_budget_page_shows_the_overrun(world, login, budget_plan):
    page = login(world.viewer).get(reverse("pac:plan-budget", args=[budget_plan.pk])).text
    assert 'data-testid="planned">11\xa0500\xa0€' in page
    assert (
        "1\xa0500\xa0€ au-delà de l&#x27;enveloppe" in page
        or "1\xa0500\xa0€ au-delà de l'enveloppe" in page
    )


def test_budget_page_is_a_404_for_another_team(world, login, budget_plan):
    assert (
        login(world.foreign_manager)
        .get(reverse("pac:plan-budget", args=[budget_plan.pk]))
        .status_code
        == 404
    )


@pytest.mark.parametrize("size", [10, 300])
def test_budget_page_queries_do_not_grow(world, login, django_assert_num_queries, size):
    targets = [TargetFactory(plan=world.plan) for _ in range(5)]
    for index in range(size):
        ActionFactory(target=targets[index % 5], owner=world.rep)
    client = login(world.manager)
    # session, user, plan with the reader's role, one grouped query for domains, targets and
    # reps.
    with django_assert_num_queries(4):
        client.get(reverse("pac:plan-budget", args=[world.plan.pk]))


def test_history_says_who_changed_what(world, login):
    services.plan_update(
        actor=world.manager,
        plan=world.plan,
        version=world.plan.version,
        data={"title": "PAC Nord 2027 révisé"},
    )
    services.swot_item_create(
        actor=world.manager, plan=world.plan, quadrant="threat", text="Pénurie"
    )
    ObjectiveFactory(target=TargetFactory(plan=world.plan), title="Dix nouveaux clients")
    page = login(world.rep).get(reverse("pac:plan-history", args=[world.plan.pk])).text
    assert str(world.manager) in page
    assert "PAC Nord 2027 révisé" in page
    assert "<del>PAC Nord 2027</del> → <ins>PAC Nord 2027 révisé</ins>" in page
    assert "Pénurie" in page
    assert "Objectif « <bdi>Dix nouveaux clients</bdi> » créé" in page


@pytest.mark.parametrize("size", [10, 100])
def test_history_queries_do_not_grow(world, login, django_assert_num_queries, size):
    for index in range(size):
        services.swot_item_create(
            actor=world.manager, plan=world.plan, quadrant="strength", text=f"F{index}"
        )
    client = login(world.manager)
    # session, user, plan with the reader's role, then one query per kind of history (plan,
    # SWOT, competitors, targets, objectives).
    with django_assert_num_queries(8):
        client.get(reverse("pac:plan-history", args=[world.plan.pk]))


def make_targets(plan, *specs):
    for name, priority, budget in specs:
        target = TargetFactory(plan=plan, name=name, priority=priority)
        if budget:
            ActionFactory(target=target, budget_planned=Decimal(budget))


def warnings_of(plan):
    return targets_section(plan)["focus_warnings"]


def test_a_selective_plan_gets_no_warning(world):
    make_targets(world.plan, ("A", 1, 5000), ("B", 1, 3000), ("C", 2, 2000))
    assert warnings_of(world.plan) == []


def test_four_high_priority_targets_are_too_many(world):
    make_targets(world.plan, ("A", 1, 1000), ("B", 1, 1000), ("C", 1, 1000), ("D", 1, 1000))
    assert warnings_of(world.plan) == [
        "4 cibles sont en priorité haute. Au-delà de 3, aucune ne l'est vraiment : "
        "gardez les quelques-unes qui comptent le plus."
    ]


def test_seven_targets_scatter_the_effort(world):
    make_targets(world.plan, *[(f"T{i}", 2, 1000) for i in range(7)])
    assert warnings_of(world.plan) == [
        "Le plan compte 7 cibles. Au-delà de 6, l'effort de l'équipe se disperse."
    ]


def test_crumbs_of_budget_are_pointed_out(world):
    # 20 000 planned in all: 900 € and 500 € are under 5 % (1 000 €); 1 000 € exactly is not.
    make_targets(
        world.plan,
        ("Gros", 2, 17600),
        ("Miette", 2, 900),
        ("Poussière", 3, 500),
        ("Juste", 3, 1000),
    )
    assert warnings_of(world.plan) == [
        "Miette, Poussière reçoivent chacune moins de 5 % du budget prévu : trop peu pour faire "
        "la différence. Financez-les vraiment ou renoncez-y."
    ]


def test_targets_come_by_priority_whatever_order_they_were_made_in(world):
    make_targets(world.plan, ("Basse", 3, 100), ("Moyenne", 2, 100), ("Haute", 1, 100))
    shown = [target.name for target in targets_section(world.plan)["targets"]]
    assert shown == ["Haute", "Moyenne", "Basse"]


def test_a_single_small_target_is_not_a_scatter(world):
    make_targets(world.plan, ("Gros", 2, 9900), ("Petit", 2, 100))
    assert focus_warnings(targets_section(world.plan)["targets"]) == []


def test_the_rules_are_explained_on_the_page(world, login):
    page = login(world.manager).get(world.plan.get_absolute_url()).text
    assert "PAC alerte au-delà de 3 cibles en priorité haute, au-delà de 6 cibles" in page


@pytest.mark.parametrize(
    ("kind", "start", "end"),
    [
        (PeriodKind.YEAR, date(2027, 1, 1), date(2027, 12, 31)),
        (PeriodKind.SEMESTER, date(2027, 7, 1), date(2027, 12, 31)),
        (PeriodKind.QUARTER, date(2027, 10, 1), date(2027, 12, 31)),
        (PeriodKind.QUARTER, date(2028, 1, 1), date(2028, 3, 31)),
        (PeriodKind.SEMESTER, date(2027, 9, 1), date(2028, 2, 29)),
    ],
)
def test_period_presets_end_where_expected(kind, start, end):
    assert period_end_for(kind, start) == end


def test_a_manager_creates_a_quarter_plan(world, login):
    response = login(world.manager).post(
        reverse("pac:plan-create"),
        {
            "team": world.team.pk,
            "title": "T3 2027",
            "period_kind": "quarter",
            "period_start": "2027-07-01",
            "budget_envelope": "5000",
        },
    )
    plan = Plan.objects.get(title="T3 2027")
    assert response["Location"] == plan.get_absolute_url()
    assert (plan.period_end, plan.status) == (date(2027, 9, 30), "draft")


def test_duplicating_from_the_page_lands_on_the_new_plan(world, login):
    client = login(world.manager)
    form = client.get(reverse("pac:plan-duplicate", args=[world.plan.pk])).context["form"]
    # Prefilled with the next period of the same length.
    assert form.initial["period_start"] == date(2027, 7, 1)
    assert form.initial["period_kind"] == PeriodKind.SEMESTER
    response = client.post(
        reverse("pac:plan-duplicate", args=[world.plan.pk]),
        {"title": form.initial["title"], "period_kind": "semester", "period_start": "2027-07-01"},
    )
    copy = Plan.objects.get(parent=world.plan)
    assert response["Location"] == copy.get_absolute_url()
    assert copy.title == "PAC Nord 2027 (copie)"


def test_the_delete_page_says_what_goes(world, login, budget_plan):
    page = login(world.manager).get(reverse("pac:plan-delete", args=[budget_plan.pk])).text
    assert "2 cibles" in page
    assert "3 actions" in page
