"""KPIs with their recorded values, for check-ins, charts and the cockpit."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import OuterRef, Prefetch, Subquery

from kpis.models import Kpi, KpiValue, period_of
from pac.core.models import NAME_FIELDS, User
from targets import progress


@dataclass(frozen=True)
class Latest:
    """A KPI's latest value up to the day asked, as the pages show it."""

    value: Decimal
    recorded_on: date


VALUE_PLACES = Decimal(1).scaleb(-KpiValue._meta.get_field("value").decimal_places)


def latest_of(value, on):
    """The latest value from a subquery: SQLite returns its decimals unscaled (2, not 2.00) or as
    floats; scale them as the column would be."""
    if on is None:
        return None
    return Latest(Decimal(str(value)).quantize(VALUE_PLACES), on)


def with_latest(kpis, today):
    """KPIs annotated with their latest value up to `today` (`latest_value`, `latest_on`): a
    subquery per KPI, so no value row is loaded whatever their number."""
    latest = KpiValue.objects.filter(kpi=OuterRef("pk"), recorded_on__lte=today).order_by(
        "-recorded_on"
    )
    return kpis.annotate(
        latest_value=Subquery(latest.values("value")[:1]),
        latest_on=Subquery(latest.values("recorded_on")[:1]),
    )


def with_standing(kpis, plan, today):
    """KPIs with their latest value up to `today` and their standing, in one query."""
    kpis = list(with_latest(kpis.select_related("owner", "action", "objective"), today))
    for kpi in kpis:
        kpi.latest = latest_of(kpi.latest_value, kpi.latest_on)
        kpi.attainment, kpi.expected, kpi.standing = kpi_standing(kpi, plan, today)
        # The period a per-period figure is for, as the pages name it.
        kpi.latest_period = (
            period_of(kpi.frequency, kpi.latest.recorded_on)
            if kpi.per_period and kpi.latest
            else None
        )
    return kpis


def standings(kpis, plan, today):
    """Every KPI's standing from plain rows (one query, no model instance): enough to count and
    rank thousands of KPIs. Each row has pk, owner_id, name, attainment, expected and standing."""
    rows = with_latest(kpis, today).values_list(
        "pk",
        "name",
        "direction",
        "target_value",
        "per_period",
        "frequency",
        "latest_value",
        "latest_on",
        "action_id",
        "action__start_date",
        "action__end_date",
        "objective_id",
        "objective__baseline",
        "objective__deadline",
        "owner_id",
    )
    result = []
    for row in rows:
        pk, name, direction, target, per_period, frequency, value, on, action, start, end = row[:11]
        objective, base, due, owner = row[11:]
        # The same attributes as a Kpi, for kpi_standing and horizon.
        kpi = SimpleNamespace(
            pk=pk,
            owner_id=owner,
            name=name,
            direction=direction,
            target_value=target,
            per_period=per_period,
            frequency=frequency,
            latest=latest_of(value, on),
            action=SimpleNamespace(start_date=start, end_date=end) if action else None,
            objective=SimpleNamespace(baseline=base, deadline=due) if objective else None,
        )
        kpi.attainment, kpi.expected, kpi.standing = kpi_standing(kpi, plan, today)
        result.append(kpi)
    return result


def loaded(pks, plan, today):
    """These KPIs as whole KPIs (owner, action, objective, latest value, standing), in the
    order of `pks`: one query for the few a page shows."""
    if not pks:
        return []
    by_pk = {kpi.pk: kpi for kpi in with_standing(Kpi.objects.filter(pk__in=pks), plan, today)}
    return [by_pk[pk] for pk in pks]


@dataclass(frozen=True)
class ValueRow:
    """A recorded value as charts and lists show it: pages draw hundreds of them, and a model
    instance with its user costs ten times more to build."""

    recorded_on: date
    value: Decimal
    comment: str
    recorded_by: str  # the name of who recorded it


def with_series(kpis, today):
    """Give each KPI its values up to `today` in date order (`series`, ValueRows): one query."""
    series = {kpi.pk: [] for kpi in kpis}
    rows = (
        KpiValue.objects.filter(kpi__in=list(series), recorded_on__lte=today)
        .order_by("recorded_on", "pk")
        .values_list(
            "kpi_id",
            "recorded_on",
            "value",
            "comment",
            *(f"recorded_by__{name}" for name in NAME_FIELDS),
        )
    )
    for kpi_id, recorded_on, value, comment, *name in rows:
        by = User.name_of(*name)
        series[kpi_id].append(ValueRow(recorded_on, value, comment, by))
    for kpi in kpis:
        kpi.series = series[kpi.pk]
    return kpis


