"""`make cluster`: PAC on two gunicorn nodes behind HAProxy, with a task worker and an S3 file
store, on this machine, until Ctrl-C (pac.bench.cluster). Its database, CLUSTER_DATABASE_URL
(the PostgreSQL database pac_cluster by default), is created and migrated when missing, and
gets the demo when it holds no plan, so that a person can sign in."""

import os
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pac.bench.cluster import Cluster, ClusterError, ensure_database
from pac.demo.texts import DEMO_PASSWORD, PEOPLE

DATABASE_URL = "postgres://postgres@127.0.0.1:5432/pac_cluster"


class Command(BaseCommand):
    help = "Run PAC as two nodes behind a load balancer, with a worker and a file store."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8800, help="The balancer's (8800).")
        parser.add_argument("--workers", type=int, default=1, help="Of each node (1).")
        parser.add_argument("--output", default=str(settings.BASE_DIR / "var" / "cluster"))

    def handle(self, *args, port, workers, output, **options):
        database_url = os.environ.get("CLUSTER_DATABASE_URL", DATABASE_URL)
        folder = Path(output)
        try:
            ensure_database(database_url)
            with Cluster(
                folder, database_url=database_url, workers=workers, port=port, cache_db=5
            ) as cluster:
                cluster.manage("seed", "seed_demo", "--if-empty", "--allow-production")
                self.print_cluster(cluster, folder)
                watch(cluster)
        except ClusterError as error:
            raise CommandError(str(error)) from error
        except KeyboardInterrupt:
            self.stdout.write("\nStopped: every process of the cluster.")

    def print_cluster(self, cluster, folder):
        accounts = ", ".join(username for username, *_ in PEOPLE)
        lines = [
            f"PAC runs at {cluster.balancer_url}/ (HAProxy, round robin; the X-PAC-Node header "
            "names the node that answered)",
            *(f"  node{index}: {url}/" for index, url in enumerate(cluster.node_urls)),
            f"  task worker: manage.py db_worker · files: {cluster.env.get('STORAGE_URL')}",
            f"  database: {cluster.database_url} · cache: {cluster.env['CACHE_URL']}",
            f"Accounts (password '{DEMO_PASSWORD}'): {accounts}, admin",
            f"Logs in {folder}/. Ctrl-C stops everything.",
        ]
        self.stdout.write("\n".join(lines))


def watch(cluster):
    """Until Ctrl-C; a process of the cluster that stops on its own ends it, with its name."""
    while True:
        for index, node in enumerate(cluster.nodes):
            if node.poll() is not None:
                raise ClusterError(f"node{index} stopped: see {cluster.folder}/node{index}.log")
        for name, process in cluster.others.items():
            if process.poll() is not None:
                raise ClusterError(f"the {name} stopped: see {cluster.folder}/{name}.log")
        time.sleep(1)
