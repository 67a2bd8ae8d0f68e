"""Server time and queries of the main pages on the benchmark data (see seed_bench).

Each page is requested through Django's test client in this process, so the figures are the
server's own time, without network. Run by `make bench`, which builds fresh databases first.
"""

import json
import statistics
import time
from contextlib import nullcontext
from decimal import Decimal
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.cache.backends.dummy import DummyCache
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from actions import services as action_services
from actions.models import Action, ActionStep
from kpis import services as kpi_services
from kpis.models import Kpi
from pac.bench import urls as bench_urls
from pac.core import revisions
from pac.core.models import Plan, Role, User

# Budgets of issue 7: queries per page, p95 of an HTML page at `large` on SQLite, page / admin.
QUERY_BUDGET = 15
P95_BUDGET_MS = 50
# Pages computed afresh on every request, as the first reader after a change of the plan sees them.
COLD = " (after a change)"
# The PACI and the cockpit are kept under finer tokens (pac.core.revisions): measured after the
# writes that make most of a plan's changes, a check-in or a tick by a colleague, each request
# following a write of its own.
CHECK_IN = " (after a colleague's check-in)"
TICK = " (after a colleague's tick)"
FINER_PAGES = {"PACI", "cockpit"}
# The pages computed once per revision of their plan (pac.revisions).
CACHED_PAGES = {
    "plan overview",
    "action list",
    "calendar month",
    "timeline",
    "PACI",
    "cockpit",
    "diagnosis",
}


class Command(BaseCommand):
    help = "Time the main pages on the benchmark data and print a table (also saved as JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--size", default="small", help="The label of the dataset.")
        parser.add_argument("--requests", type=int, default=30)
        parser.add_argument("--output", default=str(settings.BASE_DIR / "var" / "bench"))

    def handle(self, *args, size, requests, output, **options):
        plan = Plan.objects.filter(team__name__startswith="Bench ").order_by("pk").first()
        if plan is None:
            self.stderr.write("No benchmark data: run `manage.py seed_bench` first.")
            return
        manager = User.objects.get(memberships__team=plan.team, memberships__role=Role.MANAGER)
        rep = User.objects.filter(memberships__team=plan.team, memberships__role=Role.REP).first()
        action = Action.objects.of_plan(plan).order_by("pk").first()
        staff, _ = User.objects.get_or_create(
            username="bench-staff", defaults={"is_staff": True, "is_superuser": True}
        )
        month = plan.period_start.strftime("%Y-%m")
        pages = [
            ("plans list", manager, reverse("pac:plan-list")),
            ("plan overview", manager, plan.get_absolute_url()),
            ("action list", manager, reverse("actions:action-list", args=[plan.pk])),
            ("action sheet", manager, reverse("actions:action-detail", args=[plan.pk, action.pk])),
            (
                "calendar month",
                manager,
                reverse("pac:calendar", args=[plan.pk]) + f"?month={month}",
            ),
            ("timeline", manager, reverse("pac:timeline", args=[plan.pk])),
            ("PACI", rep, reverse("pac:paci", args=[plan.pk, rep.username])),
            ("cockpit", manager, reverse("pac:cockpit", args=[plan.pk])),
            ("diagnosis", manager, reverse("pac:diagnosis", args=[plan.pk])),
        ]
        # The first reader after a change computes what the others read from the cache.
        pages += [(label + COLD, user, url) for label, user, url in pages if label in CACHED_PAGES]
        colleague = Colleagues(plan, rep)
        writes = {CHECK_IN: colleague.check_in, TICK: colleague.tick}
        after_writes = [
            (label + kind, user, url, write)
            for kind, write in writes.items()
            for label, user, url in pages
            if label in FINER_PAGES
        ]
        references = [
            ("admin actions (reference)", staff, reverse("admin:actions_action_changelist"))
        ]
        with override_settings(ROOT_URLCONF=bench_urls, DEBUG=False, ALLOWED_HOSTS=["*"]):
            client = Client()
            client.force_login(manager)
            bench_urls.FLOOR["body"] = client.get(plan.get_absolute_url()).content
            references.append(("floor (reference)", manager, "/bench-floor/"))
            # Two rounds, each with the references: the writes of the second would turn the
            # first's pages read between changes into pages read after one.
            rows = with_ratios(measure_all(pages + references, requests))
            written = with_ratios(measure_all(after_writes + references, requests))
        rows[-2:-2] = written[: len(after_writes)]
        engine = connection.vendor
        self.print_table(size, engine, rows)
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"pages-{engine}-{size}.json").write_text(json.dumps(rows, indent=2))

    def print_table(self, size, engine, rows):
        self.stdout.write(f"\n{engine} · {size}")
        self.stdout.write(
            f"{'page':40} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'/admin':>7} {'/floor':>7}"
        )
        for row in rows:
            self.stdout.write(
                f"{row['page']:40} {row['p50_ms']:8.1f} {row['p95_ms']:8.1f} {row['queries']:8} "
                f"{row['vs_admin']:7.2f} {row['vs_floor']:7.1f}"
            )
        pages = [row for row in rows if "reference" not in row["page"]]
        over_queries = [row["page"] for row in pages if row["queries"] > QUERY_BUDGET]
        over_time = [row["page"] for row in pages if row["p95_ms"] > P95_BUDGET_MS]
        over_admin = [row["page"] for row in pages if row["vs_admin"] > 1]
        self.stdout.write(
            f"budgets: queries ≤ {QUERY_BUDGET}: {verdict(over_queries)}"
            f" · p95 ≤ {P95_BUDGET_MS} ms: {verdict(over_time)}"
            f" · page/admin ≤ 1: {verdict(over_admin)}"
        )


