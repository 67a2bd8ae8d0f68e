"""A plan's revision changes with anything the plan holds, and what is computed from a plan is
cached under it.

Every save, deletion and many-to-many change of a plan's content gives the plan a new revision
token, inside the write's transaction (services run in one; a lone save is followed by the touch,
a deletion preceded by it inside Django's own), so a page computed from an older state is never
served again: its cache key names a revision nobody reads any more. Writes that bypass signals
(`QuerySet.update`, `bulk_create`) must call `touch` themselves; the only ones are the duplication
of a plan, which fills a plan created in the same transaction, the replacement of a diagnosis's
table by an import (pac.diagnosis.services.figures_replace), the carnet's deals imported from a
CRM (targets.services.deals_import), and the seeding commands.

Each model of plan content says how its rows lead to their plan, beside its fields: `plan_path`,
a lookup from the model to Plan (`"target__plan"`), or several when a row follows one of them
(a KPI, through its action or its objective). `connect()` reads them at start-up from the
registry; `unlinked()` names the models that hold plan content and say nothing (a test runs it).

A transaction touches a plan once for all its writes that reach the plan the same way (an action's
sheet, participants and objectives): they commit with the new token, which nobody else reads
before (see `Touches`).
"""

import logging
import re
import uuid

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import connections, transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.utils import timezone
from django.utils.translation import get_language
from simple_history.models import HistoricalChanges

from pac.core.models import Plan, Versioned

# A day: entries are keyed by the day too, and a revision nobody reads any more just expires.
TIMEOUT = 24 * 60 * 60


# What a write moves besides `Plan.revision`. Most writes move everything (SHARED). Two kinds of
# rows are read apart by the pages that can afford finer keys, the PACI and the cockpit: a
# step (its tick shows on its action's people's PACIs and in the plan's late work) and a value
# of a KPI that measures no objective (on its owner's PACI and in the cockpit's ranking of
# KPIs). Such a model names its kind (`revision_kind`) and says whose PACI shows the row
# (`revision_people()`, None when it cannot say: then the write is SHARED).
SHARED, STEPS, VALUES = "shared", "steps", "values"
TOKENS = {
    # A shared write moves the finer tokens too: a plan's own save writes back the tokens it was
    # read with, and a part cached under an old steps token must not be read again after it.
    SHARED: ("shared_revision", "steps_revision", "values_revision"),
    STEPS: ("steps_revision",),
    VALUES: ("values_revision",),
}


def kind_of(row):
    """What a write of this row moves: SHARED for most, or the finer kind its model names."""
    return getattr(type(row), "revision_kind", SHARED)


def touch(plans, kind=SHARED, people=None):
    """Give the plans of a queryset a new revision, and the finer tokens `kind` moves. For a
    finer kind, `people()` says whose PACI shows the row written, asked once the plans' rows are
    locked: whoever changes who sees the row (a participant added, a KPI given to another owner
    or made the measure of an objective) makes a shared change, which takes the same lock, so
    the answer is the one that commits. When `people()` cannot say (None), the write is shared."""
    if kind == SHARED:
        tokens = {name: uuid.uuid4() for name in TOKENS[SHARED]}
        plans.update(revision=uuid.uuid4(), revised_at=timezone.now(), **tokens)
        return
    # The people's tokens are read and written back under the rows' lock (SQLite's writers take
    # the whole database first): two check-ins at once each keep the other's token.
    # Inside the write's transaction already (a lone save opens one): no savepoint of its own.
    with transaction.atomic(using=plans.db, savepoint=False):
        rows = list(plans.select_for_update().values_list("pk", "people_revisions"))
        shown_to = people()
        if shown_to is None:
            kind, shown_to = SHARED, ()
        tokens = {name: uuid.uuid4() for name in TOKENS[kind]}
        for pk, known in rows:
            known = known | {str(person): uuid.uuid4().hex[:12] for person in shown_to}
            Plan.objects.using(plans.db).filter(pk=pk).update(
                revision=uuid.uuid4(), revised_at=timezone.now(), people_revisions=known, **tokens
            )


def person_token(plan, person):
    """The key of what a person's PACI shows: the plan's shared token and their own."""
    return f"{plan.shared_revision.hex}-{plan.people_revisions.get(str(person), 'none')}"


# What may go into a key: a page number or a bucket name, not whatever an address holds.
PLAIN_PART = re.compile(r"[\w.-]{0,20}")

