"""A plan's revision changes with anything the plan holds, and what is computed from a plan is
cached under it.

Every save, deletion and many-to-many change of a plan's content gives the plan a new revision
token, inside the write's transaction (services run in one; a lone save is followed by the touch,
a deletion preceded by it inside Django's own), so a page computed from an older state is never
served again: its cache key names a revision nobody reads any more. Writes that bypass signals
(`QuerySet.update`, `bulk_create`) must call `touch` themselves; the only ones are the duplication
of a plan, which fills a plan created in the same transaction, and the seeding commands.
"""

import logging
import re
import uuid

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.dispatch import receiver
from django.utils.translation import get_language

from actions.models import Action, ActionStep
from kpis.models import Kpi, KpiValue
from pac.core.models import Membership, Plan, Team, User
from pac.plans.models import Competitor, SwotItem
from pac.steering.models import Review
from targets.models import Assessment, Deal, Objective, Target

# A day: entries are keyed by the day too, and a revision nobody reads any more just expires.
TIMEOUT = 24 * 60 * 60


def touch(plans):
    """Give the plans of a queryset a new revision."""
    plans.update(revision=uuid.uuid4())


# What may go into a key: a page number or a bucket name, not whatever an address holds.
PLAIN_PART = re.compile(r"[\w.-]{0,20}")

logger = logging.getLogger(__name__)


def cached(request, plan, name, compute, *parts):
    """What `compute()` returns for this revision of the plan, computed once per revision, name
    and parts (the day, a page number...). The reader's language is part of the key: results may
    hold formatted labels.

    A POST computes afresh: it may have just written, and the plan in hand still carries the
    revision it was read with. So does an odd part from an address, kept out of the cache."""
    parts = [str(part) for part in parts]
    if request.method != "GET" or not all(PLAIN_PART.fullmatch(part) for part in parts):
        return compute()
    key = ":".join(map(str, ["pac", name, plan.pk, plan.revision.hex, get_language(), *parts]))
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


def filter_parts(filters):
    """A list's filters as parts of a key: a row by its pk, a month by its first day."""
    return [f"{name}-{getattr(value, 'pk', value)}" for name, value in sorted(filters.items())]


def kpi_plans(kpi_ids):
    # Through each KPI's action or objective, whichever it has: an OR of the two paths would join
    # every action of the plan to every objective of its target first (3 ms a check-in on SQLite,
    # 8 on PostgreSQL, at 1,000 actions; this takes a sixth of that).
    plan_of = Kpi.objects.filter(pk__in=kpi_ids).values(
        plan=Coalesce("action__target__plan", "objective__target__plan")
    )
    return Plan.objects.filter(pk__in=plan_of)


# What each kind of content belongs to: the plans to touch when one of its rows changes.
PLANS_OF = {
    Plan: lambda row: Plan.objects.filter(pk=row.pk),
    SwotItem: lambda row: Plan.objects.filter(pk=row.plan_id),
    Competitor: lambda row: Plan.objects.filter(pk=row.plan_id),
    Review: lambda row: Plan.objects.filter(pk=row.plan_id),
    Target: lambda row: Plan.objects.filter(pk=row.plan_id),
    Deal: lambda row: Plan.objects.filter(pk=row.plan_id),
    Objective: lambda row: Plan.objects.filter(targets=row.target_id),
    Assessment: lambda row: Plan.objects.filter(targets__objectives=row.objective_id),
    Action: lambda row: Plan.objects.filter(targets=row.target_id),
    ActionStep: lambda row: Plan.objects.filter(targets__actions=row.action_id),
    Kpi: lambda row: Plan.objects.filter(
        Q(targets__actions=row.action_id)
        if row.action_id
        else Q(targets__objectives=row.objective_id)
    ),
    KpiValue: lambda row: kpi_plans([row.kpi_id]),
    # Pages show people's names and roles: a rename or a new role shows on every plan of the team.
    Team: lambda row: Plan.objects.filter(team=row.pk),
    Membership: lambda row: Plan.objects.filter(team=row.team_id),
    User: lambda row: Plan.objects.filter(team__memberships__user=row.pk),
}


def touch_plans_of(row):
    touch(PLANS_OF[type(row)](row))


# Saves that change nothing a plan page shows: a sign-in stamps the user's last login.
UNSHOWN_FIELDS = {"last_login", "password", "feed_token"}


def saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:  # fixtures load rows whose plans may not exist yet
        return
    if update_fields is not None and set(update_fields) <= UNSHOWN_FIELDS:
        return
    touch_plans_of(instance)


def deleting(sender, instance, origin=None, **kwargs):
    # Before the delete, while the row still leads to its plan. A deletion cascades: only the row
    # it started from (or each row of the queryset it started from) touches its plans, not the
    # thousands of steps, KPIs and values that go with it.
    if origin is instance or (isinstance(origin, QuerySet) and origin.model is sender):
        touch_plans_of(instance)


for model in PLANS_OF:
    post_save.connect(saved, sender=model, dispatch_uid=f"revision-saved-{model.__name__}")
    pre_delete.connect(deleting, sender=model, dispatch_uid=f"revision-deleting-{model.__name__}")


# From the other side of a link (user.participating_actions.add(...)), the plans of the rows
# linked or unlinked.
PLANS_OF_LINKED = {Action: "targets__actions__in", Review: "reviews__in", Team: "team__in"}


@receiver(m2m_changed, sender=Action.participants.through, dispatch_uid="revision-participants")
@receiver(m2m_changed, sender=Action.objectives.through, dispatch_uid="revision-objectives")
@receiver(m2m_changed, sender=Review.attendees.through, dispatch_uid="revision-attendees")
@receiver(m2m_changed, sender=Team.members.through, dispatch_uid="revision-members")
def linked(sender, instance, action, reverse, model, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    touch_plans_of(instance)  # the action, review or team; from the other side the user's plans
    if reverse and pk_set:
        touch(Plan.objects.filter(**{PLANS_OF_LINKED[model]: pk_set}))
