"""What the API answers when something goes wrong: JSON always, and a 404 that says the same
for a row that does not exist and for one of another team (no model name, no oracle)."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from django.views.decorators.http import require_http_methods
from rest_framework.exceptions import NotFound
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = NotFound()
    return drf_exception_handler(exc, context)


@login_not_required
@require_http_methods(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def not_found(request, rest=""):
    """Any other address under /api/ (an id of more than 18 digits, a word where an id goes): the
    API's own 404, in JSON, before any sign-in, as a missing page is."""
    return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