logger = logging.getLogger(__name__)


def cached(request, plan, name, compute, *parts, revision=None):
    """What `compute()` returns for this revision of the plan, computed once per revision, name
    and parts (the day, a page number...). The reader's language is part of the key: results may
    hold formatted labels.

    A POST computes afresh: it may have just written, and the plan in hand still carries the
    revision it was read with. So does an odd part from an address, kept out of the cache, and
    a read inside a transaction that has written plan content: its new revision is not final
    until the transaction commits (later writes in it keep the same token).

    `revision` replaces the plan's revision in the key for a part that reads only what finer
    tokens follow (`person_token`, or `Plan.shared_revision` with a finer token)."""
    parts = [str(part) for part in parts]
    if not cacheable(request, parts):
        return compute()
    key = key_of(plan, name, revision or plan.revision.hex, parts)
    try:
        value = cache.get(key)
    except Exception:  # a cache server gone must slow the pages down, not break them
        logger.exception("Cache unavailable: %s computed without it", name)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, TIMEOUT)
        except Exception:
            logger.exception("Cache unavailable: %s not kept", name)
    return value


def cacheable(request, parts):
    return (
        request.method == "GET"
        and all(PLAIN_PART.fullmatch(part) for part in parts)
        and not Touches.pending()
    )


def key_of(plan, name, revision, parts):
    return ":".join(map(str, ["pac", name, plan.pk, revision, get_language(), *parts]))


def cached_by_person(request, plan, name, compute, *parts):
    """{person id: their share of something computed from the plan}, each share kept under the
    person's token (`person_token`; unowned rows under the values token), so that a check-in
    computes again its owner's share alone. `compute(people)` returns {person: share} for those
    people, for everyone when `people` is None; who has a share is kept under the shared token.
    Conditions as for `cached`."""
    parts = [str(part) for part in parts]
    if not cacheable(request, parts):
        return compute(None)
    shared = plan.shared_revision.hex

    def key(person):
        token = person_token(plan, person) if person is not None else None
        return key_of(plan, name, token or f"{shared}-{plan.values_revision.hex}", parts)

    index = key_of(plan, f"{name}-people", shared, parts)
    try:
        people = cache.get(index)
        found = cache.get_many([key(person) for person in people]) if people is not None else {}
    except Exception:  # as in `cached`
        logger.exception("Cache unavailable: %s computed without it", name)
        return compute(None)
    if people is None:
        shares = compute(None)
        fresh = shares
    else:
        shares = {person: found[key(person)] for person in people if key(person) in found}
        missing = [person for person in people if key(person) not in found]
        fresh = compute(missing) if missing else {}
        shares |= {person: fresh.get(person, []) for person in missing}
        fresh = {person: shares[person] for person in missing}
    try:
        cache.set_many({key(person): share for person, share in fresh.items()}, TIMEOUT)
        if people is None:
            cache.set(index, list(shares), TIMEOUT)
    except Exception:
        logger.exception("Cache unavailable: %s not kept", name)
    return shares


def filter_parts(filters):
    """A list's filters as parts of a key: a row by its pk, a month by its first day."""
    return [f"{name}-{getattr(value, 'pk', value)}" for name, value in sorted(filters.items())]


# A key says where the plans of some rows are found: rows `pk` of `model`, followed along `paths`
# (the first of them that leads somewhere, see `plans_of`); a plan is its own, (Plan, ("pk",), pk).
# A row that holds the first link of its path is keyed by the row it points to (an action by its
# target), read from the row without a query: an action's sheet, participants and objectives then
# share one key, touched once in a transaction.


def paths_of(model):
    """The lookups from the model to Plan that the model declares, as a tuple; () if none."""
    path = getattr(model, "plan_path", None)
    return (path,) if isinstance(path, str) else tuple(path or ())


def keys_of(row):
    """The keys of the plans a row belongs to, read from the row alone (no query)."""
    model = type(row)
    paths = paths_of(model)
    if model is Plan:
        return {(Plan, ("pk",), row.pk)}
    hops = {}
    for path in paths:
        first, _, rest = path.partition("__")
        hops.setdefault(first, []).append(rest)
    keys = set()
    for first, rests in hops.items():
        field = model._meta.get_field(first)
        if not (field.many_to_one or field.one_to_one) or not field.concrete:
            return {(model, paths, row.pk)}  # a reverse relation: the row is its own key
        linked = getattr(row, field.attname)
        if linked is None:
            continue  # a KPI follows its action or its objective, not both
        if field.related_model is Plan and rests == [""]:
            keys.add((Plan, ("pk",), linked))
        else:
            keys.add((field.related_model, tuple(rests), linked))
    return keys


