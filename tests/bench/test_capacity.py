"""`manage.py load --capacity`: the figures of each step and the rate held under the threshold."""

import pytest
from django.core.management.base import CommandError

from pac.bench.capacity import beyond, ensure_no_errors, held, sizing, step_figures, write_share
from pac.bench.management.commands.load import summarize

HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
)


def step(users, rps, p95, failures=0):
    return {"users": users, "rps": rps, "p50_ms": p95 // 2, "p95_ms": p95, "failures": failures}


def stats(path, *rows):
    """A locust statistics file: (type, name, requests, failures, req/s, p50, p95) a row, the
    other columns filled around them."""
    lines = [HEADER]
    for kind, name, requests, failures, rps, p50, p95 in rows:
        lines.append(
            f"{kind},{name},{requests},{failures},{p50},{p50},1,{p95},900,{rps},0,"
            f"{p50},{p50},{p50},{p50},{p95},{p95},{p95},{p95},{p95},{p95},{p95}"
        )
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_step_is_summed_up_from_its_locust_statistics(tmp_path):
    """Its rate and percentiles are those of all its requests; writes are counted by name."""
    path = stats(
        tmp_path / "locust_step_04_stats.csv",
        ("GET", "read: PACI", 540, 0, 27.0, 90, 180),
        ("POST", "write: KPI check-in", 36, 0, 1.8, 70, 150),
        ("POST", "write: step tick", 24, 0, 1.2, 60, 110),
        ("", "Aggregated", 600, 0, 30.04, 88, 178),
    )
    assert step_figures(4, summarize(path)) == {
        "users": 4,
        "requests": 600,
        "failures": 0,
        "rps": 30.0,
        "p50_ms": 88,
        "p95_ms": 178,
        "writes": 60,  # 36 check-ins + 24 ticks
        "write_share": 0.1,  # 60 / 600
    }


def test_a_step_without_requests_is_an_error(tmp_path):
    path = stats(tmp_path / "locust_step_01_stats.csv", ("", "Aggregated", 0, 0, 0.0, 0, 0))
    with pytest.raises(CommandError, match="The 1-user step recorded no request"):
        step_figures(1, summarize(path))


def test_the_rate_held_is_the_highest_under_the_threshold():
    """A machine that serves more at 8 users than at 12 holds the rate of 8; the step past
    the threshold does not count however fast it went."""
    steps = [
        step(1, 12.0, 90),
        step(4, 41.5, 180),
        step(8, 48.2, 290),
        step(12, 47.0, 299),
        step(16, 52.0, 300),  # at the threshold: not under it
    ]
    assert held(steps, 300) == steps[2]
    assert held(steps, 200) == steps[1]
    assert held(steps, 90) is None  # 90 ms is not under 90 ms


def test_a_step_with_errors_holds_nothing():
    steps = [step(1, 12.0, 90), step(2, 20.0, 120, failures=1)]
    assert held(steps, 300) == steps[0]


def test_stepping_stops_once_past_the_threshold():
    assert not beyond(step(8, 48.2, 299), 300)
    assert beyond(step(12, 47.0, 300), 300)
    assert beyond(step(16, 40.0, 650), 300)


def test_any_error_fails_the_run_and_says_where(tmp_path):
    ensure_no_errors([step(1, 12.0, 90), step(2, 20.0, 120)], tmp_path)  # no error: no failure
    with pytest.raises(CommandError) as error:
        ensure_no_errors(
            [step(1, 12.0, 90), step(2, 20.0, 120, failures=3), step(4, 30.0, 400, failures=1)],
            tmp_path,
        )
    assert str(error.value) == (
        "Requests failed (3 in the 2-user step, 1 in the 4-user step): see the "
        f"locust_*_failures.csv files and the servers' logs under {tmp_path}"
    )


def test_the_share_of_writes_weighs_each_step_by_its_requests():
    steps = [{"requests": 100, "writes": 20}, {"requests": 300, "writes": 24}]
    assert write_share(steps) == 0.11  # 44 / 400, not the mean of 20 % and 8 %
    assert write_share([]) == 0


def test_a_deployment_is_sized_from_the_rate_held():
    """31 req/s held by two workers: 15.5 each, 31 users asking half a request a second."""
    assert sizing({"rps": 31.0}, 2) == {
        "workers": 2,
        "rps_per_worker": 15.5,
        "users_per_worker": 31,
    }
    assert sizing({"rps": 12.9}, 2)["users_per_worker"] == 12  # 6.45 / 0.5 = 12.9: whole users
