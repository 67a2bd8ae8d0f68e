from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from kpis.models import Kpi, KpiValue
from pac.core.forms import DateInput, FocusedForm, VersionedForm
from pac.core.models import User


def plain(value):
    """A decimal as a person types it: 8, 12.5, not 8.00 or 6E+5."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


class KpiForm(VersionedForm):
    class Meta:
        model = Kpi
        fields = ["name", "unit", "target_value", "per_period", "frequency", "direction", "owner"]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.working_on(plan.team_id)
        objective = self.instance.objective
        if objective is not None and not self.instance.pk and objective.unmeasurable:
            # The KPI that will measure the objective counts what the objective counts, towards
            # the same figure.
            falling = (
                objective.baseline is not None
                and objective.target_value is not None
                and objective.target_value < objective.baseline
            )
            self.initial |= {
                "name": objective.metric or objective.title,
                "unit": objective.unit,
                "target_value": plain(objective.target_value),
                "owner": objective.owner_id,
                "direction": Kpi.Direction.DECREASE if falling else Kpi.Direction.INCREASE,
            }


class KpiValueForm(FocusedForm, forms.ModelForm):
    class Meta:
        model = KpiValue
        fields = ["recorded_on", "value", "comment"]
        widgets = {"recorded_on": DateInput()}

    def __init__(self, *args, kpi=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recorded_on"].initial = timezone.localdate()
        if kpi is not None and kpi.per_period:
            self.fields["value"].help_text = _(
                "The figure of the period holding the date, so far: its target is %(target)s "
                "%(unit)s %(period)s."
            ) % {
                "target": number_format(kpi.target_value.normalize(), use_l10n=True),
                "unit": kpi.unit,
                "period": kpi.period_label,
            }
