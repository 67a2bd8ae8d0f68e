"""`make load`: the workload given to locust, and the report read back from it."""

from itertools import combinations

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from pac.bench.management.commands.load import build_workload, summarize, write_check_ins

pytestmark = pytest.mark.django_db


@pytest.fixture
def workload():
    call_command("seed_bench", "--size", "small")
    return build_workload(50)


def test_fifty_personas_who_may_read_every_page_they_are_given(workload):
    personas = workload["personas"]
    assert len(personas) == 50
    checked = set()
    for persona in personas:
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = persona["session"]
        for label, url in persona["reads"]:
            if (persona["username"], url) in checked:
                continue  # personas of one person read the same pages
            checked.add((persona["username"], url))
            response = client.get(url, follow=label == "my PACI")
            assert response.status_code == 200, (persona["username"], label, url)
            assert b'name="csrfmiddlewaretoken"' in response.content  # the sign-out form


def test_no_two_personas_write_the_same_row(workload, tmp_path):
    """Users who share a rep split that rep's KPIs, steps and deals: every write can succeed."""
    writers = [persona for persona in workload["personas"] if persona["kpis"]]
    assert len(writers) == 40  # the reps of the big plan; managers and outsiders only read
    for first, second in combinations(writers, 2):
        assert not set(first["kpis"]) & set(second["kpis"])
        assert not set(first["steps"]) & set(second["steps"])
        assert not {deal["pk"] for deal in first["deals"]} & {d["pk"] for d in second["deals"]}
    assert all(persona["steps"] and persona["deals"] for persona in writers)
    # Check-ins are given before each run, among the KPIs and days without a value
    # (tests/bench/test_workload.py).
    write_check_ins(tmp_path / "workload.json", workload, seconds=60)
    check_ins = writers[0]["check_ins"]
    assert check_ins and {kpi for kpi, _ in check_ins} <= set(writers[0]["kpis"])


def test_the_report_reads_locust_statistics(tmp_path):
    stats = tmp_path / "locust_stats.csv"
    header = (
        "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
        "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
        "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
    )
    stats.write_text(
        header
        + "\nGET,read: PACI,900,0,40,45,10,300,5000,15.0,0,40,50,60,70,90,120,150,200,290,300,300"
        + "\nPOST,write: step tick,100,0,30,31,9,90,900,1.7,0,30,35,40,45,60,70,80,85,90,90,90"
        + "\n,Aggregated,1000,0,39,44,9,300,4590,16.7,0,39,48,58,66,88,115,140,190,280,300,300\n"
    )
    summary = summarize(stats)
    assert [row["name"] for row in summary["rows"]] == ["read: PACI", "write: step tick"]
    assert summary["total"] == {
        "name": "all",
        "requests": 1000,
        "failures": 0,
        "rps": 16.7,
        "p50_ms": "39",
        "p95_ms": "115",
        "p99_ms": "190",
    }
    assert summary["write_share"] == 0.1
