"""`make cluster-check`: a cluster of its own, on free ports and a database of its own, and the
checks of pac.bench.cluster_checks through its balancer and each node; fails on any failure."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pac.bench.cluster import Cluster, ClusterError, ensure_database
from pac.bench.cluster_checks import run_checks

DATABASE_URL = "postgres://postgres@127.0.0.1:5432/pac_cluster_check"


class Command(BaseCommand):
    help = "Start a cluster of two nodes on a database it empties, check it, stop it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--database-url", default=DATABASE_URL, help=f"Emptied first ({DATABASE_URL})."
        )
        parser.add_argument("--output", default=str(settings.BASE_DIR / "var" / "cluster-check"))

    def handle(self, *args, database_url, output, **options):
        try:
            ensure_database(database_url)
            with cluster_for_checks(Path(output), database_url, cache_db=6) as cluster:
                self.stdout.write(
                    f"balancer {cluster.balancer_url} · nodes {', '.join(cluster.node_urls)} · "
                    f"logs in {output}"
                )
                outcomes = run_checks(cluster, log=self.stdout.write)
        except ClusterError as error:
            raise CommandError(str(error)) from error
        failed = [outcome.name for outcome in outcomes if not outcome.passed]
        if failed:
            raise CommandError(f"{len(failed)} of {len(outcomes)} checks failed: see above")
        self.stdout.write(self.style.SUCCESS(f"All {len(outcomes)} checks passed."))


def cluster_for_checks(folder, database_url, cache_db):
    """The cluster the checks need: two nodes of one worker, the worker, the store; every
    dossier printed in the background, so that the document check meets the worker."""
    return Cluster(
        folder,
        database_url=database_url,
        workers=1,
        cache_db=cache_db,
        static_root=settings.BASE_DIR / "var" / "cluster" / "static",
        env={"BACKGROUND_PDF_ACTIONS": "0"},
    )
