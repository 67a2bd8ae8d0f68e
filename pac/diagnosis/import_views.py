"""Paste and import of a table of the diagnosis: a preview with each row's errors, saved only
once confirmed (pac.diagnosis.imports)."""

from django.http import Http404
from django.views.decorators.http import require_GET, require_http_methods


@require_http_methods(["GET", "POST"])
def figures_import(request, pk, table):
    raise Http404  # written next: pac.diagnosis.imports


@require_GET
def figures_template(request, pk, table):
    raise Http404
