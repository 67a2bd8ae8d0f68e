"""PAC as several servers would run it, on one machine: `make cluster` and `make cluster-check`.

`Cluster` starts, on 127.0.0.1 and with the production settings: gunicorn nodes (sync workers),
one task worker (`manage.py db_worker`), moto's S3 server as the file store every process
shares, and HAProxy in front of the nodes. PostgreSQL and Redis are the machine's own servers;
the cluster migrates the database it is given and never empties it (its callers bring the data).
Every process runs in a process group of its own, logs to a file of the cluster's folder, and is
stopped when the cluster stops, after a failed start too, or when the process that started it
dies.

    with Cluster(folder, database_url="postgres://postgres@127.0.0.1:5432/pac_cluster") as c:
        c.balancer_url, c.node_urls   # HAProxy, and each node directly
        c.kill(0); c.start_node(0); c.wait_balanced(0)
"""

import contextlib
import ctypes
import fcntl
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import boto3
import dj_database_url
import psycopg
import redis
from django.conf import settings
from django.contrib.staticfiles import finders
from psycopg import sql

from pac.bench.management.commands.load import collect_static

BIN = Path(sys.executable).parent
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
REDIS = "redis://127.0.0.1:6379"
BUCKET = "pac-cluster"
# Linux's prctl(PR_SET_PDEATHSIG): a child gets SIGTERM when the process that started it dies,
# so that a test runner killed by its timeout leaves no server behind.
PR_SET_PDEATHSIG = 1


class ClusterError(Exception):
    """A process of the cluster did not start, or stopped; its log says why."""


