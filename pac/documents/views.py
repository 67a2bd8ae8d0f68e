"""Download the documents: the whole plan, a rep's PACI, one action sheet, as PDF."""

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from actions.models import Action
from pac.core.access import plan_access
from pac.documents import content as documents
from pac.documents import services
from pac.documents.models import PdfExport
from pac.documents.pdf import render_pdf
from pac.steering.paci import paci_owner


def pdf_response(request, template, context, name):
    response = HttpResponse(
        render_pdf(template, context, request=request), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def plan_pdf(request, pk):
    """The whole PAC; a large plan is printed in the background, with a page to wait on."""
    access = plan_access(request, pk)
    plan = access.plan
    if Action.objects.of_plan(plan).count() > settings.BACKGROUND_PDF_ACTIONS:
        export = services.export_request(
            actor=request.user, plan=plan, language=get_language() or "fr"
        )
        return redirect("pac:pdf-export", pk=plan.pk, export_pk=export.pk)
    return pdf_response(request, *documents.plan_document(plan, request.user, timezone.localdate()))


def get_export(request, pk, export_pk):
    access = plan_access(request, pk)
    plan = access.plan
    return get_object_or_404(PdfExport.objects.select_related("plan"), plan=plan, pk=export_pk)


@require_GET
def pdf_export(request, pk, export_pk):
    """Where the PAC of a large plan is being printed; htmx asks again until it is ready."""
    export = get_export(request, pk, export_pk)
    context = {"plan": export.plan, "export": export}
    if request.htmx:
        return render(request, "pac/pdf_export.html#progress", context)
    return render(request, "pac/pdf_export.html", context)


@require_GET
def pdf_export_download(request, pk, export_pk):
    export = get_export(request, pk, export_pk)
    if export.status != PdfExport.Status.READY or not export.path.exists():
        raise Http404
    return FileResponse(
        export.path.open("rb"),
        as_attachment=True,
        filename=export.file_name,
        content_type="application/pdf",
    )


@require_GET
def paci_pdf(request, pk, username):
    """The rep's PACI; a rep cannot print a colleague's (404, as for the page)."""
    access = plan_access(request, pk)
    plan, rep = access.plan, paci_owner(access, username)
    return pdf_response(
        request, *documents.paci_document(plan, rep, request.user, timezone.localdate())
    )


@require_GET
def action_pdf(request, pk, action_pk):
    access = plan_access(request, pk)
    plan = access.plan
    action = get_object_or_404(Action.objects.of_plan(plan), pk=action_pk)
    return pdf_response(
        request, *documents.action_document(plan, action, request.user, timezone.localdate())
    )