def plans_of(model, paths, pks):
    """The plans reached from these rows of the model along its paths (the first that leads
    somewhere for each row: through a KPI's action or its objective, whichever it has; an OR of
    the two paths would join every action of the plan to every objective of its target first,
    3 ms a check-in on SQLite, 8 on PostgreSQL at 1,000 actions; this takes a sixth of that)."""
    if model is Plan:
        return Plan.objects.filter(pk__in=pks)
    rows = model._base_manager.filter(pk__in=pks)
    if len(paths) > 1:
        return Plan.objects.filter(pk__in=rows.values(plan_of=Coalesce(*paths)))
    return Plan.objects.filter(pk__in=rows.values(paths[0]))


def people_of(row):
    """Whose PACI shows the row, asked when its plans are locked (`touch`); None for a shared
    change."""
    if kind_of(row) == SHARED:
        return None

    def shown_to():
        people = row.revision_people()
        return None if people is None else set(people) - {None}

    return shown_to


def touch_keys(keys, using, again=False, kind=SHARED, people=None):
    """Give the plans of these keys a new revision (and what `kind` and `people` move, see
    `touch`), unless this transaction already has. A key of a finer kind leads to the row whose
    people it follows (a step's action, a value's KPI): touched once in a transaction too, since
    a change of those people is a shared change of its own."""
    keys = {(kind, *key) for key in keys}
    touches = Touches.of(using)
    if touches is not None and not again:
        keys = touches.new(keys)
    groups = {}
    for _kind, model, paths, pk in keys:
        groups.setdefault((model, paths), set()).add(pk)
    for (model, paths), pks in groups.items():
        touch(plans_of(model, paths, sorted(pks)).using(using), kind, people)
    if touches is not None and keys:
        touches.add(keys)


class Touches:
    """The keys a transaction has touched, one UPDATE each however many rows it writes: the new
    token commits with all of them, and nobody else reads it before. An action's save, its
    participants and its objectives made three; one now.

    A touch counts for as long as its UPDATE is part of the transaction. Django forgets an
    `on_commit` callback with the savepoint it was registered in, on a rollback to it, and all of
    them when the transaction ends: each UPDATE registers one (it does nothing when called), and
    the keys count while their callback is still in `connection.run_on_commit`.

    The transaction is the outermost atomic block the code opened, one a test case opens around
    each test left aside (Django marks those `_from_testcase`), so that a test's successive
    services touch as they would in production. Outside a transaction, every write touches."""

    def __init__(self, connection, scope):
        self.connection, self.scope, self.kept = connection, scope, []

    @staticmethod
    def scope_of(connection):
        """The outermost atomic block opened by the code: its savepoint, "transaction" when it
        began the transaction; None outside one, or in a block without a savepoint inside a
        test's (nothing tells two of those apart: each write then touches)."""
        blocks = connection.atomic_blocks
        depth = next((d for d, block in enumerate(blocks) if not block._from_testcase), None)
        if depth is None:
            return None
        # A block that began the transaction made no savepoint: one id fewer than blocks.
        index = depth - (len(blocks) - len(connection.savepoint_ids))
        return "transaction" if index < 0 else connection.savepoint_ids[index]

    @classmethod
    def of(cls, using):
        connection = connections[using]
        scope = cls.scope_of(connection)
        if scope is None:
            return None
        touches = getattr(connection, "pac_touches", None)
        if touches is None or touches.scope != scope:
            touches = connection.pac_touches = cls(connection, scope)
        return touches

    @classmethod
    def pending(cls, using="default"):
        """Whether the current transaction has touched plans it has not committed yet."""
        touches = cls.of(using)
        return touches is not None and bool(touches.live())

    def live(self):
        registered = {func for _, func, _ in self.connection.run_on_commit}
        self.kept = [(mark, keys) for mark, keys in self.kept if mark in registered]
        return self.kept

    def new(self, keys):
        done = set().union(*(keys for _, keys in self.live()))
        return set(keys) - done

    def add(self, keys):
        mark = Mark()
        transaction.on_commit(mark, using=self.connection.alias)
        self.kept.append((mark, set(keys)))


