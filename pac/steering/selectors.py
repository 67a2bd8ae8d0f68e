"""Reads for steering a plan: a rep's PACI and the manager's cockpit.

Each function runs a fixed number of queries whatever the size of the plan; tests pin them.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, Sum, When
from django.utils.formats import date_format

from actions.models import Action
from actions.selectors import bucketed, first_late_actions, with_step_rows
from kpis.charts import with_charts
from kpis.measures import objectives_progress
from kpis.models import Kpi
from kpis.selectors import (
    ATTENTION,
    attention_key,
    by_attention,
    loaded,
    standings,
    with_series,
    with_standing,
)
from pac.core.models import Role, User
from pac.core.paging import detached, page_of
from pac.planning.calendars import horizon_of
from pac.plans.selectors import DEALS_PER_PAGE, budget_summary
from pac.steering.models import PaciSignature
from pac.steering.signatures import ACTION_TERMS, commitments, fingerprint
from targets.models import CENT, Deal, Objective
from targets.progress import Standing


def paci_people(plan):
    """The people who have a PACI in a plan: the reps of its team, and its managers who own or
    take part in some of its actions; never a viewer, who has no work in it. `plan` may be an
    OuterRef, to ask plan by plan in a subquery."""
    # One level deeper, inside the Exists, an outer reference must reach one level further.
    inner = OuterRef(plan) if isinstance(plan, OuterRef) else plan
    works = Action.objects.filter(target__plan=inner).involving(OuterRef("pk"))
    return User.objects.filter(
        Q(memberships__role=Role.REP) | Q(Exists(works), memberships__role=Role.MANAGER),
        memberships__team__plans=plan,
    )


def rep_actions(plan, rep):
    """The actions a rep owns or takes part in, with their target."""
    return (
        Action.objects.of_plan(plan)
        .involving(rep)
        .select_related("target", "owner")
        .order_by("end_date", "start_date", "pk")
    )


@dataclass
class DealFigures:
    count: int
    weighted_total: Decimal
    by_month: list


def deal_figures(deals):
    """The number of deals, their weighted total and, per milestone month, (month label, amount
    still in play, weighted forecast) with lost deals left out: one grouped query."""
    # Grouped by day, not by TruncMonth: SQLite truncates dates in a Python function called once
    # per row, five times slower on a carnet of 5,000 deals. Days fold into months here.
    rows = (
        deals.annotate(lost=Case(When(stage=Deal.Stage.LOST, then=True), default=False))
        .values("milestone_date", "lost")
        .annotate(
            count=Count("pk"), in_play=Sum("amount"), weighted=Sum(F("amount") * F("probability"))
        )
        .order_by("milestone_date", "lost")
        .values_list("milestone_date", "lost", "count", "in_play", "weighted")
    )
    count, total, months = 0, Decimal(0), {}
    for day, lost, number, amount, weighted in rows:
        weighted = Decimal(weighted or 0) / 100
        count += number
        total += weighted
        if not lost:
            month = months.setdefault(day.replace(day=1), [Decimal(0), Decimal(0)])
            month[0] += amount
            month[1] += weighted
    by_month = [
        (date_format(month, "YEAR_MONTH_FORMAT"), amount, weighted.quantize(CENT))
        for month, (amount, weighted) in months.items()
    ]
    return DealFigures(count, total.quantize(CENT), by_month)


def shared(rows, *relations):
    """One instance per related row: `select_related` builds a target and an owner for each of a
    rep's 125 actions where there are ten targets and a few people, and a page cached per revision
    of the plan stores and reads back every copy."""
    seen = {}
    for row in rows:
        for name in relations:
            related = getattr(row, name)
            if related is not None:
                setattr(row, name, seen.setdefault((name, related.pk), related))
    return rows


# What the PACI page shows at once; the rest is one click away (the PDF shows everything).
ACTIONS_PER_BUCKET = 10
KPIS_PER_PAGE = 10
COCKPIT_KPIS = 10
COCKPIT_LATE = 15


def paci_actions(plan, rep, today, expanded=None):
    """The rep's actions by urgency. On the page each bucket shows its first ACTIONS_PER_BUCKET
    actions, all of them for the bucket named by `expanded`; None shows every bucket whole."""
    actions = shared(with_step_rows(rep_actions(plan, rep), today), "target", "owner")
    buckets = bucketed(actions, today)
    if expanded is not None and expanded not in {key for key, _title, _m in buckets.sections}:
        expanded = ""  # an unknown bucket in the address expands none
    return {
        "buckets": buckets,
        "bucket_rows": [
            (
                key,
                title,
                members,
                members if expanded in (None, key) else members[:ACTIONS_PER_BUCKET],
            )
            for key, title, members in buckets.sections
        ],
        "horizon": horizon_of(actions, today, 30),
        "today": today,
        # Forms opened in an expanded bucket come back to it.
        "actions_query": f"?bucket={expanded}" if expanded else "",
    }


def paci_objectives(plan, rep, today):
    return {
        "objectives": objectives_progress(
            plan, Objective.objects.of_plan(plan).filter(owner=rep), today
        )
    }


def paci_kpis(plan, rep, today, page=None):
    """The rep's KPIs, furthest behind first: one page of them with their values, or all of
    them when `page` is None."""
    kpis = Kpi.objects.of_plan(plan).filter(owner=rep)
    if page is None:
        return {"kpis": with_series(by_attention(with_standing(kpis, plan, today)), today)}
    # Ranked from plain rows; only the page shown is loaded whole.
    shown = detached(
        Paginator(by_attention(standings(kpis, plan, today)), KPIS_PER_PAGE).get_page(page)
    )
    return {
        "kpis": with_charts(
            with_series(loaded([row.pk for row in shown], plan, today), today), plan
        ),
        "kpis_page": shown,
        # Forms opened on this page come back to it.
        "kpis_query": f"?kpis_page={shown.number}",
    }


def paci_deals(plan, rep, page=None):
    """The rep's deals by milestone date (one page of them, or all when `page` is None), with
    the weighted total and the months of all of them."""
    deals = Deal.objects.filter(plan=plan, owner=rep).select_related("target")
    figures = deal_figures(deals)
    context = {
        "deals_weighted_total": figures.weighted_total,
        "deals_by_month": figures.by_month,
    }
    ordered = deals.order_by("milestone_date", "company", "pk")
    if page is None:
        return context | {"deals": list(ordered)}
    shown = page_of(ordered, DEALS_PER_PAGE, page, figures.count)
    return context | {
        "deals": list(shown),
        "deals_page": shown,
        "deals_query": f"?deals_page={shown.number}",
    }


def rep_paci(plan, rep, today):
    """One rep's share of a plan, whole: objectives with progress, actions by urgency, KPIs,
    deals (the printed PACI)."""
    return (
        paci_objectives(plan, rep, today)
        | paci_actions(plan, rep, today)
        | paci_kpis(plan, rep, today)
        | paci_deals(plan, rep)
    )


@dataclass
class RepStanding:
    rep: object
    objectives: list
    attainment: Decimal | None
    pipeline: Decimal
    to_win: Decimal | None  # None: no revenue objective with a figure
    # The rep's latest signature of their PACI: when, and the version signed ("" if never).
    signed_at: object = None
    signed_version: str = ""
    # Their PACI has changed since (set by the cockpit, which reads their actions).
    changed_since_signed: bool = False
    # Their late actions (set from `late_by_rep`, which moves with the ticks of steps).
    late: int = 0

    @property
    def coverage(self):
        """How many times the weighted pipeline covers what is left to win, in %."""
        if not self.to_win:
            return None
        return (self.pipeline / self.to_win * 100).quantize(Decimal("1"))


def late_by_rep(plan, today):
    """Each rep's late work as their PACI lists it: the late actions they own or take part in,
    by rep id (one query)."""
    late_work = (
        Action.objects.of_plan(plan)
        .late(today)
        .involving(OuterRef("pk"))
        .values("target__plan")
        .annotate(count=Count("pk"))
        .values("count")
    )
    reps = User.objects.members_of(plan.team_id, [Role.REP]).annotate(late=Subquery(late_work))
    return {pk: late or 0 for pk, late in reps.values_list("pk", "late")}


def rep_standings(plan, objectives, today):
    """Per rep of the team: mean attainment of their objectives, weighted open pipeline against
    the amount their revenue objectives still have to win (their late work: `late_by_rep`)."""
    signed = PaciSignature.objects.filter(plan=plan, rep=OuterRef("pk")).order_by(
        "-signed_at", "-pk"
    )
    reps = list(
        User.objects.members_of(plan.team_id, [Role.REP]).annotate(
            signed_at=Subquery(signed.values("signed_at")[:1]),
            signed_version=Subquery(signed.values("fingerprint")[:1]),
        )
    )
    pipelines = dict(
        Deal.objects.filter(plan=plan)
        .open()
        .values("owner")
        .annotate(weighted=Sum(F("amount") * F("probability")))
        .values_list("owner", "weighted")
    )
    mine = defaultdict(list)
    for item in objectives:
        mine[item.objective.owner_id].append(item)
    rows = []
    for rep in reps:
        measured = [item.attainment for item in mine[rep.pk] if item.attainment is not None]
        left = [item.left_to_win for item in mine[rep.pk] if item.left_to_win is not None]
        to_win = sum(left, Decimal(0)) if left else None
        rows.append(
            RepStanding(
                rep=rep,
                objectives=mine[rep.pk],
                attainment=(
                    (sum(measured, Decimal(0)) / len(measured)).quantize(Decimal("0.1"))
                    if measured
                    else None
                ),
                pipeline=(Decimal(pipelines.get(rep.pk) or 0) / 100).quantize(CENT),
                to_win=to_win,
                signed_at=rep.signed_at,
                signed_version=rep.signed_version or "",
            )
        )
    return rows


def with_signatures_checked(plan, reps):
    """Whether each signed PACI has changed since: the reps' commitments of now against the
    version they signed, from one read of the plan's actions with their participants."""
    signed = [row for row in reps if row.signed_version]
    if not signed:
        return
    involved = defaultdict(dict)
    fields = ["pk", *ACTION_TERMS, "owner_id", "participants"]
    for row in Action.objects.of_plan(plan).values(*fields).order_by("pk"):
        for person in {row["owner_id"], row["participants"]} - {None}:
            involved[person][row["pk"]] = row
    for row in signed:
        objectives = [item.objective for item in row.objectives]
        committed = commitments(objectives, involved[row.rep.pk].values())
        row.changed_since_signed = fingerprint(committed) != row.signed_version


