"""How objectives are measured (by their KPI's latest value, by the deals won, by a manager's
assessment) and their progress: actual figure, attainment, expected pace and standing. Here, in
the KPIs' app, because a measure reads KPIs as well as the targets' deals."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import BooleanField, Case, OuterRef, Q, Subquery, Value, When

from kpis.models import KpiValue
from targets import progress
from targets.models import CENT, Assessment, Objective
from targets.selectors import won_totals
from targets.splits import Split, rolled_up, split_of


@dataclass
class ObjectiveProgress:
    objective: Objective
    actual: Decimal | None
    attainment: Decimal | None
    expected: Decimal
    standing: str
    measured_on: object = None
    # A qualitative objective's latest assessment: (verdict, date, comment), or None.
    assessment: tuple | None = None
    # A team objective split down to reps: their shares' progress, and how much is shared out.
    shares: list = field(default_factory=list)
    split: Split | None = None
    # Its figure is the sum of its reps' (it has no KPI of its own measuring it).
    rolled_up: bool = False

    @property
    def left_to_win(self):
        """What a revenue objective (in euros, rising from its baseline) still has to win, once
        it has a figure; a cost to bring down has nothing to win."""
        objective = self.objective
        rising = objective.target_value is not None and objective.target_value > (
            objective.baseline or 0
        )
        if not objective.in_euros or not rising or self.actual is None:
            return None
        return max(objective.target_value - self.actual, Decimal(0))


def measure(objective, won, everyone=False):
    """The objective's actual figure: its KPI's latest value, or the baseline plus what was won
    on its target by its owner (by anyone when it has no owner, or when `everyone`: a team
    objective split between reps counts the whole team's)."""
    if objective.kind != Objective.Kind.QUANTITATIVE:
        return None
    if objective.measured_by == Objective.Measure.KPI:
        # SQLite gives a subquery's decimals unscaled or as floats: scaled as the column is.
        latest = objective.kpi_latest
        return None if latest is None else Decimal(str(latest)).quantize(CENT)
    index = 0 if objective.measured_by == Objective.Measure.WON_AMOUNT else 1
    total = sum(
        (
            Decimal(figures[index] or 0)
            for (target, owner), figures in won.items()
            if target == objective.target_id
            and (everyone or objective.owner_id is None or owner == objective.owner_id)
        ),
        Decimal(0),
    )
    return Decimal(objective.baseline or 0) + total


def with_measures(objectives, today):
    """Annotate each objective with the latest value recorded by `today` of the KPI that
    measures it and the day it was recorded, and with its latest assessment by then."""
    latest = KpiValue.objects.filter(kpi=OuterRef("measure_kpi"), recorded_on__lte=today).order_by(
        "-recorded_on"
    )
    assessed = Assessment.objects.filter(objective=OuterRef("pk"), assessed_on__lte=today).order_by(
        "-assessed_on", "-pk"
    )
    return objectives.annotate(
        kpi_latest=Subquery(latest.values("value")[:1]),
        kpi_latest_on=Subquery(latest.values("recorded_on")[:1]),
        verdict=Subquery(assessed.values("verdict")[:1]),
        verdict_on=Subquery(assessed.values("assessed_on")[:1]),
        verdict_comment=Subquery(assessed.values("comment")[:1]),
    )


# What a manager's assessment says of a qualitative objective, in the words of the standings.
VERDICT_STANDING = {
    Assessment.Verdict.REACHED: progress.Standing.ON_TRACK,
    Assessment.Verdict.PARTLY: progress.Standing.AT_RISK,
    Assessment.Verdict.NOT_REACHED: progress.Standing.OFF_TRACK,
}


def rolls_up(objective):
    """A split objective takes its figure from its reps' shares when it has no measure of its
    own: measured by a KPI it does not have. The deals won on its target, or a KPI of its own,
    give the team's figure themselves."""
    return objective.measured_by == Objective.Measure.KPI and objective.measure_kpi_id is None


def objectives_progress(plan, objectives, today):
    """Progress of the given objectives of a plan, as of `today`: two queries in all. A team
    objective split between reps carries its shares' progress (read in the same query): its
    figure is the deals won on its target by the whole team, or its own KPI's, or without one
    the sum of its reps'."""
    won = won_totals(plan)
    asked = objectives.values("pk")
    rows = (
        with_measures(Objective.objects.filter(Q(pk__in=asked) | Q(parent__in=asked)), today)
        .annotate(
            asked=Case(
                When(pk__in=asked, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .select_related("target", "owner", "measure_kpi", "parent")
        .order_by("target__priority", "target__order", "target__name", "order", "pk")
    )
    items = [progress_of(plan, objective, won, today) for objective in rows]
    by_pk = {item.objective.pk: item for item in items}
    for item in items:
        parent = by_pk.get(item.objective.parent_id)
        if parent is not None:
            parent.shares.append(item)
    for item in items:
        if item.shares:
            roll_up(plan, item, today, won)
    return [item for item in items if item.objective.asked]


def roll_up(plan, item, today, won):
    """A split objective: how much is shared out and, without a KPI of its own, its figure from
    its reps' shares; measured by the deals won, the whole team's on its target."""
    objective = item.objective
    item.split = split_of(
        objective.to_split, (share.objective.target_value for share in item.shares)
    )
    if rolls_up(objective):
        item.rolled_up = True
        item.actual = rolled_up(
            objective.baseline, [(share.objective.baseline, share.actual) for share in item.shares]
        )
    elif objective.measured_by != Objective.Measure.KPI:
        item.actual = measure(objective, won, everyone=True)
    else:
        return
    item.attainment = progress.attainment(objective.baseline, objective.target_value, item.actual)
    item.measured_on = today
    item.expected = progress.expected(
        plan.period_start, objective.deadline or plan.period_end, today
    )
    item.standing = progress.standing(item.attainment, item.expected)


def progress_of(plan, objective, won, today):
    if objective.kind == Objective.Kind.QUALITATIVE:
        assessment = None
        if objective.verdict:
            verdict = Assessment.Verdict(objective.verdict)
            assessment = (verdict, objective.verdict_on, objective.verdict_comment)
        standing = VERDICT_STANDING.get(objective.verdict, progress.Standing.UNMEASURED)
        return ObjectiveProgress(
            objective, None, None, Decimal(0), standing, objective.verdict_on, assessment
        )
    actual = measure(objective, won)
    reached = progress.attainment(objective.baseline, objective.target_value, actual)
    # A KPI figure is compared with the pace expected on the day it was measured.
    measured_on = (
        objective.kpi_latest_on
        if objective.measured_by == Objective.Measure.KPI and objective.kpi_latest_on
        else today
    )
    due = progress.expected(plan.period_start, objective.deadline or plan.period_end, measured_on)
    return ObjectiveProgress(
        objective, actual, reached, due, progress.standing(reached, due), measured_on
    )
