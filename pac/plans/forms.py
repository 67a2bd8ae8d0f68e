"""Forms of the plan editor: plan header and period, strategy, SWOT items, competitors."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from pac.core.forms import CheckedForm, DateInput, VersionedForm, unique_name
from pac.core.models import Plan, Team
from pac.core.periods import PeriodKind, period_end_for, plausible_errors, span_errors
from pac.plans.models import Competitor, SwotItem


class PeriodFormMixin(CheckedForm, forms.Form):
    """A period as a preset length from a start date, or two dates of one's own."""

    period_kind = forms.ChoiceField(
        label=_("Period"), choices=PeriodKind.CHOICES, initial=PeriodKind.SEMESTER
    )
    period_start = forms.DateField(label=_("Period start"), widget=DateInput())
    period_end = forms.DateField(
        label=_("Period end"),
        widget=DateInput(),
        required=False,
        help_text=_("Only for custom dates; a year, semester or quarter ends by itself."),
    )

    def clean(self):
        cleaned = super().clean()
        kind, start, end = (
            cleaned.get("period_kind"),
            cleaned.get("period_start"),
            cleaned.get("period_end"),
        )
        if not kind or not start:
            return cleaned
        # Before any month is counted from them: year 9999 has no next year.
        wrong = plausible_errors(period_start=start, period_end=end)
        if wrong:
            for name, message in wrong.items():
                self.add_error(name, message)
            return cleaned
        if kind == PeriodKind.CUSTOM:
            if end is None:
                self.add_error("period_end", _("Give the last day of a custom period."))
            else:
                for name, message in span_errors(start, end, "period_end", period=True).items():
                    self.add_error(name, message)
        else:
            cleaned["period_end"] = period_end_for(kind, start)
        return cleaned


class PlanCreateForm(PeriodFormMixin):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    budget_envelope = forms.DecimalField(
        label=_("Budget envelope (€)"), min_value=0, max_digits=12, decimal_places=2, initial=0
    )

    field_order = ["team", "title", "period_kind", "period_start", "period_end", "budget_envelope"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.managed_by(user)
        if len(self.fields["team"].queryset) == 1:
            self.fields["team"].initial = self.fields["team"].queryset[0]


class PlanDuplicateForm(PeriodFormMixin):
    title = forms.CharField(label=_("Title of the new plan"), max_length=200)

    field_order = ["title", "period_kind", "period_start", "period_end"]


def next_period_start(plan):
    return date.fromordinal(plan.period_end.toordinal() + 1)


def period_kind_of(plan):
    for kind in PeriodKind.MONTHS:
        if period_end_for(kind, plan.period_start) == plan.period_end:
            return kind
    return PeriodKind.CUSTOM


class PlanHeaderForm(VersionedForm):
    class Meta:
        model = Plan
        fields = ["title", "period_start", "period_end", "budget_envelope"]
        widgets = {"period_start": DateInput(), "period_end": DateInput()}


class PlanStrategyForm(VersionedForm):
    class Meta:
        model = Plan
        fields = ["strategy", "ambitions", "segmentation", "company_goals"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}


class SwotItemForm(VersionedForm):
    class Meta:
        model = SwotItem
        fields = ["text"]


class CompetitorForm(VersionedForm):
    class Meta:
        model = Competitor
        fields = ["name", "strengths", "weaknesses", "positioning", "threat"]
        widgets = {
            "strengths": forms.Textarea(attrs={"rows": 2}),
            "weaknesses": forms.Textarea(attrs={"rows": 2}),
            "positioning": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_name(self):
        return unique_name(
            self,
            Competitor.objects.filter(plan=self.instance.plan_id),
            _("This competitor is already in the plan."),
        )