# The cockpit in three parts, each computed once per token of what it reads (pac.core.revisions):
# a colleague's check-in ranks the KPIs again but leaves the late work and the rest as they were,
# a tick of a step counts the late work again and nothing else.


def cockpit_plan(plan, today):
    """Objectives, reps, pipeline and budget: what only shared changes of the plan move."""
    objectives = objectives_progress(plan, Objective.objects.of_plan(plan), today)
    deals = deal_figures(plan.deals.all())
    reps = rep_standings(plan, objectives, today)
    with_signatures_checked(plan, reps)
    return {
        "today": today,
        "objectives": objectives,
        # The team's objectives, each with its reps' shares beneath it.
        "team_objectives": [item for item in objectives if not item.objective.is_share],
        "reps": reps,
        "deals_by_month": deals.by_month,
        "deals_weighted_total": deals.weighted_total,
        **budget_summary(plan),
    }


def attention_by_owner(plan, today, people=None):
    """Where each of the plan's KPIs stands in the order of attention (`attention_key`), by
    owner id (None for the unowned); of these owners' KPIs only when `people` is given. One
    query."""
    kpis = Kpi.objects.of_plan(plan)
    if people is not None:
        owners = Q(owner__in=[person for person in people if person is not None])
        kpis = kpis.filter(owners | Q(owner__isnull=True) if None in people else owners)
    shares = defaultdict(list)
    for row in standings(kpis, plan, today):
        shares[row.owner_id].append(attention_key(row))
    return dict(shares)