class Mark:
    """A touch's place in its transaction (see `Touches`); nothing to do on commit."""

    def __call__(self):
        pass


# Saves that change nothing a plan page shows: a sign-in stamps the user's last login.
UNSHOWN_FIELDS = {"last_login", "password", "feed_token"}


def saved(sender, instance, raw=False, update_fields=None, using="default", **kwargs):
    if raw:  # fixtures load rows whose plans may not exist yet
        return
    if update_fields is not None and set(update_fields) <= UNSHOWN_FIELDS:
        return
    # A plan's own save writes back the token it was read with, maybe an old one: always a new
    # one after it, even if the transaction touched the plan before.
    again = sender is Plan and (update_fields is None or "revision" in update_fields)
    touch_keys(keys_of(instance), using, again, kind_of(instance), people_of(instance))


def deleting(sender, instance, origin=None, using="default", **kwargs):
    # Before the delete, while the row still leads to its plan. A deletion cascades: only the row
    # it started from (or each row of the queryset it started from) touches its plans, not the
    # thousands of steps, KPIs and values that go with it.
    if origin is instance or (isinstance(origin, QuerySet) and origin.model is sender):
        touch_keys(keys_of(instance), using, False, kind_of(instance), people_of(instance))


def linked(sender, instance, action, reverse, model, pk_set, using="default", **kwargs):
    if not action.startswith("post_"):
        return
    keys = keys_of(instance)  # the action, review or team; from the other side the user's plans
    if reverse and pk_set:
        # From the other side of the link (user.participating_actions.add(...)), the plans of
        # the rows linked or unlinked.
        paths = paths_of(model)
        keys |= {(model, paths, pk) for pk in pk_set}
    touch_keys(keys, using)


def content_models():
    """The models that declare their path to their plan, each path checked to end at Plan."""
    models = [model for model in apps.get_models() if paths_of(model)]
    for model in models:
        for path in paths_of(model):
            if path_end(model, path) is not Plan:
                raise ImproperlyConfigured(
                    f"{model._meta.label}.plan_path: {path!r} does not lead to Plan."
                )
    return models


def path_end(model, path):
    if path == "pk":
        return model
    for name in path.split("__"):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        model = field.related_model
        if model is None:
            return None
    return model


def links(models):
    """The many-to-many fields between two models of plan content (an action's participants and
    objectives, a review's attendees, a team's members): a link made or broken changes both
    sides' plans. A user's groups and permissions are no plan's content."""
    content = set(models)
    return [
        field
        for model in models
        for field in model._meta.local_many_to_many
        if field.related_model in content
    ]


def connect():
    """Keep the revisions of plans with their content (pac.apps.PacConfig.ready)."""
    models = content_models()
    for model in models:
        uid = model._meta.label
        post_save.connect(saved, sender=model, dispatch_uid=f"revision-saved-{uid}")
        pre_delete.connect(deleting, sender=model, dispatch_uid=f"revision-deleting-{uid}")
    for field in links(models):
        through = field.remote_field.through
        m2m_changed.connect(linked, sender=through, dispatch_uid=f"revision-linked-{field}")


# Rows that lead to a plan but are not shown as its content. Every other model with a foreign-key
# path to Plan, or versioned, declares its `plan_path`.
NOT_CONTENT = {
    "pac.PdfExport",  # a print job: its document is made from the plan, the plan does not show it
}


def unlinked(models):
    """The models that hold plan content (versioned, or with a path of foreign keys to Plan) but
    declare no path to their plan. Histories copy their model's links but are not content, and
    a many-to-many table between two models of plan content is followed by `linked`."""
    linked_tables = {field.remote_field.through for field in links(content_models())}
    return [
        model
        for model in models
        if not paths_of(model)
        and model._meta.label not in NOT_CONTENT
        and not issubclass(model, HistoricalChanges)
        and model not in linked_tables
        and (issubclass(model, Versioned) or leads_to_plan(model))
    ]


def leads_to_plan(model, seen=()):
    """Whether a path of foreign keys leads from the model to Plan."""
    for field in model._meta.concrete_fields:
        target = field.related_model if (field.many_to_one or field.one_to_one) else None
        if target is Plan:
            return True
        if target not in {None, model, *seen} and leads_to_plan(target, (*seen, model)):
            return True
    return False
