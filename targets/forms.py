from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pac.core import spreadsheets
from pac.core.display import is_euros, quantity
from pac.core.forms import (
    CheckedForm,
    DateInput,
    FocusedForm,
    RadioSelect,
    VersionedForm,
    opened_version,
    unique_name,
)
from pac.core.models import User
from pac.core.periods import near_period_errors
from targets import crm
from targets.models import Assessment, Deal, Objective, Target


class TargetForm(VersionedForm):
    class Meta:
        model = Target
        fields = ["name", "kind", "priority", "rationale"]
        widgets = {"rationale": forms.Textarea(attrs={"rows": 2})}

    def clean_name(self):
        return unique_name(
            self,
            Target.objects.filter(plan=self.instance.plan_id),
            _("The plan already has a target with this name."),
        )


# The choices of "measured by" that are not a KPI of the objective's own.
NEW_KPI = "kpi"
DEFAULT_MEASURE = ""


class ObjectiveForm(VersionedForm):
    """An objective with how it is measured: one choice among the measures that can give it a
    figure (a KPI of its own, one to add next, the amount or the number of deals won); a
    qualitative objective is assessed by the manager."""

    measured_by = forms.ChoiceField(
        label=_("Measured by"),
        required=False,
        help_text=_(
            "Where its actual figure comes from. The deals won are those of its target, won by "
            "its owner, added to the baseline. A qualitative objective is assessed by the manager."
        ),
    )

    class Meta:
        model = Objective
        fields = [
            "kind",
            "title",
            "metric",
            "unit",
            "baseline",
            "target_value",
            "deadline",
            "owner",
            "measured_by",
            "description",
        ]
        widgets = {"deadline": DateInput(), "description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.working_on(plan.team_id)
        objective = self.instance
        # Its own KPIs, those with a target per period left out: their figure starts again
        # each period and cannot be the objective's.
        self.kpis = (
            {kpi.pk: kpi for kpi in objective.kpis.filter(per_period=False)} if objective.pk else {}
        )
        choices = []
        if not objective.pk:
            choices.append(
                (
                    DEFAULT_MEASURE,
                    _("by default: the amount won if the unit is €, else a KPI you add next"),
                )
            )
        choices += [
            (Objective.Measure.WON_AMOUNT, _("the amount won on its target")),
            (Objective.Measure.WON_COUNT, _("the number of deals won on its target")),
        ]
        choices += [
            (f"kpi:{pk}", _("the latest value of its KPI “%(name)s”") % {"name": kpi.name})
            for pk, kpi in self.kpis.items()
        ]
        choices.append((NEW_KPI, _("the latest value of a KPI you add next")))
        self.fields["measured_by"].choices = choices
        if objective.pk:
            self.initial["measured_by"] = (
                f"kpi:{objective.measure_kpi_id}"
                if objective.measure_kpi_id in self.kpis
                else objective.measured_by
            )

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("measured_by") or DEFAULT_MEASURE
        current = self.initial.get("measured_by") if self.instance.pk else None
        if choice == DEFAULT_MEASURE and current in dict(self.fields["measured_by"].choices):
            # Left blank on an objective that has a measure: it keeps it.
            choice = current
        kpi = None
        if cleaned.get("kind") == Objective.Kind.QUALITATIVE:
            measure = Objective.Measure.ASSESSMENT
        elif choice == DEFAULT_MEASURE:
            euros = is_euros(cleaned.get("unit"))
            measure = Objective.Measure.WON_AMOUNT if euros else Objective.Measure.KPI
        elif choice.startswith("kpi:"):
            measure, kpi = Objective.Measure.KPI, self.kpis[int(choice.removeprefix("kpi:"))]
        else:
            measure = choice
        cleaned["measured_by"], cleaned["measure_kpi"] = measure, kpi
        # Validated with the rest of the objective, beside this field.
        self.instance.measure_kpi = kpi
        return cleaned


class AssessmentForm(FocusedForm, forms.ModelForm):
    """The manager's verdict on a qualitative objective."""

    class Meta:
        model = Assessment
        fields = ["verdict", "assessed_on", "comment"]
        widgets = {"assessed_on": DateInput(), "verdict": RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verdict"].choices = Assessment.Verdict.choices  # no blank radio
        # The instance's empty date would hide a field initial: today, as a check-in's.
        if self.instance.assessed_on is None:
            self.initial["assessed_on"] = timezone.localdate()


class DealForm(VersionedForm):
    class Meta:
        model = Deal
        fields = [
            "company",
            "contact",
            "nature",
            "target",
            "amount",
            "probability",
            "stage",
            "milestone_date",
            "owner",
        ]
        widgets = {"milestone_date": DateInput()}

    def __init__(self, *args, plan, user, manager, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = plan.targets.all()
        # A rep keeps their own deals; a manager may give a deal to anyone who works on the plan.
        people = User.objects.working_on(plan.team_id)
        self.fields["owner"].queryset = people if manager else people.filter(pk=user.pk)
        if not self.instance.pk:
            self.fields["owner"].initial = user.pk

    def clean(self):
        cleaned = super().clean()
        # A won deal is certain and a lost one has no chance: set it for the user.
        if cleaned.get("stage") == Deal.Stage.WON:
            cleaned["probability"] = 100
        elif cleaned.get("stage") == Deal.Stage.LOST:
            cleaned["probability"] = 0
        return cleaned


def plain(value):
    """A figure as typed: 500000 rather than 500000.00."""
    if value is None or value != value.to_integral_value():
        return value
    return format(value.normalize(), "f")


class SplitForm(FocusedForm, forms.Form):
    """A team objective split between reps: one figure per rep, empty for none. "Split equally"
    shares the team's figure out between every rep listed."""

    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)

    def __init__(self, data=None, *, objective, reps):
        super().__init__(data)
        self.objective = objective
        self.reps = list(reps)
        held = {share.owner_id: share.target_value for share in objective.shares.all()}
        self.fields["version"].initial = objective.version
        unit = objective.unit
        for rep in self.reps:
            self.fields[f"share_{rep.pk}"] = forms.DecimalField(
                label=str(rep),
                required=False,
                max_digits=14,
                decimal_places=2,
                initial=plain(held.get(rep.pk)),
                help_text=unit,
            )
        self.conflict = None

    @property
    def creates(self):
        return False

    def clean(self):
        cleaned = super().clean()
        cleaned["version"] = opened_version(self, cleaned)
        return cleaned

    def shares(self):
        """Each rep and their share (None for none), once the form is valid."""
        return {rep: self.cleaned_data.get(f"share_{rep.pk}") for rep in self.reps}

    def show_conflict(self, conflict, user_values):
        """The shares saved meanwhile beside the ones typed; sending again keeps the typed ones."""
        current = conflict.current
        saved = {share.owner_id: share.target_value for share in current.shares.all()}
        differences = []
        for rep in self.reps:
            theirs, yours = saved.get(rep.pk), user_values.get(f"share_{rep.pk}")
            if theirs != yours:
                differences.append(
                    (str(rep), quantity(theirs, current.unit), quantity(yours, current.unit))
                )
        last = current.history.select_related("history_user").first()
        self.conflict = {
            "who": last.history_user if last else None,
            "when": last.history_date if last else None,
            "differences": differences,
        }
        data = self.data.copy()
        data["version"] = current.version
        self.data = data


class DealLineForm(DealForm):
    """A deal read from a line of a CRM's export (targets.crm), checked as the deal form checks
    one, its owner found by the import among the team's people. The line belongs to no plan yet:
    the import compares the lines' ids itself, and the fields' validators and the form's clean()
    say what the database's checks would (a probability from 0 to 100, won at 100), without a
    query per line."""

    class Meta(DealForm.Meta):
        fields = [
            "external_id",
            "company",
            "contact",
            "nature",
            "amount",
            "probability",
            "stage",
            "milestone_date",
        ]

    def __init__(self, *args, plan, **kwargs):
        # Not DealForm's: a line has no target, and its owner is not chosen from a list.
        super(DealForm, self).__init__(*args, **kwargs)
        self.plan = plan
        self.fields["external_id"].required = True
        self.fields["external_id"].error_messages["required"] = _(
            "Give each line the deal's id in the CRM: a second import then updates it."
        )

    @property
    def creates(self):
        return False

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("milestone_date")
        for name, message in near_period_errors(self.plan, milestone_date=day).items():
            self.add_error(name, message)
        return cleaned

    def validate_unique(self):
        pass

    def validate_constraints(self):
        pass


class DealsImportForm(CheckedForm, forms.Form):
    """A CRM's export of deals, as a file or its cells pasted, read as its preview (`preview`:
    what each line creates or updates, or why it cannot). A confirmation sends back the text the
    preview made of it (`confirming`): the file is not needed again."""

    file = forms.FileField(
        label=_("The CRM's export"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
        help_text=_("A .csv or .xlsx file whose first line holds the column headers."),
    )
    pasted = forms.CharField(
        label=_("Or paste its cells"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_("Cells copied from a spreadsheet, headers included."),
    )

    def __init__(self, *args, plan, confirming=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.confirming = confirming
        self.preview = None

    @property
    def creates(self):
        # No one-time token: a second import of the same lines updates what the first created.
        return False

    def clean(self):
        cleaned = super().clean()
        # A file chosen wins over text left in the box from an earlier try.
        chosen = cleaned.get("file") or self.has_error("file")
        source = "file" if chosen and not self.confirming else "pasted"
        if self.has_error(source):
            return cleaned
        if source == "pasted" and not (cleaned.get("pasted") or "").strip():
            self.add_error("file", _("Choose the file the CRM exported, or paste its cells."))
            return cleaned
        try:
            if source == "file":
                rows = spreadsheets.read_file(cleaned["file"])
            else:
                rows = spreadsheets.read_pasted(cleaned["pasted"])
            self.preview = crm.preview(self.plan, rows)
        except ValidationError as error:
            self.add_error(source, error)
        return cleaned