OFF_TRACK = ATTENTION.index(Standing.OFF_TRACK)


def cockpit_kpis(plan, today, keys=None):
    """The KPIs furthest behind, with their charts (the meeting starts with those), and how many
    are off track: what the values of KPIs move. `keys`: the `attention_key` of every KPI of
    the plan, if known already."""
    if keys is None:
        keys = map(attention_key, standings(Kpi.objects.of_plan(plan), plan, today))
    # Thousands of KPIs are ranked from plain rows; only the ones shown are loaded whole.
    off_track = sorted(key for key in keys if key[0] == OFF_TRACK)
    shown = loaded([pk for *_, pk in off_track[:COCKPIT_KPIS]], plan, today)
    return {
        "kpis_off_track": with_charts(with_series(shown, today), plan),
        "kpis_off_track_count": len(off_track),
    }


def cockpit_late(plan, today):
    """The first late actions, their count and each rep's: what the ticks of steps move."""
    late_first, late_total = first_late_actions(plan, today, COCKPIT_LATE)
    return {
        "late_actions": late_first,
        "late_count": late_total,
        "late_by_rep": late_by_rep(plan, today),
    }


def with_late(reps, late_by_rep):
    """Rep standings with each rep's late work (`late_by_rep`)."""
    for row in reps:
        row.late = late_by_rep.get(row.rep.pk, 0)
    return reps


