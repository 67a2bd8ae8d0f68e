"""Download the documents: the whole plan, a rep's PACI, one action sheet, as PDF."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET

from actions.models import Action
from pac import documents
from pac.editing import get_plan
from pac.pdf import render_pdf
from pac.steering_views import get_paci


def pdf_response(request, template, context, name):
    response = HttpResponse(
        render_pdf(template, context, request=request), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def plan_pdf(request, pk):
    plan = get_plan(request, pk)
    return pdf_response(request, *documents.plan_document(plan, request.user, timezone.localdate()))


@require_GET
def paci_pdf(request, pk, username):
    """The rep's PACI; a rep cannot print a colleague's (404, as for the page)."""
    plan, rep = get_paci(request, pk, username)
    return pdf_response(
        request, *documents.paci_document(plan, rep, request.user, timezone.localdate())
    )


@require_GET
def action_pdf(request, pk, action_pk):
    plan = get_plan(request, pk)
    action = get_object_or_404(Action.objects.of_plan(plan), pk=action_pk)
    return pdf_response(
        request, *documents.action_document(plan, action, request.user, timezone.localdate())
    )