def with_values(kpis, plan, today):
    """KPIs with their standing and all their values up to `today`: two queries."""
    return with_series(with_standing(kpis, plan, today), today)


# The order in which KPIs call for attention: the furthest behind first.
ATTENTION = [
    progress.Standing.OFF_TRACK,
    progress.Standing.AT_RISK,
    progress.Standing.UNMEASURED,
    progress.Standing.ON_TRACK,
]


def attention_key(kpi):
    """A KPI's place in the order of attention: off track first, the largest gap to the
    expected pace first within a standing, then by name. Plain numbers and text (the gap as a
    float orders as its decimal does), cheap to keep for thousands of KPIs."""
    gap = (kpi.expected or 0) - (kpi.attainment or 0)
    return ATTENTION.index(kpi.standing), -float(gap), kpi.name, kpi.pk


def by_attention(kpis):
    """Off track first, the largest gap to the expected pace first within a standing."""
    return sorted(kpis, key=attention_key)


def horizon(kpi, plan):
    """The dates a KPI's target is meant for: its action's, else the plan's period."""
    action = kpi.action
    if action is not None and action.start_date and action.end_date:
        return action.start_date, action.end_date
    deadline = kpi.objective.deadline if kpi.objective is not None else None
    return plan.period_start, deadline or plan.period_end


# A "lower is better" KPI within this share above its target is at risk, beyond it off track.
DECREASE_TOLERANCE = Decimal("0.10")


def current_period(kpi, plan, today):
    """The period a per-period KPI is judged on: the one holding today, or the last one of its
    horizon once that is over."""
    return period_of(kpi.frequency, min(today, horizon(kpi, plan)[1]))


def kpi_standing(kpi, plan, today):
    """(attainment %, expected %, standing) of a KPI from its latest value up to `today`.

    Higher is better: the latest value against the target, from zero (or from the baseline of the
    objective it measures), compared with the pace expected over the KPI's horizon on the day it
    was measured (7 of 12 visits halfway through is on track). A target per period is due whole
    in the current period, whatever share of the action's time has gone: 20 demos this week
    against 30 a week is behind, and a week with nothing recorded yet is not measured yet.
    Lower is better: at or under the target is on track, up to 10 % above at risk, beyond off
    track.
    """
    if kpi.latest is None:
        return None, None, progress.Standing.UNMEASURED
    if kpi.per_period and kpi.latest.recorded_on < current_period(kpi, plan, today)[0]:
        return None, None, progress.Standing.UNMEASURED
    value, target = kpi.latest.value, kpi.target_value
    if kpi.direction == Kpi.Direction.DECREASE:
        if value <= target:
            return None, None, progress.Standing.ON_TRACK
        if value <= target * (1 + DECREASE_TOLERANCE):
            return None, None, progress.Standing.AT_RISK
        return None, None, progress.Standing.OFF_TRACK
    if kpi.per_period:
        reached = progress.attainment(0, target, value)
        return reached, progress.HUNDRED, progress.standing(reached, progress.HUNDRED)
    # A KPI that measures an objective starts from the objective's baseline, like the objective.
    baseline = kpi.objective.baseline if kpi.objective is not None else 0
    reached = progress.attainment(baseline, target, value)
    due = progress.expected(*horizon(kpi, plan), kpi.latest.recorded_on)
    return reached, due, progress.standing(reached, due)


def per_period_points(kpi):
    """A per-period KPI's figure of each period (the last value recorded in it), dated by the
    period's first day, from `series`: what its chart draws against the per-period target."""
    figures = {}
    for value in kpi.series:
        figures[period_of(kpi.frequency, value.recorded_on)[0]] = value.value
    return sorted(figures.items())


def action_kpis(action):
    """The KPIs of an action, each with its values newest first."""
    kpis = (
        Kpi.objects.filter(action=action)
        .select_related("owner")
        .prefetch_related(
            Prefetch("values", queryset=KpiValue.objects.order_by("-recorded_on"), to_attr="latest")
        )
    )
    return {"kpis": list(kpis)}
