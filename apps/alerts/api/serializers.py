from rest_framework import serializers

from apps.insights.kinds import CHOICES as FINDING_KIND_CHOICES
from apps.insights.models import Severity

from ..models import AlertDelivery, AlertRule, Channel, RuleKind


class AlertRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = AlertRule
        fields = [
            "id",
            "name",
            "kind",
            "finding_kinds",
            "min_severity",
            "threshold_sessions",
            "channel",
            "webhook_url",
            "emails",
            "enabled",
            "checked_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class AlertRuleCreatedSerializer(AlertRuleSerializer):
    secret = serializers.CharField(
        read_only=True,
        help_text="The webhook signing secret: returned here (and by rotate-secret) only.",
    )

    class Meta(AlertRuleSerializer.Meta):
        fields = [*AlertRuleSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class AlertRuleWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=RuleKind.choices)
    channel = serializers.ChoiceField(choices=Channel.choices)
    finding_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=FINDING_KIND_CHOICES),
        required=False,
        max_length=20,
        help_text="Kinds this rule watches; empty or absent: every kind.",
    )
    min_severity = serializers.ChoiceField(choices=Severity.choices, required=False)
    threshold_sessions = serializers.IntegerField(
        min_value=1,
        max_value=1_000_000,
        required=False,
        allow_null=True,
        help_text="Threshold rules: sessions affected in the last hour.",
    )
    webhook_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    emails = serializers.ListField(child=serializers.EmailField(), required=False, max_length=20)
    enabled = serializers.BooleanField(required=False)


class AlertDeliverySerializer(serializers.ModelSerializer):
    rule_id = serializers.IntegerField(read_only=True)
    insight_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = AlertDelivery
        fields = [
            "id",
            "rule_id",
            "insight_id",
            "reason",
            "channel",
            "status",
            "attempts",
            "last_error",
            "response_code",
            "payload",
            "created_at",
            "last_attempt_at",
            "next_attempt_at",
            "sent_at",
        ]
        read_only_fields = fields
