"""The demo plan's KPIs and their values: a value at the end of each past month, some KPIs with a
target per week or per month, each rep at their own pace."""

from datetime import date, timedelta
from decimal import Decimal

from kpis.models import Kpi, KpiValue, period_of
from pac.demo.rows import saved
from targets.models import Assessment, Objective

# How fast each KPI of the demo moves, as a share of the steady pace: some ahead, some behind,
# so the PACI and the cockpit have every standing to show.
PACES = [1.05, 0.8, 0.95, 0.6, 1.0, 0.7]


# Action KPIs: action title, name, unit, target, frequency, per period?
ACTION_KPIS = [
    (
        "Prospection téléphonique des PME industrielles",
        "Appels passés",
        "appels",
        60,
        Kpi.Frequency.WEEKLY,
        True,
    ),
    (
        "Campagne LinkedIn cybersécurité",
        "Leads générés",
        "leads",
        120,
        Kpi.Frequency.MONTHLY,
        False,
    ),
    (
        "Rendez-vous de découverte SOC",
        "Démonstrations du SOC",
        "démonstrations",
        4,
        Kpi.Frequency.MONTHLY,
        True,
    ),
]


def build_kpis(plan, actions, objectives, users, today):
    """KPIs on the objectives measured by a KPI (which then measures them) and on a few actions,
    with a value at the end of each past month, or of each past period for a target per period;
    an assessment of a qualitative objective."""
    paces = iter(PACES * 10)
    for objective in objectives:
        if objective.measured_by != Objective.Measure.KPI:
            continue
        kpi = saved(
            Kpi(
                objective=objective,
                name=objective.metric,
                unit=objective.unit,
                target_value=objective.target_value,
                direction=Kpi.Direction.INCREASE,
                frequency=Kpi.Frequency.MONTHLY,
                owner=objective.owner,
            )
        )
        objective.measure_kpi = kpi
        saved(objective)
        record_monthly(kpi, objective.baseline, plan, today, pace=next(paces))
    by_title = {action.title: action for action in actions}
    for title, name, unit, target, frequency, per_period in ACTION_KPIS:
        action = by_title[title]
        kpi = saved(
            Kpi(
                action=action,
                name=name,
                unit=unit,
                target_value=Decimal(target),
                direction=Kpi.Direction.INCREASE,
                frequency=frequency,
                per_period=per_period,
                owner=action.owner,
            )
        )
        if per_period:
            record_per_period(kpi, action, today, pace=next(paces))
        else:
            record_monthly(kpi, Decimal(0), plan, today, pace=next(paces), whole=True)
    qualitative = next(o for o in objectives if o.kind == Objective.Kind.QUALITATIVE)
    saved(
        Assessment(
            objective=qualitative,
            assessed_on=max(plan.period_start, today - timedelta(days=20)),
            verdict=Assessment.Verdict.PARTLY,
            comment="Trois DSI sur huit nous consultent déjà sur NIS 2.",
            recorded_by=users["manager"],
        )
    )


def record_per_period(kpi, action, today, pace):
    """The figure of each period of the action that has ended by today, at `pace` times the
    per-period target give or take a little, in whole numbers."""
    day = action.start_date
    wobble = iter([1.0, 0.8, 1.15, 0.9, 1.05, 0.7] * 20)
    while day <= min(today, action.end_date):
        first, last = period_of(kpi.frequency, day)
        if last >= today:
            break
        value = (kpi.target_value * Decimal(str(round(pace * next(wobble), 2)))).quantize(
            Decimal("1")
        )
        saved(
            KpiValue(
                kpi=kpi,
                recorded_on=min(last, action.end_date),
                value=value,
                recorded_by=kpi.owner,
                comment="Bilan de la période",
            )
        )
        day = last + timedelta(days=1)


def record_monthly(kpi, baseline, plan, today, pace, whole=False):
    """One value at the end of each past month, moving from the baseline towards the target at
    `pace` times the straight-line pace."""
    months = []
    day = plan.period_start
    while day <= min(today, plan.period_end):
        next_month = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        month_end = next_month - timedelta(days=1)
        if month_end < today:
            months.append(month_end)
        day = next_month
    total_days = (plan.period_end - plan.period_start).days
    for month_end in months:
        elapsed = (month_end - plan.period_start).days / total_days
        value = baseline + (kpi.target_value - baseline) * Decimal(str(round(pace * elapsed, 4)))
        if whole:  # things counted, like visits, come in whole numbers
            value = value.quantize(Decimal("1"))
        saved(
            KpiValue(
                kpi=kpi,
                recorded_on=month_end,
                value=value.quantize(Decimal("0.01")),
                recorded_by=kpi.owner,
                comment="Relevé mensuel",
            )
        )
