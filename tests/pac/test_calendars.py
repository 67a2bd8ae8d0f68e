"""The calendar, the timeline and the horizon: where things land, who sees what, and speed."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pac.core.models import Plan
from pac.planning import calendars
from tests.actions.factories import ActionFactory, ActionStepFactory
from tests.targets.factories import DealFactory, TargetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_plan(world):
    """A plan over the turn of the year, 01/10/2026 – 31/03/2028, to cross months, years and a
    leap day."""
    plan = world.plan
    plan.period_start, plan.period_end = date(2026, 10, 1), date(2028, 3, 31)
    plan.save()
    return plan


def bars_of(weeks, action):
    return [
        (week.days[0].day, bar.start, bar.span, bar.before, bar.after)
        for week in weeks
        for bar in week.bars
        if bar.action.pk == action.pk
    ]


def test_an_action_over_two_months_appears_in_each_month(world, year_plan):
    target = TargetFactory(plan=year_plan)
    action = ActionFactory(target=target, start_date=date(2027, 1, 28), end_date=date(2027, 3, 3))
    january = calendars.month_grid(year_plan, date(2027, 1, 1), {}, date(2027, 1, 15))
    # January 2027 starts on a Friday: the grid starts on Monday 28/12/2026, five weeks.
    assert january[0].days[0].day == date(2026, 12, 28)
    assert len(january) == 5
    # Thursday 28/01 to Sunday 31/01: columns 4 to 7, going on into February.
    assert bars_of(january, action) == [(date(2027, 1, 25), 4, 4, False, True)]
    february = calendars.month_grid(year_plan, date(2027, 2, 1), {}, date(2027, 1, 15))
    assert len(bars_of(february, action)) == 4  # every week of February, whole weeks
    assert bars_of(february, action)[0] == (date(2027, 2, 1), 1, 7, True, True)
    march = calendars.month_grid(year_plan, date(2027, 3, 1), {}, date(2027, 1, 15))
    # Monday 01/03 to Wednesday 03/03.
    assert bars_of(march, action) == [(date(2027, 3, 1), 1, 3, True, False)]
    april = calendars.month_grid(year_plan, date(2027, 4, 1), {}, date(2027, 1, 15))
    assert bars_of(april, action) == []


def test_an_action_across_the_new_year(world, year_plan):
    action = ActionFactory(
        target=TargetFactory(plan=year_plan),
        start_date=date(2026, 12, 30),
        end_date=date(2027, 1, 2),
    )
    december = calendars.month_grid(year_plan, date(2026, 12, 1), {}, date(2026, 12, 1))
    january = calendars.month_grid(year_plan, date(2027, 1, 1), {}, date(2026, 12, 1))
    # Wednesday 30/12 to Saturday 02/01 is one week row, shared by both grids.
    assert bars_of(december, action) == [(date(2026, 12, 28), 3, 4, False, False)]
    assert bars_of(january, action) == [(date(2026, 12, 28), 3, 4, False, False)]


def test_steps_and_deals_land_on_their_day_including_a_leap_day(world, year_plan):
    action = ActionFactory(
        target=TargetFactory(plan=year_plan),
        start_date=date(2028, 2, 1),
        end_date=date(2028, 3, 15),
    )
    step = ActionStepFactory(action=action, due_date=date(2028, 2, 29))
    deal = DealFactory(plan=year_plan, milestone_date=date(2028, 2, 29))
    weeks = calendars.month_grid(year_plan, date(2028, 2, 1), {}, date(2028, 2, 29))
    leap = next(day for week in weeks for day in week.days if day.day == date(2028, 2, 29))
    assert (leap.steps, leap.deals, leap.today, leap.in_month) == ([step], [deal], True, True)
    # February 2028 runs Tuesday 01 to Tuesday 29: the grid shows 31/01 to 05/03.
    assert weeks[0].days[0].day == date(2028, 1, 31)
    assert weeks[-1].days[-1].day == date(2028, 3, 5)


def test_calendar_filters(world, year_plan):
    target = TargetFactory(plan=year_plan)
    mine = ActionFactory(
        target=target, owner=world.rep, start_date=date(2027, 1, 4), end_date=date(2027, 1, 8)
    )
    joined = ActionFactory(
        target=target,
        owner=world.other_rep,
        participants=[world.rep],
        start_date=date(2027, 1, 4),
        end_date=date(2027, 1, 8),
        domain="internal",
        sales_type="",
    )
    other = ActionFactory(
        target=TargetFactory(plan=year_plan),
        owner=world.other_rep,
        start_date=date(2027, 1, 4),
        end_date=date(2027, 1, 8),
    )

    def shown(filters):
        weeks = calendars.month_grid(year_plan, date(2027, 1, 1), filters, date(2027, 1, 1))
        return {bar.action.pk for week in weeks for bar in week.bars}

    assert shown({}) == {mine.pk, joined.pk, other.pk}
    assert shown({"owner": world.rep}) == {mine.pk, joined.pk}
    assert shown({"owner": world.rep, "domain": "internal"}) == {joined.pk}
    assert shown({"target": target}) == {mine.pk, joined.pk}


def cal_url(plan, **params):
    from urllib.parse import urlencode

    return reverse("pac:calendar", args=[plan.pk]) + ("?" + urlencode(params) if params else "")


def test_a_rep_sees_their_own_items_unless_they_ask_for_the_team(world, login, year_plan):
    target = TargetFactory(plan=year_plan)
    ActionFactory(
        target=target,
        owner=world.rep,
        title="Ma visite",
        start_date=date(2027, 1, 4),
        end_date=date(2027, 1, 8),
    )
    ActionFactory(
        target=target,
        owner=world.other_rep,
        title="Sa visite",
        start_date=date(2027, 1, 4),
        end_date=date(2027, 1, 8),
    )
    client = login(world.rep)
    page = client.get(cal_url(year_plan, month="2027-01")).text
    assert "Ma visite" in page and "Sa visite" not in page
    page = client.get(cal_url(year_plan, month="2027-01", scope="team")).text
    assert "Ma visite" in page and "Sa visite" in page
    manager = login(world.manager)
    page = manager.get(cal_url(year_plan, month="2027-01")).text
    assert "Ma visite" in page and "Sa visite" in page
    page = manager.get(cal_url(year_plan, month="2027-01", owner=world.other_rep.pk)).text
    assert "Ma visite" not in page and "Sa visite" in page


def test_the_calendar_explains_what_it_cannot_show(world, login, year_plan):
    ActionFactory(target=TargetFactory(plan=year_plan), start_date=None, end_date=None)
    client = login(world.manager)
    page = client.get(cal_url(year_plan, month="2030-05")).text
    assert "1 action n'a pas encore de dates et n'est pas dans le calendrier." in page
    assert "Ce mois est en dehors de la période du plan (01/10/2026 – 31/03/2028)." in page
    response = client.get(cal_url(year_plan, month="2027-13"))
    assert response.status_code == 200
    assert "Indiquez un mois sous la forme AAAA-MM" in response.text
    year_plan.status = Plan.Status.CLOSED
    year_plan.save()
    assert "Ce plan est clos" in client.get(cal_url(year_plan)).text


def test_previous_and_next_keep_the_filters(world, login, year_plan):
    response = login(world.manager).get(cal_url(year_plan, month="2027-12", domain="sales"))
    links = response.context["links"]
    assert links["previous"] == "?month=2027-11&domain=sales"
    assert links["next"] == "?month=2028-01&domain=sales"


def test_htmx_navigation_returns_the_month_alone(world, login, year_plan):
    response = login(world.manager).get(
        cal_url(year_plan, month="2027-02"), headers={"HX-Request": "true"}
    )
    assert "<html" not in response.text
    assert 'id="month"' in response.text
    assert "Février 2027" in response.text


def test_today_follows_the_time_zone(world, login, year_plan, settings, monkeypatch):
    """23:30 UTC on 31/01 is already 01/02 in Paris: the calendar opens on February."""
    instant = datetime(2027, 1, 31, 23, 30, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: instant)
    settings.TIME_ZONE = "Europe/Paris"
    page = login(world.manager).get(cal_url(year_plan)).text
    assert "Février 2027" in page
    assert 'cal-day cal-today" data-day="2027-02-01"' in page
    settings.TIME_ZONE = "America/New_York"
    page = login(world.manager).get(cal_url(year_plan)).text
    assert "Janvier 2027" in page
    assert 'cal-day cal-today" data-day="2027-01-31"' in page


@pytest.mark.parametrize("name", ["pac:calendar", "pac:timeline", "pac:horizon"])
@pytest.mark.parametrize(
    ("reader", "status"),
    [("manager", 200), ("rep", 200), ("viewer", 200), ("staff", 200), ("foreign_manager", 404)],
)
def test_who_sees_the_planning_views(world, login, name, reader, status):
    assert (
        login(getattr(world, reader)).get(reverse(name, args=[world.plan.pk])).status_code == status
    )


@pytest.mark.parametrize("name", ["pac:calendar", "pac:timeline", "pac:horizon"])
def test_anonymous_visitors_sign_in_first(client, world, name):
    response = client.get(reverse(name, args=[world.plan.pk]))
    assert response["Location"].startswith(reverse("login"))


def test_the_timeline_over_a_quarter_grouped_by_rep(world, login, year_plan, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: datetime(2027, 3, 15, 12, tzinfo=UTC))
    target = TargetFactory(plan=year_plan)
    late = ActionFactory(
        target=target,
        owner=world.rep,
        title="Relances",
        status="in_progress",
        start_date=date(2027, 1, 10),
        end_date=date(2027, 2, 10),
    )
    ActionStepFactory(action=late, title="Appels", due_date=date(2027, 1, 20))
    ActionFactory(
        target=target,
        owner=world.other_rep,
        title="Salon",
        start_date=date(2027, 3, 1),
        end_date=date(2027, 3, 3),
    )
    ActionFactory(
        target=target,
        owner=world.rep,
        title="Plus tard",
        start_date=date(2027, 5, 1),
        end_date=date(2027, 5, 3),
    )
    lanes = calendars.timeline_lanes(
        year_plan, {}, "rep", date(2027, 1, 1), date(2027, 3, 31), date(2027, 3, 10)
    )
    assert [(lane.label, [a.title for a in lane.actions]) for lane in lanes] == sorted(
        [(str(world.rep), ["Relances"]), (str(world.other_rep), ["Salon"])],
        key=lambda item: item[0].lower(),
    )
    url = reverse("pac:timeline", args=[year_plan.pk]) + "?window=quarter&month=2027-01&group=rep"
    page = login(world.manager).get(url).text
    assert "01/01/2027 – 31/03/2027" in page
    assert 'class="timeline-row late"' in page  # Relances ended 10/02 and is still open
    assert "<title>Appels</title>" in page
    assert reverse("actions:action-detail", args=[year_plan.pk, late.pk]) in page


def test_the_horizon_lists(world, year_plan):
    target = TargetFactory(plan=year_plan)
    today = date(2027, 3, 10)

    def action(title, start, end, status="in_progress"):
        return ActionFactory(
            target=target, title=title, start_date=start, end_date=end, status=status
        )

    action("En retard", date(2027, 2, 1), date(2027, 3, 1))
    action("Finie", date(2027, 2, 1), date(2027, 3, 1), status="done")
    action("Démarre", date(2027, 3, 12), date(2027, 5, 1), status="planned")
    action("Échéance", date(2027, 2, 1), date(2027, 3, 15))
    action("Lointaine", date(2027, 5, 1), date(2027, 6, 1), status="planned")
    long = action("Longue", date(2027, 1, 1), date(2027, 9, 1))
    ActionStepFactory(action=long, title="Étape passée", due_date=date(2027, 3, 5))
    ActionStepFactory(action=long, title="Étape proche", due_date=date(2027, 3, 14))
    ActionStepFactory(action=long, title="Étape faite", due_date=date(2027, 3, 5), done=True)
    week = calendars.horizon(year_plan, {}, today, 7)
    # "Longue" ends in September, but its step of 05/03 is past due: late, as on every page.
    assert [a.title for a in week.late] == ["En retard", "Longue"]
    assert [a.title for a in week.starting] == ["Démarre"]
    assert [a.title for a in week.due] == ["Échéance"]
    assert [s.title for s in week.steps_late] == ["Étape passée"]
    assert [s.title for s in week.steps_due] == ["Étape proche"]
    quarter = calendars.horizon(year_plan, {}, today, 90)
    assert [a.title for a in quarter.starting] == ["Démarre", "Lointaine"]
    assert [a.title for a in quarter.due] == ["Échéance", "Démarre", "Lointaine"]


def test_a_bad_horizon_falls_back_to_30_days(world, login):
    response = login(world.manager).get(reverse("pac:horizon", args=[world.plan.pk]) + "?days=abc")
    assert response.context["horizon"].days == 30


def grow(plan, size):
    target = TargetFactory(plan=plan)
    for index in range(size):
        start = plan.period_start + timedelta(days=index % 150)
        action = ActionFactory(target=target, start_date=start, end_date=start + timedelta(days=20))
        ActionStepFactory(action=action, due_date=start + timedelta(days=5))
        DealFactory(plan=plan, milestone_date=start)


# session, user, plan with the reader's role; actions, steps, deals, undated count; the targets and
# reps of the filter form.
CALENDAR_QUERIES = 9
# session, user, plan with the reader's role; count, one page of actions, their steps, undated
# count; targets and reps of the form.
TIMELINE_QUERIES = 9


@pytest.mark.parametrize("size", [10, 300])
def test_planning_views_queries_do_not_grow(world, login, django_assert_num_queries, size):
    grow(world.plan, size)
    client = login(world.manager)
    with django_assert_num_queries(CALENDAR_QUERIES):
        client.get(cal_url(world.plan, month="2027-03"))
    with django_assert_num_queries(TIMELINE_QUERIES):
        response = client.get(reverse("pac:timeline", args=[world.plan.pk]))
    assert response.context["count"] == size
    # session, user, plan with the reader's role; open actions, their steps; targets and reps
    # of the form.
    with django_assert_num_queries(7):
        client.get(reverse("pac:horizon", args=[world.plan.pk]) + "?days=90")


def test_the_timeline_draws_500_actions_50_at_a_time(world, login):
    grow(world.plan, 500)
    client = login(world.manager)
    url = reverse("pac:timeline", args=[world.plan.pk])
    first = client.get(url)
    assert first.text.count('class="timeline-row') == 50
    assert "1–50 sur 500" in first.text
    assert "page=2" in first.text and "page=0" not in first.text
    last = client.get(url + "?page=10")
    assert last.text.count('class="timeline-row') == 50
    assert "451–500 sur 500" in last.text
    # A page past the end or not a number shows the nearest page, never an error.
    assert "451–500 sur 500" in client.get(url + "?page=99").text
    assert "1–50 sur 500" in client.get(url + "?page=abc").text


def test_a_busy_month_shows_twelve_actions_a_week_and_three_items_a_day(world, login, year_plan):
    """15 actions in the week of 01/03/2027 and 5 steps and 5 deals on 03/03: 12 bars, then the
    way to the month's actions; 3 steps and 3 deals, then how many more."""
    target = TargetFactory(plan=year_plan)
    for index in range(15):
        action = ActionFactory(
            target=target, start_date=date(2027, 3, 1), end_date=date(2027, 3, 3)
        )
        if index < 5:
            ActionStepFactory(action=action, due_date=date(2027, 3, 3))
            DealFactory(plan=year_plan, milestone_date=date(2027, 3, 3))
    page = (
        login(world.manager)
        .get(reverse("pac:calendar", args=[year_plan.pk]) + "?month=2027-03")
        .text
    )
    first_week = page.split('class="cal-week"')[1]
    assert first_week.count('class="cal-bar ') == 12
    assert "+3 actions cette semaine" in first_week
    assert f'href="/plans/{year_plan.pk}/actions/?month=2027-03"' in first_week
    day = first_week.split('data-day="2027-03-03"')[1].split('class="cal-day')[0]
    assert day.count("cal-step") == 3 and "+2 étapes" in day
    assert day.count("cal-deal") == 3 and "+2 affaires" in day


def test_a_busy_week_links_to_the_month_actions_under_the_same_filters(world, login, year_plan):
    target = TargetFactory(plan=year_plan)
    for _ in range(13):
        ActionFactory(
            target=target,
            owner=world.rep,
            start_date=date(2027, 3, 1),
            end_date=date(2027, 3, 3),
        )
    # A rep sees their own work by default: the link keeps them as the owner.
    page = login(world.rep).get(reverse("pac:calendar", args=[year_plan.pk]) + "?month=2027-03")
    link = f"/plans/{year_plan.pk}/actions/?owner={world.rep.pk}&amp;month=2027-03"
    assert f'href="{link}"' in page.text
