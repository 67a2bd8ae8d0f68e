"""What `make cluster-check` and tests/cluster prove of a running `Cluster`, through the balancer
and each node directly, as a browser would: over HTTP, with cookies and the forms' CSRF tokens.

The checks build their own team, plan and users (`build_world`, run by `manage.py shell` with
the cluster's environment, on the cluster's database, which it empties first): they never read
the demo. Each check returns its figures, or raises `CheckFailed` saying what went wrong.
"""

import email
import http.client
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STATUS = re.compile(r'id="progress"[^>]*data-status="([a-z]+)"')
# The reminded reps: the two runs of the reminders check go through them at the same moment.
REMINDED = 12


class CheckFailed(Exception):
    pass


@dataclass
class Outcome:
    name: str
    passed: bool
    figures: str


def run_checks(cluster, log=print):
    """Every check, in order, on a running cluster; the outcomes, each logged as it ends."""
    world = build_world_in(cluster)
    outcomes = []
    for name, check in CHECKS:
        started = time.monotonic()
        try:
            figures = check(cluster, world)
            outcome = Outcome(name, True, figures)
        except Exception as error:  # a check that breaks fails; the next ones still run
            outcome = Outcome(name, False, f"{type(error).__name__}: {error}")
        outcome.figures += f" · {time.monotonic() - started:.1f} s"
        log(f"{'PASS' if outcome.passed else 'FAIL'}  {outcome.name}: {outcome.figures}")
        outcomes.append(outcome)
    return outcomes


# The data of the checks, written in a process of the cluster's environment.


def build_world_in(cluster):
    """`build_world` run on the cluster's database; what it made, as a dict."""
    done = shell(cluster, "from pac.bench.cluster_checks import build_world; build_world()")
    return json.loads(done.splitlines()[-1])


def shell(cluster, code, timeout=120):
    process = cluster.command("shell", "--no-imports", "-c", code)
    try:
        output, _ = process.communicate(timeout=timeout)
    except Exception:
        process.kill()
        process.wait()
        raise
    if process.returncode:
        raise CheckFailed(f"manage.py shell failed:\n{output[-2000:]}")
    return output


def build_world():
    """A team, its manager and reps, a plan around today with late actions and the rep's KPIs,
    on an emptied database; prints what the checks need as one line of JSON."""
    from django.core.management import call_command
    from django.utils import timezone

    from actions import services as actions
    from kpis import services as kpis
    from pac.core.models import Membership, Role, Team, User
    from pac.plans import services as plans
    from targets import services as targets

    call_command("flush", interactive=False, verbosity=0)
    today = timezone.localdate()
    password = secrets.token_urlsafe(12)
    team = Team.objects.create(name="Cluster check")

    def member(username, role):
        user = User.objects.create_user(
            username, f"{username}@example.com", password, language="fr", reminders=True
        )
        Membership.objects.create(team=team, user=user, role=role)
        return user

    manager = member("cc-manager", Role.MANAGER)
    rep = member("cc-rep", Role.REP)
    reminded = [member(f"cc-rep{index}", Role.REP) for index in range(REMINDED)]
    plan = plans.plan_create(
        actor=manager,
        team=team,
        title="PAC du cluster",
        period_start=today - timedelta(days=60),
        period_end=today + timedelta(days=60),
        budget_envelope=Decimal("0"),
    )
    target = targets.target_create(
        actor=manager, plan=plan, data={"name": "PME", "kind": "segment", "priority": 1}
    )
    late = today - timedelta(days=5)
    actions_made = [
        actions.action_create(actor=manager, plan=plan, data=sheet(target, title, owner, late))
        for title, owner in [("Relances du cluster", rep)]
        + [(f"Relances de {user.username}", user) for user in reminded]
    ]
    kpi_ids = [
        kpis.kpi_create(actor=manager, action=actions_made[0], data=kpi(rep, index)).pk
        for index in range(4)
    ]
    print(
        json.dumps(
            {
                "plan": plan.pk,
                "manager": manager.username,
                "rep": rep.username,
                "reminded": [user.email for user in [rep, *reminded]],
                "password": password,
                "kpis": kpi_ids,
                "days": [(today - timedelta(days=n)).isoformat() for n in range(60)],
            }
        )
    )


