from kpis.models import Kpi
from pac.forms import VersionedForm
from targets.forms import team_members


class KpiForm(VersionedForm):
    class Meta:
        model = Kpi
        fields = ["name", "unit", "target_value", "direction", "frequency", "owner"]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = team_members(plan)
