"""A plan's revision changes with everything it holds, and pages cached under it are never stale."""

from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection, models, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext, isolate_apps
from django.urls import reverse
from django.utils import timezone

from actions import services as action_services
from actions.models import Action
from kpis import services as kpi_services
from pac.core import revisions
from pac.core.models import Plan, Role, Versioned
from tests.actions.factories import ActionFactory, ActionStepFactory
from tests.builders import sheet
from tests.kpis.factories import KpiFactory, KpiValueFactory
from tests.pac.factories import (
    CompetitorFactory,
    MembershipFactory,
    ReviewFactory,
    SwotItemFactory,
    UserFactory,
)
from tests.targets.factories import DealFactory, ObjectiveFactory, TargetFactory


def revision(plan):
    return Plan.objects.values_list("revision", flat=True).get(pk=plan.pk)


def plan_touches(queries):
    return [q["sql"] for q in queries if q["sql"].startswith('UPDATE "pac_plan"')]


def test_every_model_holding_plan_content_declares_its_path_to_its_plan():
    """A model of plan content that says nothing would leave its plan's pages stale: versioned
    models and those with foreign keys leading to Plan declare `plan_path` (or are listed in
    revisions.NOT_CONTENT), many-to-many tables included."""
    assert revisions.unlinked(apps.get_models(include_auto_created=True)) == []
    # Each declared path leads to Plan (connect() checked it at start-up), and every one of
    # them is followed.
    assert {model._meta.label for model in revisions.content_models()} == {
        "pac.User",
        "pac.Team",
        "pac.Membership",
        "pac.Plan",
        "pac.SwotItem",
        "pac.Competitor",
        "pac.Review",
        "pac.Proposal",
        "pac.PaciSignature",
        "pac.Diagnosis",
        "pac.ClientFigure",
        "pac.OfferFigure",
        "pac.OfferSegmentFigure",
        "targets.Target",
        "targets.Objective",
        "targets.Assessment",
        "targets.Deal",
        "actions.Action",
        "actions.ActionStep",
        "kpis.Kpi",
        "kpis.KpiValue",
    }
    assert {str(field) for field in revisions.links(revisions.content_models())} == {
        "actions.Action.participants",
        "actions.Action.objectives",
        "pac.Review.attendees",
        "pac.Review.corrective_actions",
        "pac.Team.members",
    }


@isolate_apps("pac")
def test_a_new_model_of_plan_content_without_a_path_is_named():
    class Note(models.Model):  # noqa: DJ008  (leads to a plan through its action)
        action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "pac"

    class Draft(Versioned):  # versioned: content by construction
        class Meta:
            app_label = "pac"

    class Comment(models.Model):  # noqa: DJ008
        action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="+")
        plan_path = "action__target__plan"

        class Meta:
            app_label = "pac"

    class Bookmark(models.Model):  # noqa: DJ008  (leads to no plan)
        name = models.CharField(max_length=10)

        class Meta:
            app_label = "pac"

    assert revisions.unlinked([Note, Draft, Comment, Bookmark]) == [Note, Draft]
    assert revisions.path_end(Comment, "action__target__plan") is Plan
    assert revisions.path_end(Comment, "action__title") is None


# Each kind of content, made in a plan: its change must give that plan, and no other, a new
# revision.
CONTENT = {
    "swot item": lambda plan: SwotItemFactory(plan=plan),
    "competitor": lambda plan: CompetitorFactory(plan=plan),
    "review": lambda plan: ReviewFactory(plan=plan),
    "target": lambda plan: TargetFactory(plan=plan),
    "deal": lambda plan: DealFactory(plan=plan),
    "objective": lambda plan: ObjectiveFactory(target__plan=plan),
    "action": lambda plan: ActionFactory(target__plan=plan),
    "step": lambda plan: ActionStepFactory(action__target__plan=plan),
    "action KPI": lambda plan: KpiFactory(action__target__plan=plan),
    "objective KPI": lambda plan: KpiFactory(
        action=None, objective=ObjectiveFactory(target__plan=plan)
    ),
    "KPI value": lambda plan: KpiValueFactory(kpi__action__target__plan=plan),
    "objective KPI value": lambda plan: KpiValueFactory(
        kpi=KpiFactory(action=None, objective=ObjectiveFactory(target__plan=plan))
    ),
}


