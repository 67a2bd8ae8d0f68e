from django import forms
from django.utils.translation import gettext_lazy as _

from pac.forms import DateInput, VersionedForm, unique_name
from pac.models import User
from targets.models import Deal, Objective, Target


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
        # A rep keeps their own deals; a manager may give a deal to anyone of the team.
        self.fields["owner"].queryset = (
            team_members(plan) if manager else team_members(plan).filter(pk=user.pk)
        )
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
