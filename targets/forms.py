from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pac.core.display import is_euros, quantity
from pac.core.forms import (
    DateInput,
    FocusedForm,
    RadioSelect,
    VersionedForm,
    opened_version,
    unique_name,
)
from pac.core.models import User
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