class Cluster:
    def __init__(
        self,
        folder: Path,
        *,
        database_url: str,
        nodes: int = 2,
        workers: int = 1,
        port: int = 0,
        env: dict | None = None,
        store: bool = True,
        worker: bool = True,
        cache_db: int = 5,
        static_root: Path | None = None,
    ):
        self.folder = Path(folder)
        self.database_url = database_url
        self.workers = workers
        self.store = store
        self.worker = worker
        self.cache_db = cache_db
        # Collecting takes a minute (every file hashed and compressed): runs may share a folder,
        # collected again only when a source file changed.
        self.static_root = Path(static_root or self.folder / "static")
        self.port = port or free_port()
        self.node_ports = [free_port() for _ in range(nodes)]
        self.store_port = free_port() if store else None
        self.balancer_url = f"http://127.0.0.1:{self.port}"
        self.node_urls = [f"http://127.0.0.1:{node_port}" for node_port in self.node_ports]
        self.env = self.production_env(env or {})
        self.nodes = [None] * nodes
        self.others = {}  # name -> process: the store, the worker, the balancer
        self.previous_sigterm = None

    def production_env(self, extra):
        """What every process of the cluster reads: the production settings, on loopback."""
        env = {
            **os.environ,
            "DEBUG": "0",
            # One key for every node: a session or a CSRF token signed by one holds on the others.
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "CSRF_TRUSTED_ORIGINS": ",".join([self.balancer_url, *self.node_urls]),
            "STATIC_ROOT": str(self.static_root),
            "DATABASE_URL": self.database_url,
            "CACHE_URL": f"{REDIS}/{self.cache_db}",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "SITE_URL": self.balancer_url,
        }
        env.pop("SQLITE_PATH", None)
        if self.store:
            env |= {
                "STORAGE_URL": f"s3://{BUCKET}?endpoint_url=http://127.0.0.1:{self.store_port}",
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_DEFAULT_REGION": "us-east-1",
            }
        return env | extra

    def __enter__(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        if threading.current_thread() is threading.main_thread():
            # A `kill` of the command or test stops the cluster as Ctrl-C does.
            self.previous_sigterm = signal.signal(signal.SIGTERM, raise_interrupt)
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def start(self):
        if self.store:
            self.others["store"] = self.spawn(
                "store", [BIN / "moto_server", "-H", "127.0.0.1", "-p", str(self.store_port)]
            )
            self.wait_until(f"http://127.0.0.1:{self.store_port}/moto-api/", self.others["store"])
            make_bucket(self.env)
        flush_cache(self.cache_db)
        self.manage("migrate", "migrate", "--no-input", "--verbosity=0")
        collect_static_when_changed(self.env, self.static_root)
        for index in range(len(self.nodes)):
            self.nodes[index] = self.spawn_node(index)
        if self.worker:
            self.others["worker"] = self.spawn(
                "worker", [sys.executable, "manage.py", "db_worker", "--interval=0.2"]
            )
        if not Path(HAPROXY).exists():
            raise ClusterError(
                f"HAProxy is not installed ({HAPROXY}): apt-get install haproxy (.ci/run does)."
            )
        config = self.folder / "haproxy.cfg"
        config.write_text(haproxy_config(self.port, self.node_ports))
        self.others["balancer"] = self.spawn("balancer", [HAPROXY, "-db", "-f", config])
        for index, url in enumerate(self.node_urls):
            self.wait_until(f"{url}/healthz", self.nodes[index])
        for index in range(len(self.nodes)):
            self.wait_balanced(index)
        if self.worker and self.others["worker"].poll() is not None:
            raise ClusterError(f"the task worker stopped at start: see {self.folder}/worker.log")

    def spawn_node(self, index):
        return self.spawn(
            f"node{index}",
            [
                BIN / "gunicorn",
                "pac.wsgi:application",
                f"--workers={self.workers}",
                f"--bind=127.0.0.1:{self.node_ports[index]}",
                "--log-level=warning",
                # The requests of the kill check stop at a dead node, not at a busy worker.
                "--timeout=30",
            ],
        )

    def spawn(self, name, command):
        log = open(self.folder / f"{name}.log", "ab")  # noqa: SIM115 (the child keeps it)
        try:
            return subprocess.Popen(
                [str(part) for part in command],
                cwd=settings.BASE_DIR,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Its own process group: Ctrl-C in the terminal reaches this process alone, which
                # stops each group in order; a kill reaches a gunicorn master and its workers.
                start_new_session=True,
                preexec_fn=die_with_parent,
            )
        finally:
            log.close()

    def manage(self, log_name, *arguments):
        """`manage.py` with the cluster's environment, to its end; its output goes to a log."""
        with open(self.folder / f"{log_name}.log", "ab") as log:
            done = subprocess.run(
                [sys.executable, "manage.py", *arguments],
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                check=False,
                timeout=300,
            )
        if done.returncode:
            raise ClusterError(f"manage.py {arguments[0]} failed: see {self.folder}/{log_name}.log")

    def command(self, *arguments, env=None):
        """`manage.py` started with the cluster's environment (and `env`), as a node's cron
        would run it; its output is read from the returned process."""
        return subprocess.Popen(
            [sys.executable, "manage.py", *arguments],
            cwd=settings.BASE_DIR,
            env=self.env | (env or {}),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            preexec_fn=die_with_parent,
        )

    def wait_until(self, url, process, seconds=30):
        """Until `url` answers 200; fails as soon as `process` stops."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise ClusterError(f"{self.name_of(process)} stopped: see its log in {self.folder}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise ClusterError(
            f"{url} did not answer within {seconds} s: see the logs in {self.folder}"
        )

    def name_of(self, process):
        if process in self.nodes:
            return f"node{self.nodes.index(process)}"
        return next((name for name, other in self.others.items() if other is process), "?")

    def kill(self, index):
        """SIGKILL node `index`: its gunicorn master and its workers at once, as a crash would;
        returns once none of them is left."""
        process = self.nodes[index]
        kill_group(process, signal.SIGKILL)
        process.wait(timeout=10)
        wait_group_gone(process.pid, 10)

    def start_node(self, index, seconds=30):
        """Start node `index` again (after `kill`) and wait until it answers."""
        if self.nodes[index] is not None and self.nodes[index].poll() is None:
            raise ClusterError(f"node{index} is running")
        self.nodes[index] = self.spawn_node(index)
        self.wait_until(f"{self.node_urls[index]}/healthz", self.nodes[index], seconds)

    def wait_balanced(self, index, timeout=30):
        """Until the balancer sends a request to node `index` (its health check passed again);
        returns the seconds waited."""
        started = time.monotonic()
        name = f"node{index}"
        while time.monotonic() - started < timeout:
            if self.others["balancer"].poll() is not None:
                raise ClusterError(f"HAProxy stopped: see {self.folder}/balancer.log")
            try:
                with urllib.request.urlopen(f"{self.balancer_url}/healthz", timeout=2) as response:
                    if response.headers.get("X-PAC-Node") == name:
                        return time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.05)
        raise ClusterError(f"the balancer sent nothing to {name} within {timeout} s")

    def stop(self):
        """Stop every process this cluster started: the balancer first, so that no request
        reaches a stopping node, then the nodes, the worker and the store."""
        processes = [self.others.get("balancer"), *self.nodes]
        processes += [self.others.get("worker"), self.others.get("store")]
        for process in processes:
            if process is not None and process.poll() is None:
                kill_group(process, signal.SIGTERM)
        for process in processes:
            if process is None:
                continue
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                kill_group(process, signal.SIGKILL)
                process.wait(timeout=5)
            wait_group_gone(process.pid, 5, force=True)
        self.nodes = [None] * len(self.nodes)
        self.others = {}
        if self.previous_sigterm is not None:
            signal.signal(signal.SIGTERM, self.previous_sigterm)
            self.previous_sigterm = None


def haproxy_config(port, node_ports):
    """Round robin over the nodes, each checked on /healthz twice a second. A request that finds
    its node's port closed is sent to another node (`retries`, `redispatch`); one that reached a
    node is never sent again, lest a write be made twice: `retry-on conn-failure` only."""
    servers = "\n".join(
        f"    server node{index} 127.0.0.1:{node_port} check"
        for index, node_port in enumerate(node_ports)
    )
    return f"""global
    maxconn 512
    log stdout format raw local0 notice

defaults
    mode http
    log global
    option httplog
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    retries 3
    retry-on conn-failure
    option redispatch 1

frontend pac
    bind 127.0.0.1:{port}
    default_backend nodes

backend nodes
    balance roundrobin
    option httpchk
    http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host 127.0.0.1
    http-check expect status 200
    default-server inter 500ms fall 2 rise 2
    http-response set-header X-PAC-Node %s
{servers}
"""


def collect_static_when_changed(env, static_root):
    """`collectstatic` into `static_root` unless its manifest is newer than every source file;
    one run at a time (a lock file), so that two clusters starting together collect once."""
    static_root.mkdir(parents=True, exist_ok=True)
    manifest = static_root / "staticfiles.json"
    with open(static_root / ".collecting", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not manifest.exists() or newest_static_source() > manifest.stat().st_mtime:
            collect_static(env)


def newest_static_source():
    newest = 0.0
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            newest = max(newest, os.stat(storage.path(path)).st_mtime)
    return newest


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_bucket(env):
    client = boto3.client(
        "s3",
        endpoint_url=env["STORAGE_URL"].split("endpoint_url=")[1],
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        region_name=env["AWS_DEFAULT_REGION"],
    )
    client.create_bucket(Bucket=BUCKET)


def flush_cache(db):
    """The cluster's Redis database emptied: no page cached by an earlier run is served."""
    client = redis.Redis.from_url(f"{REDIS}/{db}")
    try:
        client.flushdb()
    except redis.ConnectionError as error:
        raise ClusterError(f"Redis does not answer at {REDIS}: {error}") from error
    finally:
        client.close()


def die_with_parent():
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def kill_group(process, sig):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def wait_group_gone(pgid, seconds, force=False):
    """Until no process of the group is left (gunicorn's workers outlive their master by a
    moment); with `force`, SIGKILL what remains at the end."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    if force:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)


def ensure_database(url):
    """Create the PostgreSQL database `url` names when it is missing (through the server's
    `postgres` database); a cluster needs PostgreSQL, which every node shares."""
    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise ClusterError(f"a cluster runs on PostgreSQL, not on {config['ENGINE']}")
    params = {
        "host": config["HOST"] or "127.0.0.1",
        "port": config["PORT"] or 5432,
        "user": config["USER"] or "postgres",
        "password": config["PASSWORD"] or None,
        "dbname": "postgres",
        "connect_timeout": 5,
        "autocommit": True,
    }
    try:
        with psycopg.connect(**params) as server:
            found = server.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
            ).fetchone()
            if not found:
                server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
    except psycopg.OperationalError as error:
        raise ClusterError(f"PostgreSQL does not answer at {params['host']}: {error}") from error
