"""`make load`: gunicorn with 2 workers on the benchmark data, under a mixed load from locust.

The command writes the workload (pac/bench/locustfile.py explains it), starts gunicorn on 127.0.0.1
with the production settings, runs locust headless for a fixed time, stops gunicorn and prints
the requests per second, p50/p95/p99 and errors. It exits with an error when any request failed.
"""

import csv
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ActionStep
from kpis.models import Kpi
from pac.core.models import Plan, Role, User
from targets.models import Deal

# Users who steer the big plan and users of other teams; the rest are its reps. Only reps write.
MANAGERS, OUTSIDERS = 5, 5


class Command(BaseCommand):
    help = "Drive gunicorn (2 workers) with a mixed load of --users users for --duration seconds."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=50)
        parser.add_argument("--duration", type=int, default=60, help="Seconds (60).")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--output", default=str(settings.BASE_DIR / "var" / "load"))

    def handle(self, *args, users, duration, port, workers, output, **options):
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        workload = folder / "workload.json"
        workload.write_text(json.dumps(build_workload(users)))
        env = server_env(folder, workload)
        collect_static(env)
        server = start_gunicorn(env, folder, workers, port)
        try:
            wait_for(f"http://127.0.0.1:{port}/healthz", server)
            self.stdout.write(
                f"gunicorn: {workers} workers on 127.0.0.1:{port} · {connection.vendor} · "
                f"locust: {users} users for {duration} s"
            )
            run_locust(env, folder, users, duration, port)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        summary = summarize(folder / "locust_stats.csv")
        (folder / "load.json").write_text(json.dumps(summary, indent=2))
        self.print_summary(summary)
        if summary["total"]["failures"]:
            raise CommandError(
                f"{summary['total']['failures']} requests failed: see {folder}/locust_failures.csv"
                f" and {folder}/gunicorn.log"
            )

    def print_summary(self, summary):
        self.stdout.write(
            f"{'requests':28} {'count':>7} {'errors':>7} {'req/s':>7} "
            f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
        )
        for row in [*summary["rows"], summary["total"]]:
            self.stdout.write(
                f"{row['name']:28} {row['requests']:7} {row['failures']:7} {row['rps']:7.1f} "
                f"{row['p50_ms']:7} {row['p95_ms']:7} {row['p99_ms']:7}"
            )
        self.stdout.write(
            f"writes: {summary['write_share']:.0%} of the requests · "
            f"errors: {summary['total']['failures']}"
        )


def server_env(folder, workload):
    """The environment of gunicorn and locust: the production settings, on this machine."""
    return {
        **os.environ,
        "DEBUG": "0",
        # The key that signed the sessions opened for the simulated users.
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "PAC_LOAD_WORKLOAD": str(workload),
        # Production serves hashed, compressed static files: collected with DEBUG off.
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
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "pac.wsgi:application",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
            f"--error-logfile={folder / 'gunicorn.log'}",
        ],
        cwd=settings.BASE_DIR,
        env=env,
    )


def run_locust(env, folder, users, duration, port):
    """Locust headless for `duration` seconds; its statistics go to CSV files in `folder`."""
    subprocess.run(
        [
            str(Path(sys.executable).parent / "locust"),
            "--locustfile=" + str(Path(__file__).parents[2] / "locustfile.py"),
            "--headless",
            f"--users={users}",
            f"--spawn-rate={max(1, users // 5)}",
            f"--run-time={duration}s",
            f"--host=http://127.0.0.1:{port}",
            f"--csv={folder / 'locust'}",
            "--only-summary",
            "--loglevel=WARNING",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        check=False,
    )


def wait_for(url, server, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise CommandError("gunicorn stopped at start: see its log under var/load/")
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
        "write_share": writes / total["requests"] if total["requests"] else 0,
    }


def build_workload(users):
    """Who the simulated users are and which rows each of them may write.

    The big plan of the benchmark data gets most of the load: MANAGERS users steer it, the
    reps' users follow their PACI and write on it, OUTSIDERS users open their own team's plans.
    Users that share a rep split that rep's KPIs, steps and deals between them.
    """
    plan = Plan.objects.filter(team__name__startswith="Bench ").order_by("pk").first()
    if plan is None:
        raise CommandError("No benchmark data: run `manage.py seed_bench --size large` first.")
    members = User.objects.filter(memberships__team=plan.team)
    manager = members.filter(memberships__role=Role.MANAGER).first()
    reps = list(members.filter(memberships__role=Role.REP).order_by("username"))
    month = timezone.localdate().strftime("%Y-%m")
    reads = manager_reads(plan, reps[0], month)
    personas = [{"username": manager.username, "reads": reads} for _ in range(MANAGERS)]
    personas += outsider_personas(plan)
    writers = max(0, users - len(personas))
    days = check_in_days(plan)
    for index in range(writers):
        share, shares = index // len(reps), -(-writers // len(reps))
        personas.append(writer_persona(plan, reps[index % len(reps)], share, shares, month, days))
    return {"session_cookie": settings.SESSION_COOKIE_NAME, "personas": signed_in(personas[:users])}


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


def check_in_days(plan):
    """The days of the plan so far on which the dataset recorded no value: check-ins succeed."""
    today = timezone.localdate()
    return [
        (plan.period_start + timedelta(days=offset)).isoformat()
        for offset in range((min(today, plan.period_end) - plan.period_start).days + 1)
        if offset % 14  # the dataset records a value every 14 days
    ]


def writer_persona(plan, rep, share, shares, month, days):
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
        "check_in_days": days,
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
        persona.setdefault("check_in_days", [])
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
