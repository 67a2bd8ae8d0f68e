"""TODO"""

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import pgettext_lazy

from pac.core.display import readable
from pac.core.models import REVISION_FIELDS


@dataclass
class Change:
    when: object
    who: object
    kind: str
    subject: str
    label: str
    fields: list
    # Why, when the change says (an accepted proposal: who proposed it, who accepted it).
    reason: str = ""


# "Action « … » créée", "Objectif « … » créé": the word agrees with the subject's gender, which
# each caller of `changes` gives as "feminine" or "masculine".
HISTORY_KINDS = {
    "feminine": {
        "+": pgettext_lazy("feminine", "created"),
        "~": pgettext_lazy("feminine", "changed"),
        "-": pgettext_lazy("feminine", "deleted"),
    },
    "masculine": {
        "+": pgettext_lazy("masculine", "created"),
        "~": pgettext_lazy("masculine", "changed"),
        "-": pgettext_lazy("masculine", "deleted"),
    },
}


# Bookkeeping columns that change on every save and say nothing to a reader (a plan's revision
# tokens are not even kept in its history).
QUIET_FIELDS = {"version", "updated_at", "created_at", "order", *REVISION_FIELDS}


def changes(records, subject, limit, gender="masculine"):
    """Readable changes from history records: who, when, and each field's old and new value.

    Records are diffed against the previous record of the same object in memory, and the people,
    targets... they point to are fetched in one query per kind, so the page's queries do not grow
    with the length of the history.
    """
    previous = {}
    raw = []
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        before = previous.get(record.id)
        previous[record.id] = record
        fields = []
        if before is not None and record.history_type == "~":
            for field in record.instance_type._meta.concrete_fields:
                if field.attname in QUIET_FIELDS or field.primary_key:
                    continue
                old, new = getattr(before, field.attname), getattr(record, field.attname)
                if old != new:
                    fields.append((field, old, new))
            if not fields:
                continue
        raw.append((record, fields))
    raw = sorted(raw, key=lambda item: item[0].history_date, reverse=True)[:limit]

    wanted = defaultdict(set)
    for _record, fields in raw:
        for field, old, new in fields:
            if field.is_relation:
                wanted[field.related_model] |= {old, new} - {None}
    objects = {model: model._default_manager.in_bulk(ids) for model, ids in wanted.items()}

    def shown(field, value):
        return readable(field, value, objects.get(field.related_model)) or "—"

    return [
        Change(
            when=record.history_date,
            who=record.history_user,
            kind=HISTORY_KINDS[gender][record.history_type],
            subject=subject,
            label=str(
                getattr(record, "title", None)
                or getattr(record, "name", None)
                or getattr(record, "text", "")
            ),
            fields=[(f.verbose_name, shown(f, old), shown(f, new)) for f, old, new in fields],
            reason=getattr(record, "history_change_reason", None) or "",
        )
        for record, fields in raw
    ]