def with_ratios(rows):
    """Each row's median against the admin's and the floor's of the same round."""
    admin = next(row for row in rows if row["page"].startswith("admin"))
    floor = next(row for row in rows if row["page"].startswith("floor"))
    for row in rows:
        row["vs_admin"] = round(row["p50_ms"] / admin["p50_ms"], 2)
        row["vs_floor"] = round(row["p50_ms"] / floor["p50_ms"], 1)
    return rows


def verdict(over):
    return "met" if not over else "over for " + ", ".join(over)


def measure_all(pages, requests):
    """Median and 95th percentile of each page's server time over `requests` requests, and the
    number of queries of one request (after a warm-up).

    Pages labelled COLD are computed afresh on each request; a page with a write makes it before
    each of its requests, untimed, and reads with the cache as that write left it; the others
    find what the requests before them left in the cache, as a plan's readers do between two
    changes.

    The pages take turns, one request each per round: on a shared machine the speed drifts from
    minute to minute, and measuring one page after the other would charge that drift to some
    pages and spare others, the admin reference included.
    """
    clients = []
    rows = []
    pages = [(*page, None)[:4] for page in pages]  # (label, user, url, write before each request)
    for label, user, url, write in pages:
        client = Client()
        client.force_login(user)
        response = client.get(url)  # a warm-up, which fills the cache for the warm pages
        assert response.status_code == 200, (url, response.status_code)
        clients.append((client, url))
        if write is not None:
            write()  # the queries of the first request after the write, the cache in use
        queries = count_queries(client, url, afresh=write is None)
        rows.append({"page": label, "queries": queries, "bytes": len(response.content)})
    times = [[] for _ in pages]
    for _ in range(requests):
        for (label, _user, _url, write), (client, url), page_times in zip(
            pages, clients, times, strict=True
        ):
            if write is not None:
                write()
            with without_cache() if label.endswith(COLD) else nullcontext():
                started = time.perf_counter()
                client.get(url)
                page_times.append((time.perf_counter() - started) * 1000)
    for row, page_times in zip(rows, times, strict=True):
        page_times.sort()
        row["p50_ms"] = round(statistics.median(page_times), 1)
        row["p95_ms"] = round(page_times[max(0, int(len(page_times) * 0.95) - 1)], 1)
    return rows


def without_cache():
    """Pages computed afresh, as the first reader after a change sees them; the warm pages'
    entries stay where they are."""
    return mock.patch.object(revisions, "cache", DummyCache("bench", {}))


def count_queries(client, url, afresh=True):
    """The queries of a request computed afresh (what the budget is about), or with the cache
    as it is."""
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with without_cache() if afresh else nullcontext(), connection.execute_wrapper(count):
        client.get(url)
    return len(queries)


class Colleagues:
    """Writes by the reps of the plan other than `rep`, through the services, one per call: a
    check-in on a KPI of an action that has no value today (the KPIs of objectives move every
    page), a tick or untick of a step of an action `rep` has no part in."""

    def __init__(self, plan, rep):
        self.today = timezone.localdate()
        kpis = (
            Kpi.objects.of_plan(plan)
            .filter(objective__isnull=True, measured_objectives__isnull=True)
            .exclude(owner=rep)
            .exclude(owner__isnull=True)
            .exclude(values__recorded_on=self.today)
            .select_related("owner", "action__target__plan")
            .order_by("pk")
        )
        self.kpis = iter(kpis)
        theirs = Action.objects.of_plan(plan).exclude(pk__in=Action.objects.involving(rep))
        self.steps = list(
            ActionStep.objects.filter(action__in=theirs.exclude(owner__isnull=True))
            .select_related("action__owner", "action__target__plan")
            .order_by("pk")[:20]
        )
        self.ticks = 0

    def check_in(self):
        kpi = next(self.kpis)
        kpi_services.kpi_value_record(
            actor=kpi.owner, kpi=kpi, value=Decimal(self.ticks % 7 * 10), on=self.today
        )

    def tick(self):
        step = self.steps[self.ticks % len(self.steps)]
        self.ticks += 1
        step.refresh_from_db(fields=["done", "version"])
        action_services.step_set_done(actor=step.action.owner, step=step, done=not step.done)
