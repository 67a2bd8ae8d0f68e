"""The import of a PAC from a spreadsheet: a preview with what each line creates or why it
cannot, nothing saved; then, confirmed, all of it created (pac.imports.services); and the
spreadsheet template to fill in."""

from datetime import timedelta
from decimal import Decimal

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from actions.models import Action
from pac.core.access import plan_access
from pac.core.editing import first_sending, page_repeated, page_saved, posted, sent_token
from pac.core.models import SentForm, User
from pac.core.versioning import EditConflict
from pac.imports import services
from pac.imports.forms import PlanImportForm
from pac.imports.sheet import BY_NAME, COLUMNS, template_workbook
from targets.models import Objective, Target

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_http_methods(["GET", "POST"])
def plan_import(request, pk):
    """GET: the form. POST: the preview of the file, nothing saved; sent back with confirm=1,
    read and checked again, then created whole, once."""
    access = plan_access(request, pk)
    access.ensure_can_edit()
    plan = access.plan
    plan_url = reverse("pac:plan-detail", args=[plan.pk])
    confirming = request.method == "POST" and request.POST.get("confirm") == "1"
    form = PlanImportForm(posted(request), request.FILES or None, confirming=confirming)
    outcome, notice = None, ""
    if form.is_bound and form.is_valid() and form.sheet is not None:
        if confirming:
            token = sent_token(form)
            if token and SentForm.objects.filter(token=token).exists():
                return page_repeated(request, plan_url)
            try:
                with transaction.atomic():
                    if token and not first_sending(token):
                        return page_repeated(request, plan_url)
                    outcome = services.plan_import(
                        actor=request.user,
                        plan=plan,
                        version=form.cleaned_data["version"],
                        sheet=form.sheet,
                    )
                    if not outcome.valid:
                        transaction.set_rollback(True)  # the token stays free for the next try
            except EditConflict:
                notice = _(
                    "The plan has changed since this preview (this import may have been "
                    "confirmed already): check the preview below again before confirming."
                )
                plan.refresh_from_db(fields=["version"])
            else:
                if outcome.valid:
                    messages.success(request, created_text(outcome.counts))
                    return page_saved(request, plan_url)
        if outcome is None:
            outcome = services.plan_import_check(actor=request.user, plan=plan, sheet=form.sheet)
    valid = outcome is not None and outcome.valid
    context = access.context() | {
        "form": form,
        "outcome": outcome,
        "sheet": form.sheet,
        "summary": created_text(outcome.counts, future=True) if valid else "",
        "columns": COLUMNS,
        "accepted": ACCEPTED,
        "plan_url": plan_url,
        "notice": notice,
        "confirm_form": PlanImportForm(confirming=True) if valid else None,
    }
    status = 409 if notice else 422 if form.is_bound and not valid else 200
    return render(request, "imports/plan_import.html", context, status=status)


# The columns whose cells name one of a list, with the list: the page says them, and a cell
# naming something else gets them in its message (pac.imports.services.told).
ACCEPTED = [
    (BY_NAME[name].label, choices.labels)
    for name, choices in [
        ("target_kind", Target.Kind),
        ("priority", Target.Priority),
        ("objective_kind", Objective.Kind),
        ("domain", Action.Domain),
        ("sales_type", Action.SalesType),
    ]
]


def created_text(counts, future=False):
    """ "2 targets, 1 objective, 3 actions, 1 indicator, 4 steps"."""
    wordings = {
        "target": lambda n: ngettext("%(count)s target", "%(count)s targets", n),
        "objective": lambda n: ngettext("%(count)s objective", "%(count)s objectives", n),
        "action": lambda n: ngettext("%(count)s action", "%(count)s actions", n),
        "kpi": lambda n: ngettext("%(count)s indicator", "%(count)s indicators", n),
        "step": lambda n: ngettext("%(count)s step", "%(count)s steps", n),
    }
    parts = [
        wording(counts[kind]) % {"count": counts[kind]}
        for kind, wording in wordings.items()
        if counts[kind]
    ]
    if future:
        return _("The import will create %(list)s.") % {"list": ", ".join(parts)}
    return _("Imported: %(list)s.") % {"list": ", ".join(parts)}


@require_GET
def plan_import_template(request, pk):
    """The spreadsheet template, for anyone who reads the plan: every column's header in the
    reader's language, and two example lines inside the plan's period, which import as they
    read."""
    plan = plan_access(request, pk).plan
    name = slugify(_("plan import")) + ".xlsx"
    return HttpResponse(
        template_workbook(examples(plan, request.user)),
        content_type=XLSX,
        headers={"Content-Disposition": content_disposition_header(True, name)},
    )


def examples(plan, user):
    """A target with an objective and an action, its indicator and two steps, dated inside the
    plan's period and given to the reader when they work on the plan."""
    start, end = plan.period_start, plan.period_end
    span = (end - start).days
    fair = start + timedelta(days=span // 2)
    fair_end = min(fair + timedelta(days=2), end)
    works = User.objects.working_on(plan.team_id).filter(pk=user.pk).exists()
    who = user.username if works else ""
    target = _("Industrial SMEs")
    action = _("Stand at the regional trade fair")
    first = {
        "target": target,
        "target_kind": str(Target.Kind.SEGMENT.label),
        "priority": str(Target.Priority.HIGH.label),
        "rationale": _("Half of the revenue, the best margins"),
        "objective": _("Win new industrial clients"),
        "objective_kind": str(Objective.Kind.QUANTITATIVE.label),
        "metric": _("new clients"),
        "unit": _("clients"),
        "baseline": 0,
        "target_value": 10,
        "deadline": end,
        "measured_by": str(Objective.Measure.WON_COUNT.label),
        "objective_owner": who,
        "action": action,
        "domain": str(Action.Domain.SALES.label),
        "sales_type": str(Action.SalesType.NOTORIETY.label),
        "description": _("Meet the buyers of the region"),
        "means": _("Stand, brochures, demonstrations"),
        "owner": who,
        "participants": "",
        "start_date": fair,
        "end_date": fair_end,
        "budget_planned": Decimal("12500"),
        "occurrences_planned": 1,
        "kpi": _("Qualified contacts"),
        "kpi_unit": _("contacts"),
        "kpi_target": 40,
        "step": _("Book the stand"),
        "step_due_date": start + timedelta(days=span // 4),
        "step_owner": who,
    }
    second = {
        "target": target,
        "action": action,
        "step": _("Call back the contacts met"),
        "step_due_date": min(fair_end + timedelta(days=14), end),
        "step_owner": who,
    }
    return [first, second]