def sheet(target, title, owner, end):
    start = end - timedelta(days=30)
    return {
        "title": title,
        "target": target,
        "domain": "sales",
        "sales_type": "hunting",
        "description": "",
        "means": "",
        "owner": owner,
        "start_date": start,
        "end_date": end,
        "budget_planned": Decimal("0"),
        "budget_actual": Decimal("0"),
        "occurrences_planned": None,
        "occurrences_done": 0,
        "status": "in_progress",
        "progress": 0,
    }


def kpi(owner, index):
    return {
        "name": f"Visites {index + 1}",
        "unit": "visites",
        "target_value": Decimal("100"),
        "per_period": False,
        "frequency": "monthly",
        "direction": "increase",
        "owner": owner,
    }


# A browser, as far as the checks need one.


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    node: str

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


class Browser:
    """Cookies kept by name across every host of the cluster (they all are 127.0.0.1), sent
    over plain HTTP although production marks them Secure: the cluster has no TLS."""

    def __init__(self, cookies=None):
        self.cookies = dict(cookies or {})

    def request(self, method, url, data=None, headers=None, timeout=15):
        parts = urlsplit(url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            response = Response(
                answer.status, answer.headers, answer.read(), answer.headers.get("X-PAC-Node", "")
            )
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, url, **kwargs):
        return self.request("GET", url, **kwargs)

    def post(self, url, data, origin, **kwargs):
        """A form sent from a page of `origin`, as a browser sends it."""
        headers = {"Origin": origin, **kwargs.pop("headers", {})}
        return self.request("POST", url, data=data, headers=headers, **kwargs)

    def htmx_post(self, url, data, origin, **kwargs):
        headers = {"HX-Request": "true", "X-CSRFToken": self.cookies.get("csrftoken", "")}
        return self.post(url, data, origin, headers=headers, **kwargs)


def sign_in(base, username, password):
    """A browser signed in through the login form of `base`."""
    browser = Browser()
    form = expect(browser.get(f"{base}/accounts/login/"), 200, "the login form")
    token = csrf_token(form)
    done = browser.post(
        f"{base}/accounts/login/",
        {"username": username, "password": password, "csrfmiddlewaretoken": token},
        origin=base,
    )
    if done.status != 302:
        raise CheckFailed(f"signing in on {base} answered {done.status}, not a redirect")
    return browser


def csrf_token(response):
    found = TOKEN.search(response.text)
    if found is None:
        raise CheckFailed("no CSRF token in the form")
    return found.group(1)


def expect(response, status, what):
    if response.status != status:
        raise CheckFailed(f"{what} answered {response.status}, not {status}")
    return response


def paci_url(base, world):
    return f"{base}/plans/{world['plan']}/paci/{world['rep']}/"


def check_in_url(base, world, kpi):
    return f"{paci_url(base, world)}kpis/{kpi}/values/new/"


# The checks.


def change_shows_on_the_other_node(cluster, world):
    """A KPI check-in saved through node A shows on the next read of the PACI through node B,
    whose cache both nodes primed before."""
    a, b = cluster.node_urls[0], cluster.node_urls[1]
    browser = sign_in(cluster.balancer_url, world["rep"], world["password"])
    marker = f"vu sur B {secrets.token_hex(4)}"
    for base in (b, a):
        page = expect(browser.get(paci_url(base, world)), 200, f"the PACI on {base}")
        if marker in page.text:
            raise CheckFailed("the marker is on the page before the change")
    started = time.monotonic()
    saved = browser.htmx_post(
        check_in_url(a, world, world["kpis"][0]),
        {"recorded_on": world["days"][0], "value": "7", "comment": marker},
        origin=a,
    )
    expect(saved, 200, "the check-in on node A")
    if marker not in saved.text:
        raise CheckFailed("node A's answer to the check-in does not show it")
    page = expect(browser.get(paci_url(b, world)), 200, "the PACI on node B")
    if marker not in page.text:
        raise CheckFailed("node B served its PACI without the check-in saved through node A")
    again = expect(browser.get(paci_url(a, world)), 200, "the PACI on node A")
    if marker not in again.text:
        raise CheckFailed("node A served its PACI without its own check-in")
    return (
        f"check-in on A, PACI read on B {1000 * (time.monotonic() - started):.0f} ms later "
        f"shows it ({len(page.body) // 1024} kB), and on A"
    )


