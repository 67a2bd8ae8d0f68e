"""URLs for the benchmark only: the application's, plus a floor that serves stored bytes."""

from django.http import HttpResponse
from django.urls import include, path

FLOOR = {"body": b""}


def floor(request):
    """What the stack costs with no work at all: the plan page's bytes, already rendered."""
    return HttpResponse(FLOOR["body"])


urlpatterns = [path("bench-floor/", floor), path("", include("pac.urls"))]
