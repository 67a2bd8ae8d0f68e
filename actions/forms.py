import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from actions.models import Action, ActionStep
from pac.core.forms import (
    CheckboxSelectMultiple,
    DateInput,
    ModelMultipleChoiceField,
    VersionedForm,
)
from pac.core.models import User
from pac.core.periods import plausible_errors
from targets.models import Objective


class ActionForm(VersionedForm):
    """The whole action sheet ("fiche action")."""

    class Meta:
        model = Action
        fields = [
            "title",
            "target",
            "domain",
            "sales_type",
            "objectives",
            "description",
            "means",
            "owner",
            "participants",
            "start_date",
            "end_date",
            "budget_planned",
            "budget_actual",
            "occurrences_planned",
            "occurrences_done",
            "status",
            "progress",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "means": forms.Textarea(attrs={"rows": 2}),
            "participants": CheckboxSelectMultiple,
            "objectives": CheckboxSelectMultiple,
        }
        field_classes = {
            "participants": ModelMultipleChoiceField,
            "objectives": ModelMultipleChoiceField,
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        members = User.objects.working_on(plan.team_id)
        self.fields["target"].queryset = plan.targets.all()
        self.fields["owner"].queryset = members
        self.fields["participants"].queryset = members
        self.fields["objectives"].queryset = Objective.objects.filter(
            target__plan=plan
        ).select_related("target")
        self.fields["objectives"].label_from_instance = lambda o: f"{o.target} — {o}"


class ActionStepForm(VersionedForm):
    class Meta:
        model = ActionStep
        fields = ["title", "owner", "due_date", "done"]
        widgets = {"due_date": DateInput()}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.working_on(plan.team_id)


GROUPINGS = [
    ("domain", _("By domain")),
    ("target", _("By target")),
    ("rep", _("By rep")),
    ("none", _("No grouping")),
]

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class ActionFilterForm(forms.Form):
    """The filters of the action list; they combine and stay in the URL."""

    domain = forms.ChoiceField(label=_("Domain"), required=False)
    sales_type = forms.ChoiceField(label=_("Sales type"), required=False)
    target = forms.ModelChoiceField(label=_("Target"), queryset=None, required=False)
    owner = forms.ModelChoiceField(
        label=_("Rep (owner or participant)"), queryset=None, required=False
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    month = forms.CharField(
        label=_("Month"),
        required=False,
        # The browser's month picker; a placeholder is not allowed on it (a browser without one
        # shows a text box, and a wrong entry is told the format).
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    group = forms.ChoiceField(label=_("Group"), choices=GROUPINGS, required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["domain"].choices = everything + Action.Domain.choices
        self.fields["sales_type"].choices = everything + Action.SalesType.choices
        self.fields["status"].choices = everything + Action.Status.choices
        self.fields["target"].queryset = plan.targets.all()
        self.fields["target"].empty_label = _("All")
        self.fields["owner"].queryset = User.objects.working_on(plan.team_id)
        self.fields["owner"].empty_label = _("All")

    def clean_month(self):
        value = self.cleaned_data["month"].strip()
        if not value:
            return None
        match = MONTH.match(value)
        if not match or not 1 <= int(match[2]) <= 12:
            raise forms.ValidationError(_("Give a month as YYYY-MM, for example 2027-03."))
        month = date(int(match[1]) or 1, int(match[2]), 1)
        wrong = plausible_errors(month=month)
        if wrong:
            raise forms.ValidationError(wrong["month"])
        return month

    def filters(self):
        """(filters, grouping) as the list applies them: invalid filters are shown beside their
        field and left out, the valid ones still apply; grouped by domain unless told."""
        self.is_valid()
        filters = {name: value for name, value in self.cleaned_data.items() if value}
        return filters, filters.pop("group", "domain")


class ActionReportForm(VersionedForm):
    """What the action's owner and participants report: the progress side only."""

    class Meta:
        model = Action
        fields = ["status", "progress", "occurrences_done", "budget_actual"]


class CalendarFilterForm(ActionFilterForm):
    """Filters of the calendar and the horizon: the month shown, rep, target, domain, status.
    A rep sees their own work unless they ask for the team's."""

    scope = forms.ChoiceField(
        label=_("Whose work"),
        choices=[("mine", _("Mine")), ("team", _("The team's"))],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["sales_type"], self.fields["group"]
        self.fields["owner"].label = _("Rep")


TIMELINE_GROUPINGS = [("domain", _("By domain")), ("target", _("By target")), ("rep", _("By rep"))]
WINDOWS = [("period", _("Whole period")), ("semester", _("Semester")), ("quarter", _("Quarter"))]


class TimelineFilterForm(CalendarFilterForm):
    window = forms.ChoiceField(label=_("Span"), choices=WINDOWS, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"] = forms.ChoiceField(
            label=_("Group"), choices=TIMELINE_GROUPINGS, required=False
        )
        self.fields["month"].label = _("From")