def session_and_csrf_across_nodes(cluster, world):
    """Signed in through node A's login form, the session opens node B's pages; a CSRF token read
    from a form on A is accepted by a POST on B, whose write shows on A; a wrong token is not."""
    a, b = cluster.node_urls[0], cluster.node_urls[1]
    browser = sign_in(a, world["manager"], world["password"])
    plan = f"/plans/{world['plan']}/"
    page = browser.get(f"{b}{plan}")
    if page.status != 200:
        raise CheckFailed(f"node B answered {page.status} to node A's session (200 expected)")
    form = expect(browser.get(f"{a}{plan}swot/new/?quadrant=strength"), 200, "the SWOT form on A")
    token = csrf_token(form)
    text = f"Force écrite sur B {secrets.token_hex(4)}"
    refused = browser.post(
        f"{b}{plan}swot/new/",
        {"csrfmiddlewaretoken": "x" * 64, "quadrant": "strength", "text": text},
        origin=a,
    )
    if refused.status != 403:
        raise CheckFailed(f"node B answered {refused.status} to a wrong CSRF token, not 403")
    saved = browser.post(
        f"{b}{plan}swot/new/",
        {"csrfmiddlewaretoken": token, "quadrant": "strength", "text": text},
        origin=a,
    )
    if saved.status not in (200, 302):
        raise CheckFailed(f"node B answered {saved.status} to node A's CSRF token")
    shown = expect(browser.get(f"{a}{plan}"), 200, "the plan page on A")
    if text not in shown.text:
        raise CheckFailed("the SWOT item posted on B is not on the plan page read on A")
    return (
        "signed in on A, page 200 on B; A's token accepted by B "
        f"({saved.status}, the item shows on A); a wrong token 403"
    )


def background_document_on_both_nodes(cluster, world):
    """The dossier, printed in the background by the worker into the shared store, downloads
    from both nodes, the same bytes."""
    a, b = cluster.node_urls[0], cluster.node_urls[1]
    browser = sign_in(cluster.balancer_url, world["manager"], world["password"])
    asked = browser.get(f"{a}/plans/{world['plan']}/pdf/dossier/")
    if asked.status != 302 or "/pdf/exports/" not in asked.headers.get("Location", ""):
        raise CheckFailed(f"the dossier answered {asked.status}, not the waiting page's redirect")
    waiting = asked.headers["Location"]
    started, status = time.monotonic(), ""
    while time.monotonic() - started < 60:
        page = expect(browser.get(f"{b}{waiting}", headers={"HX-Request": "true"}), 200, "wait")
        found = STATUS.search(page.text)
        status = found.group(1) if found else ""
        if status in ("ready", "failed"):
            break
        time.sleep(0.3)
    if status != "ready":
        raise CheckFailed(f"the waiting page on B says {status or 'nothing'} after 60 s")
    printed = time.monotonic() - started
    files = [
        expect(browser.get(f"{base}{waiting}download/"), 200, f"the download on {base}")
        for base in (a, b)
    ]
    if not files[0].body.startswith(b"%PDF") or files[0].body != files[1].body:
        raise CheckFailed("the two nodes sent different files, or not a PDF")
    return (
        f"printed by the worker in {printed:.1f} s, {len(files[0].body) // 1024} kB, "
        "the same bytes from A and B"
    )


def reminders_once(cluster, world):
    """`send_reminders` started at the same moment with two nodes' settings: every reminded
    person gets one e-mail, from one run or the other."""
    mail = Path(cluster.folder) / f"mail-{secrets.token_hex(3)}"
    runs = [
        cluster.command(
            "send_reminders",
            env={
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": str(mail / f"node{index}"),
            },
        )
        for index in range(2)
    ]
    try:
        outputs = [run.communicate(timeout=120)[0] for run in runs]
    finally:
        for run in runs:  # neither outlives the check, whichever failed or hung
            if run.poll() is None:
                run.kill()
                run.wait()
    for run, output in zip(runs, outputs, strict=True):
        if run.returncode:
            raise CheckFailed(f"a run of send_reminders failed:\n{output[-1500:]}")
    received = {}
    per_run = []
    for index in range(2):
        sent = messages_in(mail / f"node{index}")
        per_run.append(len(sent))
        for message in sent:
            received[message["To"]] = received.get(message["To"], 0) + 1
    twice = sorted(to for to, count in received.items() if count > 1)
    missing = sorted(set(world["reminded"]) - set(received))
    if twice or missing:
        raise CheckFailed(f"sent twice to {twice}, never to {missing}")
    return (
        f"{len(received)} people, {sum(per_run)} e-mails: {per_run[0]} from one run, "
        f"{per_run[1]} from the other, none twice"
    )