@pytest.mark.parametrize("kind", CONTENT)
def test_creating_changing_and_deleting_content_gives_its_plan_a_new_revision(world, kind):
    before, foreign = revision(world.plan), revision(world.foreign_plan)
    row = CONTENT[kind](world.plan)
    created = revision(world.plan)
    assert created != before

    row.save()
    changed = revision(world.plan)
    assert changed != created

    row.delete()
    assert revision(world.plan) not in {before, created, changed}
    assert revision(world.foreign_plan) == foreign


def test_people_and_roles_shown_on_the_pages_give_the_team_plans_a_new_revision(world):
    before, foreign = revision(world.plan), revision(world.foreign_plan)
    world.rep.first_name = "Jeanne"
    world.rep.save()
    renamed = revision(world.plan)
    assert renamed != before

    membership = MembershipFactory(team=world.team, user=UserFactory(), role=Role.REP)
    joined = revision(world.plan)
    assert joined != renamed
    membership.delete()
    assert revision(world.plan) != joined
    assert revision(world.foreign_plan) == foreign


def test_joining_or_leaving_a_team_from_either_side_changes_its_plans_revisions(world):
    newcomer = UserFactory()
    steps = [revision(world.plan)]
    world.team.members.add(newcomer, through_defaults={"role": Role.REP})
    steps.append(revision(world.plan))
    newcomer.teams.remove(world.team)
    steps.append(revision(world.plan))
    assert len(set(steps)) == 3


def test_a_sign_in_does_not_change_any_revision(world, client):
    before = revision(world.plan)
    client.force_login(world.rep)  # stamps last_login
    assert revision(world.plan) == before


def test_participants_and_linked_objectives_change_the_revision(world):
    action = ActionFactory(target__plan=world.plan)
    objective = ObjectiveFactory(target=action.target)
    steps = [revision(world.plan)]
    action.participants.add(world.other_rep)
    steps.append(revision(world.plan))
    action.participants.remove(world.other_rep)
    steps.append(revision(world.plan))
    objective.actions.add(action)
    steps.append(revision(world.plan))
    action.objectives.clear()
    steps.append(revision(world.plan))
    assert len(set(steps)) == 5


def test_a_deletion_touches_the_plan_once_not_once_per_row_it_takes_along(world):
    action = ActionFactory(target__plan=world.plan)
    for _ in range(3):
        ActionStepFactory(action=action)
    kpi = KpiFactory(action=action)
    for _ in range(4):
        KpiValueFactory(kpi=kpi)
    before = revision(world.plan)
    with CaptureQueriesContext(connection) as queries:
        action_services.action_delete(actor=world.manager, action=action)
    touches = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "pac_plan"')]
    assert len(touches) == 1
    assert revision(world.plan) != before


def test_a_plan_saved_from_an_instance_read_earlier_does_not_bring_an_old_revision_back(world):
    stale = Plan.objects.get(pk=world.plan.pk)
    TargetFactory(plan=world.plan)
    after_target = revision(world.plan)
    stale.title = "PAC Nord 2027 (revu)"
    stale.save()
    assert revision(world.plan) not in {stale.revision, after_target}


def test_cached_computes_once_per_revision_and_afresh_on_a_post(world):
    cache.clear()
    calls = []

    def compute():
        calls.append(1)
        return {"figure": len(calls)}

    get, post = RequestFactory().get("/"), RequestFactory().post("/")
    plan = Plan.objects.get(pk=world.plan.pk)
    assert revisions.cached(get, plan, "test", compute, "a") == {"figure": 1}
    assert revisions.cached(get, plan, "test", compute, "a") == {"figure": 1}
    # Other parts, a POST (which may just have written) and an odd part each compute.
    assert revisions.cached(get, plan, "test", compute, "b") == {"figure": 2}
    assert revisions.cached(post, plan, "test", compute, "a") == {"figure": 3}
    assert revisions.cached(get, plan, "test", compute, "<script>") == {"figure": 4}
    assert revisions.cached(get, plan, "test", compute, "<script>") == {"figure": 5}
    assert revisions.cached(get, plan, "test", compute, "1\n") == {"figure": 6}
    # A change to the plan's content: the next reader of the plan computes again.
    TargetFactory(plan=world.plan)
    plan = Plan.objects.get(pk=world.plan.pk)
    assert revisions.cached(get, plan, "test", compute, "a") == {"figure": 7}


