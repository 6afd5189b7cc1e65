"""What the API says about each thing: flat JSON, ids for links, codes rather than translated labels
(a client compares codes), dates in ISO 8601."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from baseline.models import Result
from enterprises.models import Call, Enterprise, ExpressionOfInterest
from reporting import global_database


class CallSerializer(serializers.ModelSerializer):
    reference_prefix = serializers.CharField(read_only=True)

    class Meta:
        model = Call
        fields = [
            "id",
            "title",
            "country",
            "reference_prefix",
            "opens_on",
            "closes_on",
            "sub_sectors",
            "first_batch_capacity",
            "min_workforce",
            "min_permanent_share",
        ]


class ExpressionOfInterestSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExpressionOfInterest
        fields = [
            "id",
            "reference",
            "call",
            "legal_name",
            "city",
            "province",
            "sub_sector",
            "workforce_total",
            "workforce_permanent",
            "workforce_women",
            "workforce_men",
            "shares_order_status",
            "shares_baseline_data",
            "submitted_at",
            "is_late",
            "result",
            "result_overridden",
            "consent_version",
        ]


class EnterpriseSerializer(serializers.ModelSerializer):
    eoi_reference = serializers.CharField(source="expression_of_interest.reference", read_only=True)
    batch_name = serializers.CharField(source="batch.name", read_only=True, default=None)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "legal_name",
            "city",
            "sub_sector",
            "workforce_total",
            "call",
            "eoi_reference",
            "stage",
            "stage_changed_at",
            "batch",
            "batch_name",
        ]


class IndicatorValueSerializer(serializers.ModelSerializer):
    """One indicator's value in one round of one enterprise (a practice is 1 in place, 0 not)."""

    enterprise = serializers.IntegerField(source="round.enterprise_id", read_only=True)
    round = serializers.IntegerField(source="round_id", read_only=True)
    round_kind = serializers.CharField(source="round.kind", read_only=True)
    round_number = serializers.IntegerField(source="round.number", read_only=True)
    round_held_on = serializers.DateField(source="round.held_on", read_only=True)
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    indicator_kind = serializers.CharField(source="indicator.kind", read_only=True)
    indicator_name = serializers.CharField(source="version.name", read_only=True)
    unit = serializers.CharField(source="version.unit", read_only=True)
    formula = serializers.CharField(source="version.formula", read_only=True)
    formula_version = serializers.IntegerField(source="version.number", read_only=True)

    class Meta:
        model = Result
        fields = [
            "id",
            "enterprise",
            "round",
            "round_kind",
            "round_number",
            "round_held_on",
            "indicator_code",
            "indicator_kind",
            "indicator_name",
            "sex",
            "value",
            "unit",
            "formula",
            "formula_version",
        ]


class AggregateSerializer(serializers.Serializer):
    """One cell of the programme's results (baseline.selectors.programme_results). A cell hidden for
    confidentiality (too few enterprises, or one that would give a hidden cell back) says so and
    gives no figure, not even its number of enterprises."""

    indicator_code = serializers.CharField(source="indicator.code")
    indicator_name = serializers.CharField(source="indicator.current_version.name")
    unit = serializers.CharField(source="indicator.current_version.unit")
    sex = serializers.CharField()
    group = serializers.SerializerMethodField()
    group_label = serializers.CharField()
    suppressed = serializers.BooleanField()
    enterprises = serializers.SerializerMethodField()
    improving_pct = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    at_best_pct = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    median_change = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    median_change_pct = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_group(self, aggregate):
        return None if aggregate.group is None else str(aggregate.group)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_enterprises(self, aggregate):
        return None if aggregate.suppressed else aggregate.enterprises


_TYPES = {"string": serializers.CharField, "integer": serializers.IntegerField, "number": serializers.FloatField}


def _export_field(field: global_database.Field):
    nullable = isinstance(field.type, list)
    kind = field.type[0] if nullable else field.type
    return _TYPES[kind](help_text=field.description, allow_null=nullable)


# The global database record, described from its one definition (reporting/global_database.py).
GlobalDatabaseRecordSerializer = type(
    "GlobalDatabaseRecordSerializer",
    (serializers.Serializer,),
    {f.name: _export_field(f) for f in global_database.FIELDS},
)
