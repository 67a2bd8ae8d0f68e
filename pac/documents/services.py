"""Documents printed in the background: asked for here, printed by the task worker."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from pac.core.models import Plan
from pac.documents import kept
from pac.documents.models import PdfExport
from pac.documents.tasks import print_plan


def export_request(*, actor, plan, language, kind=PdfExport.Kind.DOSSIER):
    """Queue the printing of the synthesis or dossier of a large plan: whoever reads the plan
    may."""
    if not Plan.objects.for_user(actor).filter(pk=plan.pk).exists():
        raise PermissionDenied
    with transaction.atomic():
        export = PdfExport.objects.create(
            plan=plan, requested_by=actor, language=language, kind=kind
        )
    # Once the row is committed: the worker reads it in a transaction of its own.
    print_plan.enqueue(str(export.pk))
    return export


def export_file(export):
    """The printed file of an export, opened and fetched; FileNotFoundError if it is gone, one
    of pac.core.stores.STORE_ERRORS if the store fails."""
    return kept.fetch(export.stored_as)
