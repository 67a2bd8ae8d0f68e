"""Writes on a plan's diagnosis: its settings, the rows of its tables one at a time or a whole
table at once (a paste or an import), the targets chosen from it, and its copy on roll-over.

Each service checks that the actor edits the plan, and saves inside a transaction."""

from django.db import transaction
from django.utils import timezone

from pac.core import revisions
from pac.core.access import ensure_can_edit_plan
from pac.core.models import Plan
from pac.core.ordering import next_order
from pac.core.versioning import lock_version, save_as, versioned_update
from pac.diagnosis.models import ClientFigure, Diagnosis, OfferFigure, OfferSegmentFigure
from targets import services as target_services


@transaction.atomic
def diagnosis_update(*, actor, plan, version, data) -> Diagnosis:
    """The plan's settings of its analyses, created with its first save."""
    ensure_can_edit_plan(actor, plan)
    current = Diagnosis.objects.filter(plan=plan).first()
    if current is None:
        return save_as(actor, Diagnosis(plan=plan), **data)
    current = lock_version(current, version)
    return save_as(actor, current, **data)


@transaction.atomic
def figure_create(*, actor, plan, table, data):
    ensure_can_edit_plan(actor, plan)
    rows = table.rows_of(plan)
    return save_as(actor, table.model(plan=plan, order=next_order(rows)), **data)


@transaction.atomic
def figure_update(*, actor, figure, version, data):
    ensure_can_edit_plan(actor, figure.plan)
    return versioned_update(actor=actor, instance=figure, version=version, data=data)


@transaction.atomic
def figure_delete(*, actor, figure) -> None:
    ensure_can_edit_plan(actor, figure.plan)
    figure._history_user = actor
    figure.delete()


@transaction.atomic
def figures_replace(*, actor, plan, table, rows) -> list:
    """The table's rows replaced by `rows` (each a dict of the table's columns, valid as the row
    form and the import found them): a paste or an import holds the whole table, as the
    spreadsheet it comes from. Created in bulk with their history; a bulk write sends no
    signal, so the plan's revision is moved on here (pac.core.revisions)."""
    ensure_can_edit_plan(actor, plan)
    # One replacement at a time per plan: a confirmation sent twice at once (PostgreSQL) waits
    # for the first, then replaces its rows in turn instead of colliding with them.
    Plan.objects.select_for_update().filter(pk=plan.pk).first()
    # In bulk, whatever the size of the table: the deletions' history written as simple-history
    # writes it (history_type "-"), then one DELETE, which sends no signal.
    history = table.model.history.model
    now = timezone.now()
    history.objects.bulk_create(
        history(
            **{field.attname: getattr(row, field.attname) for field in table.model._meta.fields},
            history_date=now,
            history_type="-",
            history_user=actor,
        )
        for row in table.rows_of(plan)
    )
    table.rows_of(plan)._raw_delete(table.model.objects.db)
    created = table.model.objects.bulk_create(
        [table.model(plan=plan, order=order, **data) for order, data in enumerate(rows)]
    )
    table.model.history.bulk_history_create(created, default_user=actor)
    revisions.touch(Plan.objects.filter(pk=plan.pk))
    return created


@transaction.atomic
def target_from_diagnosis(*, actor, plan, data, source):
    """A target chosen from the diagnosis (a pac.diagnosis.sources.Source), remembering where
    (Target.origin), on what and from which row, cell or class."""
    ensure_can_edit_plan(actor, plan)
    return target_services.target_create(
        actor=actor,
        plan=plan,
        data=data
        | {"origin": source.origin, "origin_note": source.note[:300], "origin_source": source.key},
    )


def roll_over(rollover):
    """The figures of the plan rolled over stay those of the period before the new one: copied,
    for its manager to replace with the figures of the period just ended."""
    source, copy = rollover.source, rollover.copy
    settings = Diagnosis.objects.filter(plan=source).first()
    if settings is not None:
        rollover.create(Diagnosis, [settings], plan=lambda row: copy)
    for model in (ClientFigure, OfferFigure, OfferSegmentFigure):
        rollover.create(model, list(model.objects.filter(plan=source)), plan=lambda row: copy)