def assembled(whole, kpis, late):
    """The cockpit from its three parts (read from the cache as copies of their own)."""
    with_late(whole["reps"], late["late_by_rep"])
    return whole | kpis | late


def cockpit(plan, today):
    """What the manager brings to the review meeting: objectives, reps, what is off track and
    late, budget and pipeline."""
    return assembled(
        cockpit_plan(plan, today), cockpit_kpis(plan, today), cockpit_late(plan, today)
    )


def figures(value):
    """Decimals and dates as text, for a snapshot stored as JSON."""
    return None if value is None else str(value)


def snapshot(plan, day):
    """The objectives and KPIs of a plan as they stood on `day`, to keep with a review."""
    # The team's objectives: the figures the meeting reads (the reps' shares are on their PACI).
    objectives = objectives_progress(plan, Objective.objects.of_plan(plan).of_team(), day)
    kpis = with_standing(Kpi.objects.of_plan(plan), plan, day)
    return {
        "day": day.isoformat(),
        "objectives": [
            {
                "id": item.objective.pk,
                "title": item.objective.title,
                "unit": item.objective.unit,
                "target": figures(item.objective.target_value),
                "actual": figures(item.actual),
                "attainment": figures(item.attainment),
                "expected": figures(item.expected),
                "standing": item.standing,
                "verdict": item.assessment[0].value if item.assessment else None,
            }
            for item in objectives
        ],
        "kpis": [
            {
                "id": kpi.pk,
                "name": kpi.name,
                "unit": kpi.unit,
                "target": figures(kpi.target_value),
                "latest": figures(kpi.latest.value if kpi.latest else None),
                "latest_on": figures(kpi.latest.recorded_on if kpi.latest else None),
                "standing": kpi.standing,
            }
            for kpi in kpis
        ],
    }


def compared(review, previous):
    """The review's objective figures beside those of the review before it, with the change."""
    before = {
        row["id"]: row for row in (previous.snapshot if previous else {}).get("objectives", [])
    }
    rows = []
    for row in review.snapshot.get("objectives", []):
        earlier = before.get(row["id"])
        change = None
        if earlier and earlier["attainment"] is not None and row["attainment"] is not None:
            change = Decimal(row["attainment"]) - Decimal(earlier["attainment"])
        rows.append({**row, "previous": earlier, "change": change})
    return rows
