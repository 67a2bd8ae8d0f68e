"""A document for a reader: the copy kept of it (pac.documents.kept), or printed and kept."""

import io
from datetime import timedelta

from django.conf import settings
from django.utils import timezone, translation

from actions.models import Action
from pac.core.models import Plan, Role, User
from pac.documents import content, kept
from pac.documents.pdf import render

SYNTHESIS = "synthesis"
DOSSIER = "dossier"


def prints_in_background(plan, kind):
    """Whether the plan's synthesis or dossier is too long to wait for on a download."""
    limit = (
        settings.BACKGROUND_PDF_ACTIONS
        if kind == DOSSIER
        else settings.BACKGROUND_SYNTHESIS_ACTIONS
    )
    return Action.objects.of_plan(plan).count() > limit


def kept_copy(plan, reader, language, today, kind, *options):
    """The kept file of this document as of this revision of the plan, opened, or None."""
    return kept.find(kept.name_of(plan, kind, language, today, reader, *options))


def print_and_keep(plan, reader, language, today, kind, build, *options):
    """`build()`'s document printed now and kept, as a file to send."""
    pdf = render(build()).pdf
    kept.keep(plan, today, kept.name_of(plan, kind, language, today, reader, *options), pdf)
    return io.BytesIO(pdf)


def printed(plan, reader, language, today, kind, build, *options):
    """The document as a file to send: the kept copy, or `build()` printed now and kept."""
    found = kept_copy(plan, reader, language, today, kind, *options)
    if found is not None:
        return found
    return print_and_keep(plan, reader, language, today, kind, build, *options)


def print_ahead(now):
    """Print the synthesis of each active plan nobody has changed for PRINT_QUIET_MINUTES, for
    each of its managers in their language, unless it is kept already: when the review meeting
    starts, the document opens at once. [(plan, manager)] printed. A file store that fails
    stops it: one of pac.core.stores.STORE_ERRORS from asking what is kept, or, when a copy could
    not be kept (logged by pac.documents.kept), no more printing for nothing."""
    today = timezone.localdate(now)
    quiet = now - timedelta(minutes=settings.PRINT_QUIET_MINUTES)
    done = []
    plans = Plan.objects.filter(status=Plan.Status.ACTIVE, revised_at__lte=quiet)
    for plan in plans.select_related("team").order_by("pk"):
        managers = User.objects.members_of(plan.team_id, [Role.MANAGER]).filter(is_active=True)
        for manager in managers:
            name = kept.name_of(plan, SYNTHESIS, manager.language, today, manager)
            if kept.exists(name):
                continue
            with translation.override(manager.language):
                document = content.plan_document(plan, manager, today)
                if not kept.keep(plan, today, name, render(document).pdf):
                    return done
            done.append((plan, manager))
    return done
