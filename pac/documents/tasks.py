"""Work done in the background: printing the PAC of a large plan."""

import io
import time
from decimal import Decimal

from django.tasks import task
from django.utils import timezone, translation
from pypdf import PdfReader

from pac.documents import content as documents
from pac.documents.models import PdfExport
from pac.documents.pdf import render_pdf


@task
def print_plan(export_id):
    """Render the whole PAC of an export's plan to its file, recording how it went."""
    export = PdfExport.objects.select_related("plan__team", "requested_by").get(pk=export_id)
    export.status = PdfExport.Status.RUNNING
    export.save(update_fields=["status"])
    started = time.perf_counter()
    try:
        with translation.override(export.language):
            template, context, name = documents.plan_document(
                export.plan, export.requested_by, timezone.localdate()
            )
            pdf = render_pdf(template, context)
        export.path.parent.mkdir(parents=True, exist_ok=True)
        export.path.write_bytes(pdf)
    except Exception as error:  # the page must say it failed, whatever the reason
        export.status = PdfExport.Status.FAILED
        export.error = f"{type(error).__name__}: {error}"
    else:
        export.status = PdfExport.Status.READY
        export.file_name = name
        export.pages = len(PdfReader(io.BytesIO(pdf)).pages)
    export.seconds = Decimal(f"{time.perf_counter() - started:.2f}")
    export.finished_at = timezone.now()
    export.save()
