"""The diagnosis page: the settings, the three tables edited in place, and the analyses that
follow them, computed once per revision of the plan."""

from django.core.paginator import Paginator
from django.urls import reverse

from pac.core.editing import Page
from pac.core.paging import detached
from pac.diagnosis.analysis import CROSSED_READINGS
from pac.diagnosis.selectors import diagnosis_data

# The clients' table comes a page at a time: a team may list thousands.
CLIENTS_PER_PAGE = 50

# What a change in each table alters besides its own region; the settings change every class.
FOLLOWS = {
    "settings": ["abc", "clients", "offers", "crossed", "matrix", "mckinsey"],
    "clients": ["abc", "crossed"],
    "offers": ["abc", "mckinsey"],
    "cells": ["matrix"],
}
REGIONS = ("settings", "abc", "clients", "offers", "crossed", "cells", "matrix", "mckinsey")


def clients_page(rows, number):
    return detached(Paginator(rows, CLIENTS_PER_PAGE).get_page(number))


def diagnosis_page(request, access):
    plan = access.plan
    number = request.GET.get("clients_page", "1")
    url = reverse("pac:diagnosis", args=[plan.pk])

    def data():
        return page.computed("data", lambda: diagnosis_data(plan))

    def clients():
        found = data()
        shown = clients_page(found["client_rows"], number)
        return found | {"clients_page": shown, "clients_query": f"?clients_page={shown.number}"}

    regions = dict.fromkeys(REGIONS, data)
    regions["clients"] = clients
    page = Page(
        template="pac/diagnosis.html",
        url=url,
        base=access.context()
        | {
            "crossed_readings": CROSSED_READINGS,
            # Read by every region, also when htmx asks for one alone.
            "target_url": reverse("pac:diagnosis-target-create", args=[plan.pk]),
        },
        full=clients,
        regions=regions,
        follows=FOLLOWS,
        request=request,
        plan=plan,
        name="diagnosis",
        region_parts={"clients": (number,)},
    )
    return page
