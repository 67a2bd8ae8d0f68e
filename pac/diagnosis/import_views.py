"""Paste and import of a table of the diagnosis: a preview with each line's errors, saved only
once confirmed (pac.diagnosis.imports), and the spreadsheet template to fill in."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from pac.core.access import plan_access
from pac.core.editing import page_saved, posted
from pac.diagnosis import services
from pac.diagnosis.forms import ImportForm
from pac.diagnosis.imports import template_workbook
from pac.diagnosis.tables import table_named
from pac.diagnosis.views import region_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_http_methods(["GET", "POST"])
def figures_import(request, pk, table):
    """GET: the form. POST: the preview of the paste or the file, nothing saved; sent back with
    confirm=1, read and checked again, then saved in place of the whole table."""
    access = plan_access(request, pk)
    access.ensure_can_edit()
    table = table_named(table)
    plan = access.plan
    confirming = request.method == "POST" and request.POST.get("confirm") == "1"
    form = ImportForm(posted(request), request.FILES or None, table=table, confirming=confirming)
    diagnosis_url = f"{reverse('pac:diagnosis', args=[plan.pk])}#{region_of(table)}"
    valid = form.is_bound and form.is_valid() and form.preview.valid
    if valid and confirming:
        created = services.figures_replace(
            actor=request.user, plan=plan, table=table, rows=form.preview.rows_data()
        )
        messages.success(
            request,
            ngettext(
                "%(table)s: %(count)s line imported.",
                "%(table)s: %(count)s lines imported.",
                len(created),
            )
            % {"table": table.title, "count": grouped(len(created))},
        )
        return page_saved(request, diagnosis_url)
    current = table.rows_of(plan).count()
    context = access.context() | {
        "table": table,
        "heading": table.import_heading,
        "columns": [(field.label, field.required) for field in expected_columns(table)],
        "form": form,
        "preview": form.preview,
        "summary": summary(form.preview, current) if form.preview else "",
        "diagnosis_url": diagnosis_url,
    }
    status = 422 if form.is_bound and not valid else 200
    return render(request, "pac/diagnosis_import.html", context, status=status)


def expected_columns(table):
    fields = table.form.base_fields
    return [fields[name] for name in table.form.Meta.fields]


def summary(preview, current):
    """ "22 lignes seront importées et remplaceront les lignes actuelles du tableau (20)"."""
    count = len(preview.lines)
    if not current:
        return ngettext(
            "%(count)s line will be imported.", "%(count)s lines will be imported.", count
        ) % {"count": grouped(count)}
    return ngettext(
        "%(count)s line will be imported and will replace the current lines of the table "
        "(%(current)s).",
        "%(count)s lines will be imported and will replace the current lines of the table "
        "(%(current)s).",
        count,
    ) % {"count": grouped(count), "current": grouped(current)}


def grouped(count):
    """3 000 lines, as the tables write them."""
    return number_format(count, force_grouping=True)


@require_GET
def figures_template(request, pk, table):
    """The table's spreadsheet template, for anyone who reads the plan: its headers in the
    reader's language, recognised when it is imported back."""
    plan_access(request, pk)
    table = table_named(table)
    name = f"{slugify(_('diagnosis'))}-{table.name}.xlsx"
    return HttpResponse(
        template_workbook(table),
        content_type=XLSX,
        headers={"Content-Disposition": content_disposition_header(True, name)},
    )
