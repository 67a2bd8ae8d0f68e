"""What the PAC's synthesis holds, the same for its PDF and its slides.

Action Co's fiche 07 recommends it for the presentation of the PAC: the key figures, the strategy
and diagnosis, the targets and their objectives, the actions by type then by rep, the planning by
theme, the budget, the carnet by month, and what the latest review decided. Each figure is
computed here once, from the selectors the pages use, so the meeting reads what the cockpit shows.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Sum
from django.utils.translation import gettext_lazy as _

from actions.models import Action
from actions.selectors import ZERO
from kpis.measures import objectives_progress
from pac.plans import selectors
from pac.steering import selectors as steering
from targets.models import CENT, Objective
from targets.progress import Standing

REACHED = "reached"
# The order of the key figures' objectives, from best to worst.
OBJECTIVE_GROUPS = (
    (REACHED, _("Reached")),
    (Standing.ON_TRACK, Standing.ON_TRACK.label),
    (Standing.AT_RISK, Standing.AT_RISK.label),
    (Standing.OFF_TRACK, Standing.OFF_TRACK.label),
    (Standing.UNMEASURED, Standing.UNMEASURED.label),
)


def objective_group(item):
    """Where an objective's progress counts in the key figures: reached once its figure gets to
    100 % of the way, else by its standing."""
    if item.attainment is not None and item.attainment >= 100:
        return REACHED
    return item.standing


@dataclass
class KeyFigures:
    """The page the meeting opens on."""

    objectives: list  # (key, label, count) in the order of OBJECTIVE_GROUPS
    planned: Decimal
    spent: Decimal
    envelope: Decimal
    pipeline: Decimal  # open deals weighted by their probability
    to_win: Decimal | None  # what the revenue objectives with a figure still have to win
    actions: int
    late: int

    @property
    def objective_count(self):
        return sum(count for _key, _label, count in self.objectives)

    @property
    def coverage(self):
        """How many times the weighted pipeline covers what is left to win, in %."""
        if not self.to_win:
            return None
        return (self.pipeline / self.to_win * 100).quantize(Decimal("1"))

    @property
    def envelope_left(self):
        return self.envelope - self.planned


def key_figures(objectives, budget_total, envelope, pipeline, actions, late):
    """The key figures from the objectives' progress and the plan's totals."""
    counts = defaultdict(int)
    for item in objectives:
        counts[objective_group(item)] += 1
    left = [item.left_to_win for item in objectives if item.left_to_win is not None]
    return KeyFigures(
        objectives=[(key, label, counts[key]) for key, label in OBJECTIVE_GROUPS],
        planned=budget_total.planned,
        spent=budget_total.actual,
        envelope=envelope,
        pipeline=pipeline,
        to_win=sum(left, ZERO) if left else None,
        actions=actions,
        late=late,
    )


@dataclass
class RepLine:
    """A rep's share of the plan's actions, in the table of actions by rep."""

    label: str
    actions: list = field(default_factory=list)

    @property
    def late(self):
        return sum(1 for action in self.actions if action.is_late)

    @property
    def done(self):
        return sum(1 for action in self.actions if action.status == Action.Status.DONE)

    @property
    def planned(self):
        return sum((action.budget_planned for action in self.actions), ZERO)


@dataclass
class DomainActions:
    label: str
    reps: list  # RepLine, by name, nobody last
    count: int


def by_domain_then_rep(actions):
    """The actions of each domain with some, grouped by owner: "une présentation par type
    d'actions", then "par responsable commercial"."""
    domains = {value: defaultdict(list) for value in Action.Domain.values}
    for action in actions:
        domains[action.domain][action.owner].append(action)
    groups = []
    for value, label in Action.Domain.choices:
        owners = domains[value]
        if not owners:
            continue
        reps = [
            RepLine(str(owner) if owner else str(_("Nobody")), owners[owner])
            for owner in sorted(owners, key=lambda o: (o is None, str(o or "").lower()))
        ]
        groups.append(DomainActions(label, reps, sum(len(rep.actions) for rep in reps)))
    return groups


def by_rep(actions):
    """Each owner's actions across the domains, by name, nobody last."""
    owners = defaultdict(list)
    for action in actions:
        owners[action.owner].append(action)
    return [
        RepLine(str(owner) if owner else str(_("Nobody")), owners[owner])
        for owner in sorted(owners, key=lambda o: (o is None, str(o or "").lower()))
    ]


def open_pipeline(plan):
    """The open deals of the plan weighted by their probability, in euros: one query."""
    weighted = plan.deals.open().aggregate(total=Sum(F("amount") * F("probability")))["total"]
    return (Decimal(weighted or 0) / 100).quantize(CENT)


def plan_actions(plan, today):
    """Every action with what its line shows: target, owner, lateness."""
    return list(
        Action.objects.of_plan(plan)
        .with_lateness(today)
        .select_related("target", "owner")
        .order_by("start_date", "end_date", "pk")
    )


def corrective_actions(review, today):
    """The corrective actions the review decided that are still open, with their lateness."""
    if review is None:
        return []
    return list(
        review.corrective_actions.open()
        .with_lateness(today)
        .select_related("target", "owner")
        .order_by("end_date", "pk")
    )


def synthesis(plan, today):
    """Everything the synthesis shows, as of `today`."""
    every = objectives_progress(plan, Objective.objects.of_plan(plan), today)
    # The team's objectives; the reps' shares of them come with each (`shares`).
    objectives = [item for item in every if not item.objective.is_share]
    actions = plan_actions(plan, today)
    budget = selectors.budget_summary(plan)
    deals = steering.deal_figures(plan.deals.all())
    latest_review = plan.reviews.first()
    progress = {item.objective.pk: item for item in objectives}
    targets = selectors.targets_section(plan)["targets"]
    for target in targets:
        target.progress = [
            progress[objective.pk]
            for objective in target.team_objectives
            if objective.pk in progress
        ]
    return {
        "figures": key_figures(
            objectives,
            budget["budget_total"],
            plan.budget_envelope,
            open_pipeline(plan),
            len(actions),
            sum(1 for action in actions if action.is_late),
        ),
        **selectors.strategy_section(plan),
        **selectors.swot_section(plan),
        **selectors.competitors_section(plan),
        "targets": targets,
        "objectives": objectives,
        "rep_standings": steering.with_late(
            steering.rep_standings(plan, every, today), steering.late_by_rep(plan, today)
        ),
        "domains": by_domain_then_rep(actions),
        "reps": by_rep(actions),
        "actions": actions,
        "late_actions": sorted(
            (action for action in actions if action.is_late), key=lambda a: (a.end_date, a.pk)
        ),
        **budget,
        "deals_by_month": deals.by_month,
        "deals_count": deals.count,
        "deals_weighted_total": deals.weighted_total,
        "latest_review": latest_review,
        "corrective_actions": corrective_actions(latest_review, today),
    }
