"""PAC on two nodes behind HAProxy, with the worker and the S3 store, checked as `make
cluster-check` checks it (pac.bench.cluster_checks). The cluster runs on a PostgreSQL database of
its own, pac_cluster_test, never the suite's: skipped where no PostgreSQL answers, except in CI."""

import os
import socket

import pytest

from pac.bench.cluster import ensure_database
from pac.bench.cluster_checks import CHECKS, run_checks
from pac.bench.management.commands.cluster_check import cluster_for_checks

pytestmark = pytest.mark.cluster

DATABASE_URL = "postgres://postgres@127.0.0.1:5432/pac_cluster_test"


def postgresql_answers():
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture
def postgresql():
    if not postgresql_answers():
        message = "the cluster needs PostgreSQL on 127.0.0.1:5432"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    ensure_database(DATABASE_URL)
    return DATABASE_URL


def test_the_cluster_serves_as_one_server(postgresql, tmp_path):
    """Every check passes through the balancer and each node, and the cluster stops whole."""
    lines = []
    with cluster_for_checks(tmp_path, postgresql, cache_db=7) as cluster:
        outcomes = run_checks(cluster, log=lines.append)
        processes = [*cluster.nodes, *cluster.others.values()]
    assert [outcome.name for outcome in outcomes] == [name for name, _ in CHECKS]
    assert all(outcome.passed for outcome in outcomes), "\n".join(lines)
    assert all(process.poll() is not None for process in processes)
    for process in processes:
        with pytest.raises(ProcessLookupError):
            os.killpg(process.pid, 0)