@pytest.fixture
def current(world):
    """The world's plan moved around today, so that reps can report on it."""
    today = timezone.localdate()
    world.plan.period_start = today - timedelta(days=150)
    world.plan.period_end = today + timedelta(days=150)
    world.plan.save()
    return world.plan


def test_pages_still_open_when_the_cache_server_is_down(world, login, caplog):
    client = login(world.manager)
    down = ConnectionError("Connection refused")
    with (
        mock.patch.object(revisions.cache, "get", side_effect=down),
        mock.patch.object(revisions.cache, "set", side_effect=down),
    ):
        response = client.get(reverse("pac:cockpit", args=[world.plan.pk]))
    assert response.status_code == 200
    assert "Cache unavailable: cockpit-plan computed without it" in caplog.text


def running_action(world, days):
    """The rep's action, from `days` ago to `days` ahead: halfway through today."""
    today = timezone.localdate()
    return ActionFactory(
        target__plan=world.plan,
        owner=world.rep,
        start_date=today - timedelta(days=days),
        end_date=today + timedelta(days=days),
    )


def test_the_cockpit_shows_a_value_recorded_after_it_was_cached(world, current, login):
    """The cockpit ranks KPIs once per revision: a check-in moves a KPI off track at once."""
    today = timezone.localdate()
    action = running_action(world, days=100)
    kpi = KpiFactory(action=action, owner=world.rep, name="Visites", target_value=Decimal(100))
    client = login(world.manager)
    url = reverse("pac:cockpit", args=[world.plan.pk])
    card = f'data-kpi="{kpi.pk}"'
    assert card not in client.get(url).text
    assert card not in client.get(url).text  # from the cache
    # 10 of 100 halfway through: off track.
    kpi_services.kpi_value_record(actor=world.rep, kpi=kpi, value=Decimal(10), on=today)
    assert card in client.get(url).text


def test_the_paci_shows_a_step_ticked_after_it_was_cached(world, current, login):
    today = timezone.localdate()
    action = running_action(world, days=10)
    step = ActionStepFactory(action=action, title="Appeler Dupont", due_date=today)
    client = login(world.rep)
    url = reverse("pac:paci", args=[world.plan.pk, world.rep.username])
    client.get(url)
    tick = reverse("actions:paci-step-done", args=[world.plan.pk, world.rep.username, step.pk])
    # The htmx answer to the tick and the next page both show it done.
    answer = client.post(tick, {"done": "1"}, headers={"HX-Request": "true"})
    page = client.get(url)
    for text in (answer.text, page.text):
        assert 'name="done" value="0"' in text  # the box now unticks


def test_the_plan_page_shows_a_competitor_added_after_it_was_cached(world, login):
    client = login(world.viewer)
    url = world.plan.get_absolute_url()
    assert "Dupont Conseil" not in client.get(url).text
    assert "Dupont Conseil" not in client.get(url).text  # from the cache
    CompetitorFactory(plan=world.plan, name="Dupont Conseil")
    assert "Dupont Conseil" in client.get(url).text
    # Its htmx region too, and another page of the carnet is another entry.
    region = client.get(url, {"section": "competitors"}, headers={"HX-Request": "true"})
    assert "Dupont Conseil" in region.text and "<html" not in region.text
    assert client.get(url, {"deals_page": "2"}).status_code == 200


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("actions:action-list", {}),
        ("pac:calendar", {"month": "2027-02"}),
        ("pac:timeline", {}),
        ("actions:action-list", {"domain": "sales", "page": "1"}),
        ("pac:calendar", {"month": "2027-02", "owner": "REP"}),
    ],
)
def test_lists_show_an_action_added_after_they_were_cached(world, login, page, query):
    client = login(world.manager)
    url = reverse(page, args=[world.plan.pk])
    query = {name: world.rep.pk if value == "REP" else value for name, value in query.items()}
    target = TargetFactory(plan=world.plan)
    ActionFactory(target=target, owner=world.rep, title="Salon de Rennes")
    assert "Salon de Rennes" in client.get(url, query).text
    assert "Salon de Lille" not in client.get(url, query).text  # from the cache
    ActionFactory(target=target, owner=world.rep, title="Salon de Lille")
    assert "Salon de Lille" in client.get(url, query).text


