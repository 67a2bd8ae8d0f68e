"""The diagnosis page: the settings, the three tables edited in place, and the analyses that
follow them, computed once per revision of the plan.

What is cached is what the page shows, not the analyses: one page of the clients' table, the
classes, the charts drawn, the first names of each crossed cell. Thousands of clients would
otherwise be read back from the cache on every view."""

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.translation import gettext as _

from pac.core.editing import Page
from pac.core.paging import detached
from pac.diagnosis import charts
from pac.diagnosis.selectors import diagnosis_data

# The clients' table comes a page at a time: a team may list thousands.
CLIENTS_PER_PAGE = 50
# The clients a crossed cell names.
NAMED = 3

# What a change in each table alters besides its own region; the settings change every class.
FOLLOWS = {
    "settings": ["abc", "clients", "offers", "crossed", "matrix", "mckinsey"],
    "clients": ["abc", "crossed"],
    "offers": ["abc", "mckinsey"],
    "cells": ["matrix"],
}
REGIONS = ("settings", "abc", "clients", "offers", "crossed", "cells", "matrix", "mckinsey")


def shown(plan, number):
    """What the page shows of the plan's diagnosis, on page `number` of the clients' table."""
    found = diagnosis_data(plan)
    settings = found["diagnosis"]
    clients = detached(Paginator(found["client_rows"], CLIENTS_PER_PAGE).get_page(number))

    def pareto(result, name):
        return charts.pareto(result, name, settings.class_a, settings.class_b)

    return found | {
        "client_rows": None,
        "client_count": len(found["client_rows"]),
        "clients_page": clients,
        "clients_query": f"?clients_page={clients.number}",
        "clients_abc": found["clients_abc"].summary(),
        "clients_abc_margin": None,
        "clients_pareto": pareto(found["clients_abc"], _("Pareto curve of the clients' sales")),
        "offers_pareto": pareto(found["offers_abc"], _("Pareto curve of the offers' sales")),
        "crossed": found["crossed"].first(NAMED),
    }


def diagnosis_page(request, access):
    plan = access.plan
    number = request.GET.get("clients_page", "1")

    def view():
        return page.computed("view", lambda: shown(plan, number), number)

    page = Page(
        template="pac/diagnosis.html",
        url=reverse("pac:diagnosis", args=[plan.pk]),
        base=access.context()
        # Read by every region, also when htmx asks for one alone.
        | {"target_url": reverse("pac:diagnosis-target-create", args=[plan.pk])},
        full=view,
        regions=dict.fromkeys(REGIONS, view),
        follows=FOLLOWS,
        request=request,
        plan=plan,
        name="diagnosis",
        # Every region reads the page of the clients' table it was opened on.
        region_parts=dict.fromkeys(REGIONS, (number,)),
    )
    return page
