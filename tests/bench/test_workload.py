"""The closed-loop workload: rows of their own for each user, and check-ins that can succeed."""

import json
from datetime import date
from itertools import combinations

import pytest
from django.core.management import call_command

from kpis.models import Kpi, KpiValue
from pac.bench.management.commands.load import build_capacity_workload, write_check_ins
from pac.core.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def workload():
    call_command("seed_bench", "--size", "small")
    return build_capacity_workload(16)


def test_each_user_writes_rows_of_its_own(workload):
    """Sixteen users on the eight reps of the big plan: two a rep, splitting its rows."""
    reps = workload["personas"]
    assert len(reps) == 16
    assert len({persona["username"] for persona in reps}) == 8
    for first, second in combinations(reps, 2):
        assert not set(first["kpis"]) & set(second["kpis"])
        assert not set(first["steps"]) & set(second["steps"])
        assert not {deal["pk"] for deal in first["deals"]} & {d["pk"] for d in second["deals"]}
    assert all(persona["kpis"] and persona["steps"] and persona["deals"] for persona in reps)
    # The reads every user mixes in: the plan's manager and reps of other teams.
    assert workload["manager"]["reads"] and workload["manager"]["session"]
    assert len(workload["outsiders"]) == 5


def test_check_ins_go_to_kpis_and_days_without_a_value(workload, tmp_path):
    """Each run is given pairs free at its start: what the runs before recorded is not given
    again, so a second step never posts a duplicate value."""
    path = tmp_path / "workload.json"
    write_check_ins(path, workload, seconds=5)
    first = workload["personas"][0]
    pairs = [tuple(pair) for pair in first["check_ins"]]
    assert len(pairs) == 100  # 50 + 10 a second of the run
    assert len(set(pairs)) == 100
    assert {kpi for kpi, _ in pairs} <= set(first["kpis"])
    taken = set(KpiValue.objects.values_list("kpi_id", "recorded_on"))
    assert not {(kpi, date.fromisoformat(day)) for kpi, day in pairs} & taken
    assert json.loads(path.read_text())["personas"][0]["check_ins"] == first["check_ins"]

    kpi, day = pairs[0]
    KpiValue.objects.create(
        kpi=Kpi.objects.get(pk=kpi),
        recorded_on=date.fromisoformat(day),
        value=3,
        recorded_by=User.objects.get(username=first["username"]),
    )
    write_check_ins(path, workload, seconds=5)
    assert [tuple(pair) for pair in workload["personas"][0]["check_ins"]][:99] == pairs[1:]
