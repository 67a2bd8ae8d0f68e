from django import forms
from django.utils import timezone

from kpis.models import Kpi, KpiValue
from pac.forms import DateInput, VersionedForm
from targets.forms import team_members


class KpiForm(VersionedForm):
    class Meta:
        model = Kpi
        fields = ["name", "unit", "target_value", "direction", "frequency", "owner"]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = team_members(plan)


class KpiValueForm(forms.ModelForm):
    class Meta:
        model = KpiValue
        fields = ["recorded_on", "value", "comment"]
        widgets = {"recorded_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recorded_on"].initial = timezone.localdate()
