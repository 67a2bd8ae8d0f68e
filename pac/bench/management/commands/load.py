"""`make load`: gunicorn with 2 workers on the benchmark data, under a mixed load from locust.

The command writes the workload (pac/bench/locustfile.py explains it), starts gunicorn on 127.0.0.1
with the production settings, runs locust headless for a fixed time, stops gunicorn and prints
the requests per second, p50/p95/p99 and errors. It exits with an error when any request failed.

With `--capacity` the users pause no more: each sends its next request when the previous one
answered, and their number is stepped up (1, 2, 3, 4, 6, 8...) for `--step` seconds each, one
locust run a step against the same servers, until p95 passes `--p95` ms. It prints each step
and the highest request rate held under the threshold, writes them to capacity.json and fails
on any error too. `--cluster` loads the balancer of pac/bench/cluster.py (PostgreSQL only)
rather than a gunicorn of its own.
"""

import csv
import itertools
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ActionStep
from kpis.models import Kpi, KpiValue
from pac.bench.capacity import (
    REQUESTS_PER_USER,
    beyond,
    ensure_no_errors,
    held,
    sizing,
    step_figures,
    write_share,
)
from pac.bench.capacity import USERS as CAPACITY_USERS
from pac.core.models import Plan, Role, User
from targets.models import Deal

# Users who steer the big plan and users of other teams; the rest are its reps. Only reps write.
MANAGERS, OUTSIDERS = 5, 5
WARM_UP_SECONDS = 5


class Command(BaseCommand):
    help = (
        "Drive gunicorn (2 workers) with a mixed load of --users users for --duration seconds, "
        "or, with --capacity, step up closed-loop users until p95 passes --p95 ms."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=50)
        parser.add_argument("--duration", type=int, default=60, help="Seconds (60).")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument(
            "--workers", type=int, help="gunicorn workers (2), or per node with --cluster (1)."
        )
        parser.add_argument("--output", default=str(settings.BASE_DIR / "var" / "load"))
        parser.add_argument(
            "--capacity",
            action="store_true",
            help="Closed loop: users without pauses, stepped up until p95 passes --p95.",
        )
        parser.add_argument("--step", type=int, default=20, help="Seconds a step lasts (20).")
        parser.add_argument(
            "--max-users", type=int, default=CAPACITY_USERS[-1], help="Users of the last step."
        )
        parser.add_argument("--p95", type=int, default=300, help="Threshold in ms (300).")
        parser.add_argument(
            "--cluster",
            action="store_true",
            help="Drive the balancer of a cluster (pac/bench/cluster.py) on DATABASE_URL.",
        )
        parser.add_argument("--nodes", type=int, default=2, help="Nodes of the cluster (2).")

    def handle(self, *args, output, capacity, cluster, users, duration, **options):
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        if cluster and connection.vendor != "postgresql":
            raise CommandError(
                "The cluster's nodes share one database: set DATABASE_URL to a PostgreSQL one."
            )
        workload = folder / "workload.json"
        if capacity:
            steps = [count for count in CAPACITY_USERS if count <= options["max_users"]] or [1]
            data = build_capacity_workload(steps[-1])
        else:
            data = build_workload(users)
        # The cluster's shape of issue 20: two nodes of one worker, where one gunicorn has two.
        workers = options.pop("workers") or (1 if cluster else 2)
        with serving(folder, workload, cluster=cluster, workers=workers, **options) as served:
            url, env, servers = served
            if capacity:
                self.stdout.write(
                    f"{servers} · {connection.vendor} · closed loop, {options['step']} s a step"
                )
                total = workers * options["nodes"] if cluster else workers
                self.run_capacity(
                    folder, workload, data, url, env, steps, servers, total, **options
                )
                return
            write_check_ins(workload, data, duration)
            self.stdout.write(
                f"{servers} · {connection.vendor} · locust: {users} users for {duration} s"
            )
            run_locust(env, folder, url, users=users, seconds=duration)
        summary = summarize(folder / "locust_stats.csv")
        (folder / "load.json").write_text(json.dumps(summary, indent=2))
        self.print_summary(summary)
        if summary["total"]["failures"]:
            raise CommandError(
                f"{summary['total']['failures']} requests failed: see {folder}/locust_failures.csv"
                f" and {folder}/gunicorn.log"
            )

    def run_capacity(
        self, folder, workload, data, url, env, users_steps, servers, workers, **options
    ):
        """One locust run per step against the same servers, so that each step's percentiles
        are its own (locust's statistics of one run are cumulative)."""
        threshold, seconds = options["p95"], options["step"]
        self.stdout.write(
            f"{'users':>6} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'errors':>7} {'writes':>7}"
        )
        # A worker compiles its templates and fills its caches on its first requests: a short
        # run first, not counted, so that the first step measures the pages, not their first load.
        write_check_ins(workload, data, WARM_UP_SECONDS)
        run_locust(
            env,
            folder,
            url,
            users=workers,
            seconds=WARM_UP_SECONDS,
            name="locust_warm_up",
            closed=True,
        )
        warm_up = summarize(folder / "locust_warm_up_stats.csv")["total"]
        if warm_up["failures"]:
            raise CommandError(
                f"{warm_up['failures']} requests failed while warming up: see "
                f"{folder}/locust_warm_up_failures.csv and the servers' logs"
            )
        steps = []
        for users in users_steps:
            write_check_ins(workload, data, seconds)
            name = f"locust_step_{users:02}"
            run_locust(env, folder, url, users=users, seconds=seconds, name=name, closed=True)
            step = step_figures(users, summarize(folder / f"{name}_stats.csv"))
            steps.append(step)
            self.stdout.write(
                f"{users:6} {step['rps']:7.1f} {step['p50_ms']:7} {step['p95_ms']:7} "
                f"{step['failures']:7} {step['write_share']:7.0%}"
            )
            if step["failures"] or beyond(step, threshold):
                break
        best = held(steps, threshold)
        share = write_share(steps)
        report = {
            "servers": servers,
            "workers": workers,
            "database": connection.vendor,
            "step_seconds": seconds,
            "threshold_ms": threshold,
            "write_share": round(share, 3),
            "steps": steps,
            "held": best,
            "sizing": sizing(best, workers) if best else None,
        }
        (folder / "capacity.json").write_text(json.dumps(report, indent=2))
        # The weights of the Visitor users give 10 %: far from it, the mix is not the one asked.
        self.stdout.write(f"writes: {share:.1%} of the requests of all steps (10 % expected)")
        if best is None:
            self.stdout.write(f"held: no step kept p95 under {threshold} ms")
        else:
            size = report["sizing"]
            self.stdout.write(
                f"held: {best['rps']:.1f} req/s with p95 under {threshold} ms, in the "
                f"{best['users']}-user step (p50 {best['p50_ms']} ms, p95 {best['p95_ms']} ms)\n"
                f"a worker: {size['rps_per_worker']:.1f} req/s, {size['users_per_worker']} users "
                f"pausing 1 to 3 s between clicks ({REQUESTS_PER_USER} req/s each)"
            )
        ensure_no_errors(steps, folder)

    def print_summary(self, summary):
        self.stdout.write(
            f"{'requests':28} {'count':>7} {'errors':>7} {'req/s':>7} "
            f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
        )
        for row in [*summary["rows"], summary["total"]]:
            self.stdout.write(
                f"{row['name']:28} {row['requests']:7} {row['failures']:7} {row['rps']:7.1f} "
                f"{row['p50_ms']:>7} {row['p95_ms']:>7} {row['p99_ms']:>7}"
            )
        self.stdout.write(
            f"writes: {summary['write_share']:.0%} of the requests · "
            f"errors: {summary['total']['failures']}"
        )


