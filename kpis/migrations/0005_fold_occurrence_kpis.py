"""An action's occurrences ("5 of 6 done") are one figure, kept on the action and reported with
its progress. KPIs that repeated them ("Réalisations · …", whose target is the number of
occurrences planned) are folded into the action: the action keeps the larger of the two figures
(reports only go up), within the number planned, and the KPI goes with its values."""

import uuid

from django.db import migrations

WORDS = ("réalisation", "realisation", "occurrence")


def repeats_the_occurrences(kpi):
    text = f"{kpi.name} {kpi.unit}".lower()
    return kpi.target_value == kpi.action.occurrences_planned and any(
        word in text for word in WORDS
    )


def fold_occurrence_kpis(apps, schema_editor):
    Kpi = apps.get_model("kpis", "Kpi")
    KpiValue = apps.get_model("kpis", "KpiValue")
    Action = apps.get_model("actions", "Action")
    Plan = apps.get_model("pac", "Plan")
    folded = []
    for kpi in Kpi.objects.filter(action__occurrences_planned__isnull=False).select_related(
        "action"
    ):
        if not repeats_the_occurrences(kpi):
            continue
        action = kpi.action
        latest = KpiValue.objects.filter(kpi=kpi).order_by("-recorded_on").first()
        if latest is not None:
            done = min(max(action.occurrences_done, int(latest.value)), action.occurrences_planned)
            Action.objects.filter(pk=action.pk).update(occurrences_done=max(done, 0))
        folded.append(kpi.pk)
    Kpi.objects.filter(pk__in=folded).delete()
    if folded:
        Plan.objects.update(revision=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0003_version"),
        ("kpis", "0004_kpi_per_period"),
        ("pac", "0007_plan_revision"),
        ("targets", "0006_measures_and_assessments"),
    ]

    operations = [migrations.RunPython(fold_occurrence_kpis, migrations.RunPython.noop)]
