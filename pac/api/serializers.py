"""What the API answers, field by field (its OpenAPI schema is drawn from these), and the bodies
its writes accept. Writes are validated by the pages' own forms, not here: these input
serializers only describe them."""

from rest_framework import serializers

from actions.models import Action, ActionStep
from kpis.models import Kpi, KpiValue
from pac.core.models import Plan, User
from pac.steering.models import Review
from targets.models import Deal, Objective, Target
from targets.progress import Standing


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="get_full_name", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "name"]


class PlanSerializer(serializers.ModelSerializer):
    team = serializers.CharField(source="team.name", read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "title",
            "team",
            "status",
            "period_start",
            "period_end",
            "budget_envelope",
            "strategy",
            "version",
        ]


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["id", "name", "kind", "priority", "rationale", "order", "version"]


class ProgressSerializer(serializers.Serializer):
    """How far an objective has come, as the pages compute it (kpis.measures)."""

    # Computed shares have no bound: 999 999 999 999 reached of a target of 0.01 is a figure too.
    actual = serializers.DecimalField(max_digits=None, decimal_places=2, allow_null=True)
    attainment = serializers.DecimalField(max_digits=None, decimal_places=1, allow_null=True)
    expected = serializers.DecimalField(max_digits=None, decimal_places=1)
    standing = serializers.ChoiceField(choices=Standing.choices)
    measured_on = serializers.DateField(allow_null=True)


class ObjectiveSerializer(serializers.ModelSerializer):
    owner = PersonSerializer(read_only=True, allow_null=True)
    progress = ProgressSerializer(read_only=True)

    class Meta:
        model = Objective
        fields = [
            "id",
            "target",
            "parent",
            "kind",
            "title",
            "metric",
            "unit",
            "baseline",
            "target_value",
            "deadline",
            "measured_by",
            "owner",
            "progress",
            "version",
        ]


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionStep
        fields = ["id", "title", "owner", "due_date", "done", "order", "version"]


class ActionSerializer(serializers.ModelSerializer):
    owner = PersonSerializer(read_only=True, allow_null=True)
    is_late = serializers.BooleanField(read_only=True)
    steps = StepSerializer(many=True, read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "target",
            "title",
            "domain",
            "sales_type",
            "status",
            "owner",
            "start_date",
            "end_date",
            "budget_planned",
            "budget_actual",
            "occurrences_planned",
            "occurrences_done",
            "progress",
            "is_late",
            "steps",
            "version",
        ]


class LatestSerializer(serializers.Serializer):
    value = serializers.DecimalField(max_digits=16, decimal_places=2)
    recorded_on = serializers.DateField()


class KpiSerializer(serializers.ModelSerializer):
    owner = PersonSerializer(read_only=True, allow_null=True)
    latest = LatestSerializer(read_only=True, allow_null=True)
    attainment = serializers.DecimalField(
        max_digits=None, decimal_places=1, read_only=True, allow_null=True
    )
    expected = serializers.DecimalField(
        max_digits=None, decimal_places=1, read_only=True, allow_null=True
    )
    # None for a KPI the caller does not follow (PlanAccess.can_follow).
    standing = serializers.ChoiceField(choices=Standing.choices, read_only=True, allow_null=True)

    class Meta:
        model = Kpi
        fields = [
            "id",
            "name",
            "unit",
            "target_value",
            "direction",
            "frequency",
            "per_period",
            "action",
            "objective",
            "owner",
            "latest",
            "attainment",
            "expected",
            "standing",
            "version",
        ]


class KpiValueSerializer(serializers.ModelSerializer):
    recorded_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = KpiValue
        fields = ["id", "kpi", "recorded_on", "value", "comment", "recorded_by", "created_at"]


class KpiValueInput(serializers.Serializer):
    recorded_on = serializers.DateField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=500)


class DealSerializer(serializers.ModelSerializer):
    owner = PersonSerializer(read_only=True)
    weighted_amount = serializers.DecimalField(max_digits=None, decimal_places=2, read_only=True)

    class Meta:
        model = Deal
        fields = [
            "id",
            "company",
            "contact",
            "nature",
            "target",
            "amount",
            "probability",
            "weighted_amount",
            "stage",
            "milestone_date",
            "owner",
            "version",
        ]


class DealInput(serializers.Serializer):
    """A deal as the carnet's form takes it; `owner` (a user id) is the sender when left out,
    and a rep may give a deal to nobody else."""

    company = serializers.CharField(max_length=200)
    contact = serializers.CharField(max_length=200, required=False, allow_blank=True)
    nature = serializers.CharField(max_length=200, required=False, allow_blank=True)
    target = serializers.IntegerField(required=False, allow_null=True)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    probability = serializers.IntegerField(min_value=0, max_value=100)
    stage = serializers.ChoiceField(choices=Deal.Stage.choices)
    milestone_date = serializers.DateField()
    owner = serializers.IntegerField(required=False)


class DealUpdate(DealInput):
    """A change to a deal carries the version it was read at: a newer one is a 409."""

    version = serializers.IntegerField()


class DealPatch(serializers.Serializer):
    version = serializers.IntegerField()
    company = serializers.CharField(max_length=200, required=False)
    contact = serializers.CharField(max_length=200, required=False, allow_blank=True)
    nature = serializers.CharField(max_length=200, required=False, allow_blank=True)
    target = serializers.IntegerField(required=False, allow_null=True)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)
    probability = serializers.IntegerField(min_value=0, max_value=100, required=False)
    stage = serializers.ChoiceField(choices=Deal.Stage.choices, required=False)
    milestone_date = serializers.DateField(required=False)
    owner = serializers.IntegerField(required=False)


class ReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = Review
        fields = ["id", "held_on", "other_attendees", "findings", "decisions", "version"]


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class FieldErrorsSerializer(serializers.Serializer):
    """Each field in error, with its messages; `non_field_errors` for the others."""

    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)