def changed_sheet(world):
    """An action with a participant and an objective, and the data of its sheet changed."""
    target = TargetFactory(plan=world.plan)
    objective = ObjectiveFactory(target=target)
    start = world.plan.period_start
    data = sheet(target, "Salon de Rennes", world.rep, start, start + timedelta(days=10))
    action = action_services.action_create(
        actor=world.manager,
        plan=world.plan,
        data=data,
        participants=[world.other_rep],
        objectives=[objective],
    )
    return action, data | {"title": "Salon de Lille"}


def test_an_action_saved_with_its_links_touches_its_plan_once(world):
    """The sheet, its participants and its objectives changed: one UPDATE of the plan (three
    before), and the revision has moved when the service returns, inside the transaction
    around it too (a view renders the region after the service, in the same request)."""
    action, data = changed_sheet(world)
    before = revision(world.plan)
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        action_services.action_update(
            actor=world.manager,
            action=action,
            version=action.version,
            data=data,
            participants=[world.rep],
            objectives=[],
        )
        assert revision(world.plan) != before
    assert len(plan_touches(queries)) == 1
    assert len(queries) == 60  # 63 when each write touched its plan


@pytest.mark.django_db(transaction=True)
def test_each_transaction_touches_its_plans_as_it_commits(world):
    """Outside a test's own transaction: one touch a service, and each service touches."""
    action, data = changed_sheet(world)
    steps = [revision(world.plan)]
    for participants in ([world.rep], [world.other_rep]):
        with CaptureQueriesContext(connection) as queries:
            action = action_services.action_update(
                actor=world.manager,
                action=action,
                version=action.version,
                data=data,
                participants=participants,
            )
        assert len(plan_touches(queries)) == 1
        steps.append(revision(world.plan))
    assert len(set(steps)) == 3


class Undone(Exception):
    pass


def test_a_touch_undone_with_its_savepoint_is_made_again(world):
    before = revision(world.plan)
    with transaction.atomic():
        try:
            with transaction.atomic():
                TargetFactory(plan=world.plan)
                raise Undone
        except Undone:
            pass
        assert revision(world.plan) == before  # the touch went with the target
        CompetitorFactory(plan=world.plan)
    assert revision(world.plan) != before


def test_a_stale_plan_saved_after_a_touch_in_the_same_transaction_gets_a_new_revision(world):
    stale = Plan.objects.get(pk=world.plan.pk)
    with transaction.atomic():
        TargetFactory(plan=world.plan)
        touched = revision(world.plan)
        stale.title = "PAC Nord 2027 (revu)"
        stale.save()  # writes back the token it was read with
        assert revision(world.plan) not in {stale.revision, touched}
        CompetitorFactory(plan=world.plan)


def test_nothing_is_cached_inside_a_transaction_that_touched_a_plan(world):
    """Its new token is not final: the transaction's later writes keep it."""
    cache.clear()
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    get = RequestFactory().get("/")
    with transaction.atomic():
        TargetFactory(plan=world.plan)
        plan = Plan.objects.get(pk=world.plan.pk)
        assert revisions.cached(get, plan, "test", compute) == 1
        assert revisions.cached(get, plan, "test", compute) == 2
    plan = Plan.objects.get(pk=world.plan.pk)
    assert revisions.cached(get, plan, "test", compute) == 3
    assert revisions.cached(get, plan, "test", compute) == 3
