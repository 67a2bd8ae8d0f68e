"""Forms of review meetings and of the corrective actions they decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actions.models import Action
from pac.core.forms import (
    CheckboxSelectMultiple,
    CheckedForm,
    DateInput,
    ModelMultipleChoiceField,
    VersionedForm,
)
from pac.core.models import User
from pac.steering.models import Review


class ReviewForm(VersionedForm):
    class Meta:
        model = Review
        fields = ["held_on", "attendees", "other_attendees", "findings", "decisions"]
        widgets = {
            "held_on": DateInput(),
            "attendees": CheckboxSelectMultiple,
            "findings": forms.Textarea(attrs={"rows": 4}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
        }
        field_classes = {"attendees": ModelMultipleChoiceField}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = User.objects.members_of(plan.team_id)
        if not self.instance.pk:
            self.fields["held_on"].initial = timezone.localdate()
        else:
            self.fields["held_on"].disabled = True
            self.fields["held_on"].help_text = _(
                "The date of a review cannot change: its figures belong to that day."
            )

    def clean_held_on(self):
        day = self.cleaned_data["held_on"]
        if day > timezone.localdate():
            raise ValidationError(_("Record a review once it has taken place."))
        return day


class CorrectiveActionForm(CheckedForm, forms.Form):
    """A decision of a review turned into an action of the plan."""

    title = forms.CharField(label=_("Title"), max_length=200)
    target = forms.ModelChoiceField(label=_("Target"), queryset=None)
    domain = forms.ChoiceField(label=_("Domain"))
    sales_type = forms.ChoiceField(label=_("Sales type"), required=False)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    end_date = forms.DateField(label=_("End date"), widget=DateInput())
    budget_planned = forms.DecimalField(
        label=_("Planned budget (€)"), min_value=0, max_digits=12, decimal_places=2, initial=0
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = plan.targets.all()
        self.fields["owner"].queryset = User.objects.working_on(plan.team_id)
        self.fields["domain"].choices = Action.Domain.choices
        self.fields["sales_type"].choices = [("", "—"), *Action.SalesType.choices]
        self.fields["start_date"].initial = timezone.localdate()
