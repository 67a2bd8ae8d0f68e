"""The figures of `manage.py load --capacity`: one closed-loop step after another, and the one that
counts, the highest request rate held with its 95th percentile under a threshold.

Kept apart from the command, which starts servers and locust, so that the arithmetic is tested
on hand-written steps.
"""

from django.core.management.base import CommandError

# Concurrent users of each step: each one sends its next request as soon as the previous answered,
# so a step of N users keeps at most N requests in the servers at once.
USERS = (1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64)
# A user of the open-loop load pauses one to three seconds between clicks: with the page's own
# time, about half a request a second (its 50 users ask 24 requests a second).
REQUESTS_PER_USER = 0.5


def step_figures(users, summary):
    """The figures of one step from the summary of its locust run (`load.summarize`)."""
    total = summary["total"]
    if not total["requests"]:
        raise CommandError(f"The {users}-user step recorded no request: see its locust files.")
    return {
        "users": users,
        "requests": total["requests"],
        "failures": total["failures"],
        "rps": total["rps"],
        "p50_ms": int(total["p50_ms"]),
        "p95_ms": int(total["p95_ms"]),
        "writes": summary["writes"],
        "write_share": round(summary["writes"] / total["requests"], 3),
    }


def held(steps, threshold_ms):
    """The step with the highest request rate among those with no error and a p95 under the
    threshold (None when none stayed under it)."""
    within = [step for step in steps if step["p95_ms"] < threshold_ms and not step["failures"]]
    return max(within, key=lambda step: step["rps"], default=None)


def beyond(step, threshold_ms):
    """Whether a step went past the threshold: the steps after it would only say it again."""
    return step["p95_ms"] >= threshold_ms


def ensure_no_errors(steps, folder):
    """Fail as the open-loop run does: any request in error fails the run."""
    failed = [step for step in steps if step["failures"]]
    if failed:
        counts = ", ".join(
            f"{step['failures']} in the {step['users']}-user step" for step in failed
        )
        raise CommandError(
            f"Requests failed ({counts}): see the locust_*_failures.csv files and the "
            f"servers' logs under {folder}"
        )


def write_share(steps):
    """The share of writes over every request of the steps."""
    requests = sum(step["requests"] for step in steps)
    return sum(step["writes"] for step in steps) / requests if requests else 0


def sizing(best, workers):
    """What one worker serves at the rate held, and how many users pausing as those of the
    open-loop load that makes."""
    per_worker = best["rps"] / workers
    return {
        "workers": workers,
        "rps_per_worker": round(per_worker, 1),
        "users_per_worker": int(per_worker / REQUESTS_PER_USER),
    }
