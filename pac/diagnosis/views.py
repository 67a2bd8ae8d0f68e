"""The diagnosis page and its edits: settings, rows of its tables, paste and import, and the
targets chosen from it."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pac.core.access import plan_access
from pac.core.editing import UNSENT, edit_region, page_repeated, page_saved, posted, submit
from pac.diagnosis import services
from pac.diagnosis.forms import DiagnosisForm
from pac.diagnosis.page import diagnosis_page
from pac.diagnosis.selectors import diagnosis_data, settings_of
from pac.diagnosis.sources import source_of
from pac.diagnosis.tables import table_named
from targets.forms import TargetForm
from targets.models import Target


@require_GET
def diagnosis(request, pk):
    return diagnosis_page(request, plan_access(request, pk)).show(request)


@require_http_methods(["GET", "POST"])
def diagnosis_settings(request, pk):
    """The thresholds change every class: the analyses and the tables come with the settings."""
    access = plan_access(request, pk)
    access.ensure_can_edit()
    plan = access.plan
    return edit_region(
        request,
        diagnosis_page(request, access),
        "settings",
        DiagnosisForm(posted(request), instance=settings_of(plan)),
        lambda data: services.diagnosis_update(
            actor=request.user,
            plan=plan,
            version=data["version"],
            data={name: data[name] for name in DiagnosisForm.Meta.fields},
        ),
        editing="settings",
    )


@require_http_methods(["GET", "POST"])
def figure_create(request, pk, table):
    access = plan_access(request, pk)
    access.ensure_can_edit()
    table = table_named(table)
    plan = access.plan
    form = table.form(posted(request), instance=table.model(plan=plan))
    return edit_region(
        request,
        diagnosis_page(request, access),
        region_of(table),
        form,
        lambda data: services.figure_create(
            actor=request.user,
            plan=plan,
            table=table,
            data={name: data[name] for name in table.form.Meta.fields},
        ),
        adding=table.name,
    )


@require_http_methods(["GET", "POST"])
def figure_update(request, pk, table, row_pk):
    access = plan_access(request, pk)
    access.ensure_can_edit()
    table = table_named(table)
    figure = get_object_or_404(table.model, plan=access.plan, pk=row_pk)
    form = table.form(posted(request), instance=figure)
    return edit_region(
        request,
        diagnosis_page(request, access),
        region_of(table),
        form,
        lambda data: services.figure_update(
            actor=request.user,
            figure=figure,
            version=data["version"],
            data={name: data[name] for name in table.form.Meta.fields},
        ),
        editing_table=table.name,
        editing_row=figure.pk,
    )


@require_POST
def figure_delete(request, pk, table, row_pk):
    access = plan_access(request, pk)
    access.ensure_can_edit()
    table = table_named(table)
    figure = get_object_or_404(table.model, plan=access.plan, pk=row_pk)
    services.figure_delete(actor=request.user, figure=figure)
    return diagnosis_page(request, access).saved(request, region_of(table))


def region_of(table):
    """The region of the page that holds a table."""
    return {"clients": "clients", "offers": "offers", "offer-segments": "cells"}[table.name]


@require_http_methods(["GET", "POST"])
def target_create(request, pk):
    """A target chosen from the diagnosis (?source= names the row, cell or bubble): its form
    prefilled from what the diagnosis shows there, the target remembering where it came from."""
    access = plan_access(request, pk)
    access.ensure_can_edit()
    plan = access.plan
    source = source_of(diagnosis_data(plan), request.GET.get("source"))
    form = TargetForm(posted(request), instance=Target(plan=plan), initial=source.initial())
    sent = (
        submit(
            form,
            lambda data: services.target_from_diagnosis(
                actor=request.user,
                plan=plan,
                data={name: data[name] for name in TargetForm.Meta.fields},
                source=source,
            ),
        )
        if request.method == "POST"
        else UNSENT
    )
    if sent.repeated:
        return page_repeated(request, f"{plan.get_absolute_url()}#targets")
    if sent.saved:
        messages.success(
            request,
            _("Target “%(name)s” created from the diagnosis. Give it its objectives below.")
            % {"name": sent.result.name},
        )
        return page_saved(request, f"{plan.get_absolute_url()}#target-{sent.result.pk}")
    context = access.context() | {"form": form, "source": source}
    return render(request, "pac/diagnosis_target.html", context, status=sent.status)
