from django import forms
from django.utils.translation import gettext_lazy as _

from pac.forms import DateInput, VersionedForm, unique_name
from pac.models import User
from targets.models import Objective, Target


def team_members(plan):
    return User.objects.filter(memberships__team_id=plan.team_id).order_by(
        "first_name", "last_name"
    )


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


class ObjectiveForm(VersionedForm):
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
            "description",
        ]
        widgets = {"deadline": DateInput(), "description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = team_members(plan)
