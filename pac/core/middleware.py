"""Requests refused before any view reads them."""

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _

# The API's clients read JSON, whatever the error (pac.api answers its own 404s the same way).
API_PREFIX = "/api/"


def refuse_nul(get_response):
    """An address or query string holding a NUL byte names nothing PAC has: a 404, before a view
    hands it to PostgreSQL, whose text cannot hold one (forms refuse it in their fields, 422)."""

    def middleware(request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            if request.path.startswith(API_PREFIX):
                return JsonResponse({"detail": _("Not found.")}, status=404)
            raise Http404
        return get_response(request)

    return middleware
