"""Rolling a plan over to its next period (the PDCA loop): what every app's copy of its own rows
shares. Each app copies its rows through a RollOver (targets, then actions, then KPIs), which
moves their dates into the new period and remembers which new row each old one became."""

from dataclasses import dataclass, field
from datetime import date, timedelta


def shifted(day, offset, start, end):
    """A date moved by the offset between two periods, kept inside the new period."""
    if day is None:
        return None
    # A day saved before the bounds of pac.core.periods.plausible_errors (year 9999) has no day
    # after it.
    moved = day + offset if date.min + abs(offset) <= day <= date.max - abs(offset) else day
    return min(max(moved, start), end)


@dataclass
class RollOver:
    actor: object
    source: object  # the plan copied
    copy: object  # its copy, already saved
    # Per model, the new row each old row's pk became.
    copies: dict = field(default_factory=dict)
    # The KPI measuring each old objective: the objectives are copied before their KPIs.
    measures: dict = field(default_factory=dict)

    @property
    def offset(self):
        return timedelta(days=(self.copy.period_start - self.source.period_start).days)

    def move(self, day):
        return shifted(day, self.offset, self.copy.period_start, self.copy.period_end)

    def create(self, model, rows, **changes_of):
        """Copies of `rows` (each changed by `changes_of[name](row)`) created in bulk with their
        history; a copy starts at version 1. Returns the copies, remembered by old pk."""
        olds = [row.pk for row in rows]
        for row in rows:
            changes = {name: change(row) for name, change in changes_of.items()}
            row.pk = row.id = None
            row._state.adding = True
            row.version = 1
            for name, value in changes.items():
                setattr(row, name, value)
        created = model.objects.bulk_create(rows)
        model.history.bulk_history_create(created, default_user=self.actor)
        self.copies.setdefault(model, {}).update(zip(olds, created, strict=True))
        return created

    def copy_of(self, model, pk):
        return self.copies[model][pk] if pk is not None else None