@contextmanager
def serving(folder, workload, *, cluster, workers, nodes, port, **options):
    """The servers under load, started and stopped around the run: one gunicorn of `workers`
    workers, or with `cluster` the nodes of pac/bench/cluster.py behind its balancer. Yields the
    address to load, locust's environment and what serves it, in words."""
    env = server_env(folder, workload)
    if cluster:
        # Imported here: the open-loop and single-server runs need none of the cluster's tools.
        from pac.bench.cluster import Cluster, ClusterError

        try:
            # The cluster sets the production settings, collects the static files and shares the
            # cache in Redis; the sessions of the workload need its key, not one of its own.
            with Cluster(
                folder,
                database_url=os.environ["DATABASE_URL"],
                nodes=nodes,
                workers=workers,
                env={"SECRET_KEY": settings.SECRET_KEY},
            ) as running:
                yield running.balancer_url, env, f"cluster: {nodes} nodes × {workers} worker(s)"
        except ClusterError as error:
            raise CommandError(f"The cluster stopped: {error}") from error
        return
    # Production serves hashed, compressed static files: collected with DEBUG off.
    collect_static(env)
    server = start_gunicorn(env, folder, workers, port)
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", server, folder)
        yield f"http://127.0.0.1:{port}", env, f"gunicorn: {workers} workers on 127.0.0.1:{port}"
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def server_env(folder, workload):
    """The environment of gunicorn and locust: the production settings, on this machine."""
    return {
        **os.environ,
        "DEBUG": "0",
        # The key that signed the sessions opened for the simulated users: a node with another
        # key would take them for forged ones and send every user to the sign-in page.
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "PAC_LOAD_WORKLOAD": str(workload),
        "STATIC_ROOT": str(folder / "static"),
    }


def collect_static(env):
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity=0"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
    )


