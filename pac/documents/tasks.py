"""Work done in the background: printing the synthesis or the dossier of a large plan."""

import logging
import time
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.tasks import task
from django.utils import timezone, translation

from pac.core import stores
from pac.documents import content, kept
from pac.documents.models import PdfExport
from pac.documents.pdf import render

logger = logging.getLogger(__name__)


@task
def print_plan(export_id):
    """Print an export's document to its file and keep a copy for the next downloads, recording
    how it went."""
    export = PdfExport.objects.select_related("plan__team", "requested_by").get(pk=export_id)
    export.status = PdfExport.Status.RUNNING
    export.save(update_fields=["status"])
    started = time.perf_counter()
    plan, reader, today = export.plan, export.requested_by, timezone.localdate()
    dossier = export.kind == PdfExport.Kind.DOSSIER
    try:
        with translation.override(export.language):
            document = content.plan_document(plan, reader, today, dossier=dossier)
            printed = render(document)
    except Exception as error:  # the page must say it failed, whatever the reason
        export.fail(error)
    else:
        try:
            default_storage.save(export.stored_as, ContentFile(printed.pdf))
        except stores.STORE_ERRORS as error:
            logger.warning("File store failed: export %s not written (%r)", export.pk, error)
            export.fail(error, stores.failure(error))
        except Exception as error:  # likewise
            export.fail(error)
        else:
            export.status = PdfExport.Status.READY
            export.file_name = document.file_name
            export.pages = printed.pages
            name = kept.name_of(plan, export.kind, export.language, today, reader)
            kept.keep(plan, today, name, printed.pdf)
    export.seconds = Decimal(f"{time.perf_counter() - started:.2f}")
    export.finished_at = timezone.now()
    export.save()
