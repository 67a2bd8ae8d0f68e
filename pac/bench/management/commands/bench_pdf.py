"""Time the PDF documents on a plan of N actions, built for the run and rolled back after."""

import resource
import statistics
import time
from datetime import timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone, translation
from weasyprint import HTML

from actions.models import Action, ActionStep
from kpis.models import Kpi, KpiValue
from pac.core.models import Membership, Plan, Role, Team, User
from pac.demo.data import semester_of
from pac.documents import content
from pac.documents.pdf import STATIC_BASE, Part, StaticOnlyFetcher, font_config, part_html, render
from pac.plans.models import SwotItem
from targets.models import Deal, Objective, Target


class Rollback(Exception):
    pass


# The documents, by the label bench_pdf prints.
DOCUMENTS = [
    ("synthese", "the synthesis of the PAC"),
    ("dossier", "the full dossier"),
    ("PACI", "a rep's PACI"),
    ("fiche", "one action sheet"),
]


class Command(BaseCommand):
    help = (
        "Print the four documents of a plan of --actions actions: median seconds, pages, ratio "
        "to WeasyPrint alone on the same HTML, and each part's seconds."
    )

    def add_arguments(self, parser):
        parser.add_argument("--actions", type=int, default=200)
        parser.add_argument("--runs", type=int, default=5, help="Prints per document (5).")
        parser.add_argument(
            "--only",
            choices=[label for label, _kind in DOCUMENTS],
            help="One document, for a process of its own (its peak memory is printed).",
        )

    def handle(self, *args, actions, runs, only, **options):
        translation.activate("fr")
        try:
            with transaction.atomic():
                plan, rep, action = build(actions)
                user = User.objects.get(username="bench-manager")
                today = timezone.localdate()
                makers = {
                    "synthese": lambda: content.plan_document(plan, user, today),
                    "dossier": lambda: content.plan_document(plan, user, today, dossier=True),
                    "PACI": lambda: content.paci_document(plan, rep, user, today),
                    "fiche": lambda: content.action_document(plan, action, user, today),
                }
                for label, _kind in DOCUMENTS:
                    if only in (None, label):
                        self.report(label, makers[label], runs)
                raise Rollback
        except Rollback:
            pass
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(f"peak memory of this process: {peak:.0f} MB")

    def report(self, label, make, runs):
        """Our whole print (queries, templates, each part laid out, joined and numbered)
        against WeasyPrint alone on the same HTML of each part: the ratio says what PAC adds."""
        times, alone = [], []
        for _ in range(runs):
            started = time.perf_counter()
            printed = render(make())
            times.append(time.perf_counter() - started)
        document = make()
        htmls = [part_html(document, part) for part in document.parts]
        if document.cover:
            htmls.append(part_html(document, Part([document.cover]), {"contents": []}))
        for _ in range(runs):
            started = time.perf_counter()
            for html in htmls:
                HTML(
                    string=html,
                    base_url=STATIC_BASE,
                    url_fetcher=StaticOnlyFetcher(document.images),
                ).write_pdf(font_config=font_config())
            alone.append(time.perf_counter() - started)
        median = statistics.median(times)
        self.stdout.write(
            f"{label:9} median {median:6.2f} s  ({min(times):.2f}–{max(times):.2f})  "
            f"{printed.pages:4} pages  WeasyPrint alone {statistics.median(alone):6.2f} s  "
            f"ratio {median / statistics.median(alone):5.2f}"
        )
        for key, seconds, pages in printed.timings:
            self.stdout.write(f"    {key:14} {seconds:6.2f} s  {pages:4} pages")


def build(count):
    """A plan of `count` actions over 8 targets, 3 steps and a KPI with 6 values each."""
    start, end = semester_of(timezone.localdate())
    team, reps = build_team()
    plan = build_plan(team, start, end)
    targets = build_targets(plan, reps, end)
    span = (end - start).days
    first = None
    for i in range(count):
        begin = start + timedelta(days=(i * 7) % (span - 30))
        action = build_action(plan, targets[i % 8], reps[i % 5], i, begin, start)
        first = first or action
    return plan, reps[0], first


def build_team():
    """The team: "bench-manager" and five reps."""
    team = Team.objects.create(name="Bench PDF")
    manager = User.objects.create_user("bench-manager", first_name="Bench", last_name="Manager")
    reps = [
        User.objects.create_user(f"bench-rep{i}", first_name="Rep", last_name=str(i))
        for i in range(5)
    ]
    Membership.objects.create(team=team, user=manager, role=Role.MANAGER)
    for rep in reps:
        Membership.objects.create(team=team, user=rep, role=Role.REP)
    return team, reps


def build_plan(team, start, end):
    """The plan, with a long strategy and five SWOT items a quadrant."""
    plan = Plan.objects.create(
        team=team,
        title="Plan de test",
        period_start=start,
        period_end=end,
        budget_envelope=Decimal("1000000"),
        strategy="Stratégie " * 40,
    )
    for quadrant in SwotItem.Quadrant.values:
        SwotItem.objects.bulk_create(
            SwotItem(plan=plan, quadrant=quadrant, text=f"{quadrant} {i}") for i in range(5)
        )
    return plan


def build_targets(plan, reps, end):
    """Eight targets, an objective each."""
    targets = [
        Target.objects.create(plan=plan, kind="segment", name=f"Cible {i}") for i in range(8)
    ]
    for i, target in enumerate(targets):
        Objective.objects.create(
            target=target,
            title=f"Objectif {i}",
            metric="CA",
            unit="€",
            baseline=Decimal("0"),
            target_value=Decimal("100000"),
            deadline=end,
            owner=reps[i % 5],
        )
    return targets


def build_action(plan, target, rep, i, begin, start):
    """The `i`-th action, from `begin`, with its 3 steps, its KPI of 6 values and a deal."""
    action = Action.objects.create(
        target=target,
        domain="sales",
        sales_type="hunting",
        title=f"Action {i}",
        description="Description " * 10,
        means="Moyens",
        owner=rep,
        start_date=begin,
        end_date=begin + timedelta(days=25),
        budget_planned=Decimal("1000"),
    )
    ActionStep.objects.bulk_create(
        ActionStep(
            action=action, title=f"Étape {j}", due_date=begin + timedelta(days=5 * j), order=j
        )
        for j in range(3)
    )
    kpi = Kpi.objects.create(
        action=action,
        name=f"KPI {i}",
        unit="rdv",
        target_value=Decimal("10"),
        owner=rep,
    )
    KpiValue.objects.bulk_create(
        KpiValue(
            kpi=kpi,
            recorded_on=start + timedelta(days=15 * j),
            value=Decimal(j),
            recorded_by=rep,
        )
        for j in range(6)
    )
    Deal.objects.create(
        plan=plan,
        company=f"Client {i}",
        amount=Decimal("5000"),
        probability=50,
        milestone_date=begin,
        owner=rep,
        stage="proposal",
    )
    return action
