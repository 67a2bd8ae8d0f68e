"""The benchmark tools build what they say and measure every page."""

import json
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from actions.models import Action, ActionStep
from kpis.models import Kpi, KpiValue
from pac.core.models import Plan, Team, User
from targets.models import Deal

pytestmark = pytest.mark.django_db


def test_seed_bench_small_is_a_tenth_of_large():
    call_command("seed_bench", "--size", "small")
    assert Team.objects.count() == 4
    assert User.objects.count() == 40
    assert Plan.objects.count() == 12
    big = Plan.objects.order_by("pk").first()
    assert Action.objects.of_plan(big).count() == 100
    assert ActionStep.objects.count() == 300
    assert Kpi.objects.count() == 200
    assert KpiValue.objects.count() == 200 * 24
    assert Deal.objects.filter(plan=big).count() == 500


def test_seed_bench_refuses_to_run_twice():
    call_command("seed_bench", "--size", "small")
    with pytest.raises(Exception, match="already loaded"):
        call_command("seed_bench", "--size", "small")


def test_bench_measures_every_page(tmp_path, capsys):
    call_command("seed_bench", "--size", "small")
    today = timezone.localdate()
    values_today = KpiValue.objects.filter(recorded_on=today).count()
    call_command("bench", "--size", "small", "--requests", "2", "--output", str(tmp_path))
    out = capsys.readouterr().out
    assert "budgets: queries ≤ 15" in out
    rows = json.loads(next(tmp_path.glob("pages-*-small.json")).read_text())
    assert [row["page"] for row in rows] == [
        "plans list",
        "plan overview",
        "action list",
        "action sheet",
        "calendar month",
        "timeline",
        "PACI",
        "cockpit",
        "diagnosis",
        "plan overview (after a change)",
        "action list (after a change)",
        "calendar month (after a change)",
        "timeline (after a change)",
        "PACI (after a change)",
        "cockpit (after a change)",
        "diagnosis (after a change)",
        "PACI (after a colleague's check-in)",
        "cockpit (after a colleague's check-in)",
        "PACI (after a colleague's tick)",
        "cockpit (after a colleague's tick)",
        "admin actions (reference)",
        "floor (reference)",
    ]
    assert all(row["queries"] > 0 and row["p50_ms"] > 0 for row in rows)
    # A check-in before the request that counts the queries and before each of the two timed
    # ones, for the PACI and the cockpit: 6 values recorded today; the PACI reads from the cache.
    assert KpiValue.objects.filter(recorded_on=today).count() == values_today + 6
    by_page = {row["page"]: row for row in rows}
    assert by_page["PACI (after a colleague's check-in)"]["queries"] < by_page["PACI"]["queries"]


def test_bench_pdf_times_each_document_against_weasyprint_alone(capsys):
    call_command("bench_pdf", "--actions", "3", "--runs", "1")
    lines = capsys.readouterr().out.splitlines()
    documents = [line for line in lines if not line.startswith(" ") and "median" in line]
    assert [line.split()[0] for line in documents] == ["synthese", "dossier", "PACI", "fiche"]
    for line in documents:
        assert re.search(
            r"median +\d+\.\d\d s .* \d+ pages  WeasyPrint alone +\d+\.\d\d s  ratio", line
        )
    assert re.search(r"fiche .* 1 pages", documents[3])
    # Each part of a document on a line of its own, under it: the cover first.
    assert re.match(r" +cover +\d+\.\d\d s +\d+ pages", lines[1])
    assert re.match(r"peak memory of this process: \d+ MB", lines[-1])
    # The plan built for the run is rolled back.
    assert not Team.objects.filter(name="Bench PDF").exists()
