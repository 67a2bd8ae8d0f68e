"""Download the documents: the PAC's synthesis or full dossier, a rep's PACI, one action sheet.

Each is kept once printed (pac.documents.kept): a second download of an unchanged plan sends the
kept file. A synthesis or dossier too long to wait for is printed in the background, with a page
that waits for it. When the file store fails, a document printed in the request is sent all the
same; one printed in the background says so on its waiting page.
"""

import io
import logging

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from actions.models import Action
from pac.core import stores
from pac.core.access import plan_access
from pac.documents import content, services, slides
from pac.documents.models import STORE_FAILURES, PdfExport
from pac.documents.printing import (
    DOSSIER,
    SYNTHESIS,
    kept_copy,
    print_and_keep,
    printed,
    prints_in_background,
)
from pac.steering.paci import paci_owner

PDF = "application/pdf"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

logger = logging.getLogger(__name__)


def send(file, name):
    return FileResponse(file, as_attachment=True, filename=name, content_type=PDF)


def plan_document(request, pk, kind):
    access = plan_access(request, pk)
    plan, language, today = access.plan, get_language(), timezone.localdate()
    dossier = kind == DOSSIER
    name = content.plan_file_name(plan, dossier)
    found = kept_copy(plan, request.user, language, today, kind)
    if found is not None:
        return send(found, name)
    if prints_in_background(plan, kind):
        export = services.export_request(
            actor=request.user, plan=plan, language=language, kind=kind
        )
        return redirect("pac:pdf-export", pk=plan.pk, export_pk=export.pk)
    file = print_and_keep(
        plan,
        request.user,
        language,
        today,
        kind,
        lambda: content.plan_document(plan, request.user, today, dossier=dossier),
    )
    return send(file, name)


@require_GET
def plan_pdf(request, pk):
    """The synthesis of the PAC, the document of the review meeting."""
    return plan_document(request, pk, SYNTHESIS)


@require_GET
def plan_dossier_pdf(request, pk):
    """The full dossier: the synthesis and every action sheet, for the archive."""
    return plan_document(request, pk, DOSSIER)


def get_export(request, pk, export_pk):
    access = plan_access(request, pk)
    return get_object_or_404(
        PdfExport.objects.select_related("plan"), plan=access.plan, pk=export_pk
    )


@require_GET
def pdf_export(request, pk, export_pk):
    """Where a long document is being printed; htmx asks again until it is ready."""
    export = get_export(request, pk, export_pk)
    context = {"plan": export.plan, "export": export}
    if request.htmx:
        return render(request, "pac/pdf_export.html#progress", context)
    return render(request, "pac/pdf_export.html", context)


@require_GET
def pdf_export_download(request, pk, export_pk):
    export = get_export(request, pk, export_pk)
    if export.status != PdfExport.Status.READY:
        raise Http404
    try:
        file = services.export_file(export)
    except FileNotFoundError:
        raise Http404 from None
    except stores.STORE_ERRORS as error:
        logger.warning("File store failed: export %s not read (%r)", export.pk, error)
        context = {
            "plan": export.plan,
            "export": export,
            "unreadable": STORE_FAILURES[stores.failure(error)],
        }
        return render(request, "pac/pdf_export.html", context, status=503)
    return send(file, export.file_name)


@require_GET
def paci_pdf(request, pk, username):
    """The rep's PACI; a rep cannot print a colleague's (404, as for the page)."""
    access = plan_access(request, pk)
    plan, rep, today = access.plan, paci_owner(access, username), timezone.localdate()
    file = printed(
        plan,
        request.user,
        get_language(),
        today,
        "paci",
        lambda: content.paci_document(plan, rep, request.user, today),
        rep.pk,
    )
    return send(file, content.paci_file_name(plan, rep))


@require_GET
def action_pdf(request, pk, action_pk):
    access = plan_access(request, pk)
    plan, today = access.plan, timezone.localdate()
    action = get_object_or_404(Action.objects.of_plan(plan), pk=action_pk)
    file = printed(
        plan,
        request.user,
        get_language(),
        today,
        "action",
        lambda: content.action_document(plan, action, request.user, today),
        action.pk,
    )
    return send(file, content.action_file_name(plan, action))


@require_GET
def plan_pptx(request, pk):
    """The synthesis as an editable PowerPoint, for the review meeting's slides."""
    access = plan_access(request, pk)
    plan, today = access.plan, timezone.localdate()
    deck = slides.plan_slides(plan, request.user, today)
    return FileResponse(
        io.BytesIO(deck),
        as_attachment=True,
        filename=content.plan_file_name(plan).removesuffix(".pdf") + ".pptx",
        content_type=PPTX,
    )