def start_gunicorn(env, folder, workers, port):
    # Django logs a failed request's traceback to the standard error: into the log too, where
    # the error message sends the reader, rather than thousands of lines over the figures.
    with open(folder / "gunicorn.log", "ab") as log:
        return subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "pac.wsgi:application",
                f"--workers={workers}",
                f"--bind=127.0.0.1:{port}",
                "--log-level=warning",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def run_locust(env, folder, url, *, users, seconds, name="locust", closed=False):
    """Locust headless for `seconds`; its statistics go to `name`_*.csv files in `folder`.

    Open loop: `Person`s arriving over a fifth of the users a second. Closed loop: `Visitor`s
    all started at once and the statistics reset once they are, so that a step's figures are
    of its steady state only.
    """
    options = ["Visitor", f"--spawn-rate={users}", "--reset-stats"] if closed else []
    log = folder / f"{name}.log"
    with open(log, "w") as output:
        finished = subprocess.run(
            [
                str(Path(sys.executable).parent / "locust"),
                "--locustfile=" + str(Path(__file__).parents[2] / "locustfile.py"),
                "--headless",
                f"--users={users}",
                *(options or ["Person", f"--spawn-rate={max(1, users // 5)}"]),
                f"--run-time={seconds + 1 if closed else seconds}s",
                f"--host={url}",
                f"--csv={folder / name}",
                "--only-summary",
                "--loglevel=WARNING",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            check=False,
        )
    stats = folder / f"{name}_stats.csv"
    if finished.returncode and (not stats.exists() or not summarize(stats)["total"]["failures"]):
        # An error that is no failed request: a simulated user raised, or locust did not start.
        raise CommandError(f"locust stopped with an error: see {log}")


def wait_for(url, server, folder, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise CommandError(f"gunicorn stopped at start: see {folder}/gunicorn.log")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise CommandError(f"gunicorn did not answer {url} within {seconds} s")


def summarize(path):
    rows = []
    with open(path, newline="") as handle:
        for line in csv.DictReader(handle):
            rows.append(
                {
                    "name": line["Name"] if line["Name"] != "Aggregated" else "all",
                    "requests": int(line["Request Count"]),
                    "failures": int(line["Failure Count"]),
                    "rps": round(float(line["Requests/s"]), 1),
                    "p50_ms": line["50%"],
                    "p95_ms": line["95%"],
                    "p99_ms": line["99%"],
                }
            )
    total = rows.pop()
    writes = sum(row["requests"] for row in rows if row["name"].startswith("write"))
    return {
        "rows": rows,
        "total": total,
        "writes": writes,
        "write_share": writes / total["requests"] if total["requests"] else 0,
    }


def build_workload(users):
    """Who the simulated users are and which rows each of them may write.

    The big plan of the benchmark data gets most of the load: MANAGERS users steer it, the
    reps' users follow their PACI and write on it, OUTSIDERS users open their own team's plans.
    Users that share a rep split that rep's KPIs, steps and deals between them.
    """
    plan, manager, reps, month = big_plan()
    reads = manager_reads(plan, reps[0], month)
    personas = [{"username": manager.username, "reads": reads} for _ in range(MANAGERS)]
    personas += outsider_personas(plan)
    personas += writer_personas(plan, reps, max(0, users - len(personas)), month)
    return {"session_cookie": settings.SESSION_COOKIE_NAME, "personas": signed_in(personas[:users])}


def build_capacity_workload(users):
    """The closed-loop workload: a rep's persona for each of `users` users (rows of their own),
    and the manager and outsiders whose reads every user mixes in (reads share no row)."""
    plan, manager, reps, month = big_plan()
    return {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "personas": signed_in(writer_personas(plan, reps, users, month)),
        "manager": signed_in(
            [{"username": manager.username, "reads": manager_reads(plan, reps[0], month)}]
        )[0],
        "outsiders": signed_in(outsider_personas(plan)),
    }


def big_plan():
    """The big plan of the benchmark data, its manager, its reps and the month of today."""
    plan = Plan.objects.filter(team__name__startswith="Bench ").order_by("pk").first()
    if plan is None:
        raise CommandError("No benchmark data: run `manage.py seed_bench --size large` first.")
    members = User.objects.filter(memberships__team=plan.team)
    manager = members.filter(memberships__role=Role.MANAGER).first()
    reps = list(members.filter(memberships__role=Role.REP).order_by("username"))
    return plan, manager, reps, timezone.localdate().strftime("%Y-%m")


def writer_personas(plan, reps, count, month):
    """`count` personas of the reps, taking turns; those of one rep share its rows out."""
    shares = -(-count // len(reps))
    return [
        writer_persona(plan, reps[index % len(reps)], index // len(reps), shares, month)
        for index in range(count)
    ]


def manager_reads(plan, rep, month):
    """The pages a manager of the big plan reads to steer it."""
    action = Action.objects.of_plan(plan).order_by("pk").first()
    return [
        ("plans list", reverse("pac:plan-list")),
        ("plan overview", plan.get_absolute_url()),
        ("action list", reverse("actions:action-list", args=[plan.pk])),
        ("action sheet", reverse("actions:action-detail", args=[plan.pk, action.pk])),
        ("calendar month", reverse("pac:calendar", args=[plan.pk]) + f"?month={month}"),
        ("timeline", reverse("pac:timeline", args=[plan.pk])),
        ("cockpit", reverse("pac:cockpit", args=[plan.pk])),
        ("budget", reverse("pac:plan-budget", args=[plan.pk])),
        ("PACI", reverse("pac:paci", args=[plan.pk, rep.username])),
    ]


def outsider_personas(plan):
    """A rep of each of the first OUTSIDERS other plans, reading their own plan."""
    outsiders = (
        Plan.objects.filter(team__name__startswith="Bench ")
        .exclude(team=plan.team)
        .select_related("team")
        .order_by("pk")[:OUTSIDERS]
    )
    personas = []
    for other in outsiders:
        rep = User.objects.filter(memberships__team=other.team, memberships__role=Role.REP)[0]
        personas.append(
            {
                "username": rep.username,
                "reads": [
                    ("plans list", reverse("pac:plan-list")),
                    ("plan overview", other.get_absolute_url()),
                    ("PACI", reverse("pac:paci", args=[other.pk, rep.username])),
                ],
            }
        )
    return personas


def write_check_ins(path, workload, seconds):
    """Write the workload to `path`, each rep's persona given KPIs and days that have no value
    yet (a second value for a KPI and day is refused): read afresh before each run, since the
    runs before it recorded some. Enough of them for a persona checking in without pause."""
    plan = Plan.objects.filter(team__name__startswith="Bench ").order_by("pk").first()
    taken = set(
        KpiValue.objects.filter(kpi__in=Kpi.objects.of_plan(plan)).values_list(
            "kpi_id", "recorded_on"
        )
    )
    days = period_so_far(plan)
    for persona in workload["personas"]:
        pairs = ((kpi, day) for day in days for kpi in persona["kpis"] if (kpi, day) not in taken)
        persona["check_ins"] = [
            [kpi, day.isoformat()] for kpi, day in itertools.islice(pairs, 50 + 10 * seconds)
        ]
    path.write_text(json.dumps(workload))


def period_so_far(plan):
    """The days of the plan's period up to today, on which a value may be recorded."""
    today = timezone.localdate()
    return [
        plan.period_start + timedelta(days=offset)
        for offset in range((min(today, plan.period_end) - plan.period_start).days + 1)
    ]


def writer_persona(plan, rep, share, shares, month):
    """A user following `rep`'s PACI, writing on the `share`-th of `shares` parts of the rep's
    KPIs, steps and deals."""
    paci = reverse("pac:paci", args=[plan.pk, rep.username])
    own_action = Action.objects.of_plan(plan).filter(owner=rep).order_by("pk").first()
    kpis = Kpi.objects.of_plan(plan).filter(owner=rep).order_by("pk").values_list("pk", flat=True)
    steps = (
        ActionStep.objects.filter(action__target__plan=plan, action__owner=rep)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    deals = Deal.objects.filter(plan=plan, owner=rep).order_by("pk")
    return {
        "username": rep.username,
        "paci": paci,
        "reads": [
            ("PACI", paci),
            ("my PACI", reverse("my-paci")),
            ("plan overview", plan.get_absolute_url()),
            ("action sheet", reverse("actions:action-detail", args=[plan.pk, own_action.pk])),
            ("calendar month", reverse("pac:calendar", args=[plan.pk]) + f"?month={month}"),
        ],
        "kpis": list(kpis)[share::shares],
        "steps": list(steps)[share::shares],
        "deals": [deal_fields(deal) for deal in list(deals)[share::shares][:200]],
    }


def signed_in(personas):
    """Each persona with a session of its user (one per user) and every key locust reads."""
    sessions = {}
    for persona in personas:
        persona["session"] = sessions.get(persona["username"]) or open_session(persona["username"])
        sessions[persona["username"]] = persona["session"]
        persona.setdefault("kpis", [])
        persona.setdefault("steps", [])
        persona.setdefault("deals", [])
        persona.setdefault("check_ins", [])
    return personas


def open_session(username):
    """A signed-in session of the user, as a sign-in would leave (without its password hash)."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def deal_fields(deal):
    return {
        "pk": deal.pk,
        "fields": {
            "company": deal.company,
            "contact": deal.contact,
            "nature": deal.nature,
            "target": deal.target_id or "",
            "amount": str(deal.amount),
            "stage": deal.stage,
            "milestone_date": deal.milestone_date.isoformat() if deal.milestone_date else "",
            "owner": deal.owner_id,
        },
    }