def messages_in(folder):
    """The e-mails Django's file backend wrote under `folder`, each file a run of messages."""
    found = []
    for path in sorted(folder.glob("*.log")) if folder.exists() else []:
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                found.append(email.message_from_bytes(chunk))
    return found


def node_killed_under_load(cluster, world, threads=4):
    """Node A killed (SIGKILL) while readers and writers go through the balancer: every request
    started after the kill succeeds (on B), every write the balancer acknowledged is a row, and
    once A is started again the balancer sends it requests."""
    browser = sign_in(cluster.balancer_url, world["rep"], world["password"])
    slots = iter([(kpi, day) for day in world["days"][1:] for kpi in world["kpis"]])
    lock, stop, log = threading.Lock(), threading.Event(), []
    base = cluster.balancer_url

    def user(number):
        client = Browser(browser.cookies)
        count = 0
        while not stop.is_set():
            count += 1
            started = time.monotonic()
            if count % 3 == 0:
                with lock:
                    slot = next(slots, None)
                if slot is None:
                    break
                comment = f"kill {number}-{count}"
                data = {"recorded_on": slot[1], "value": "3", "comment": comment}
                request = ("write", comment, check_in_url(base, world, slot[0]), data)
            else:
                request = ("read", "", paci_url(base, world), None)
            try:
                if request[3] is None:
                    answer = client.get(request[2])
                else:
                    answer = client.htmx_post(request[2], request[3], origin=base)
                status, node = answer.status, answer.node
            except OSError:
                status, node = 0, ""
            with lock:
                log.append((request[0], request[1], started, time.monotonic(), status, node))

    workers = [threading.Thread(target=user, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    try:
        time.sleep(2)
        killed_at = time.monotonic()
        cluster.kill(0)
        dead_at = time.monotonic()
        time.sleep(2)
        restarted_at = time.monotonic()
        cluster.start_node(0)
        rejoined = cluster.wait_balanced(0)
        back_at = time.monotonic()
        time.sleep(1.5)
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=30)
    before = [entry for entry in log if entry[3] < killed_at]
    after = [entry for entry in log if entry[2] >= dead_at]
    in_flight = [entry for entry in log if entry[2] < dead_at and entry[3] >= killed_at]
    failed_after = [entry for entry in after if entry[4] != 200]
    lost_in_flight = [entry for entry in in_flight if entry[4] != 200]
    acknowledged = {entry[1] for entry in log if entry[0] == "write" and entry[4] == 200}
    rows = set(json.loads(shell(cluster, KILL_ROWS).splitlines()[-1]))
    lost = acknowledged - rows
    down = [e for e in log if dead_at <= e[2] and e[3] <= restarted_at]
    a_back = [e for e in log if e[2] >= back_at and e[5] == "node0"]
    problems = []
    if not before or not after:
        problems.append("no request before or after the kill")
    if failed_after:
        problems.append(f"{len(failed_after)} requests started after the kill failed")
    if any(entry[5] == "node0" for entry in down):
        problems.append("node A answered while it was dead")
    if lost:
        problems.append(f"{len(lost)} acknowledged writes are not in the database")
    if not a_back:
        problems.append("the balancer sent nothing to node A after it was started again")
    figures = (
        f"{len(log)} requests ({sum(e[0] == 'write' for e in log)} writes) by {threads} users; "
        f"{len(after)} after the kill, {len(failed_after)} failed; {len(lost_in_flight)} "
        f"in flight at the kill cut; {len(acknowledged)} acknowledged writes, all "
        f"{len(acknowledged) - len(lost)} in the database ({len(rows)} rows); A back in "
        f"the balancer {rejoined:.1f} s after its start, then {len(a_back)} answers from A"
    )
    if problems:
        raise CheckFailed("; ".join(problems) + f" ({figures})")
    return figures


KILL_ROWS = (
    "import json; from kpis.models import KpiValue; "
    "print(json.dumps(list(KpiValue.objects.filter(comment__startswith='kill ')"
    ".values_list('comment', flat=True))))"
)

CHECKS = [
    ("a change on node A shows on node B", change_shows_on_the_other_node),
    ("a session and a CSRF token of node A hold on node B", session_and_csrf_across_nodes),
    (
        "a document printed by the worker downloads from both nodes",
        background_document_on_both_nodes,
    ),
    ("the reminders of two nodes at once: each e-mail once", reminders_once),
    ("node A killed under load: B serves, no write lost, A rejoins", node_killed_under_load),
]
