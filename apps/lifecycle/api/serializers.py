from rest_framework import serializers

from apps.insights.kinds import FINDING_KINDS

from ..models import (
    DeletionLog,
    RetentionPolicy,
    RuleKind,
    SamplingPolicy,
    SamplingRule,
    SessionDecision,
)

FINDING_RULE_CHOICES = [
    *FINDING_KINDS,
    *(f"{kind}+backend_error" for kind in FINDING_KINDS),
]


class SamplingRuleSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=RuleKind.choices, default=RuleKind.SEGMENT)
    rate = serializers.FloatField(min_value=0, max_value=100, default=100.0)
    user_ids = serializers.ListField(
        child=serializers.CharField(max_length=255), required=False, max_length=1000
    )
    finding_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=FINDING_RULE_CHOICES),
        required=False,
        max_length=20,
        help_text="Finding rules: the finding kinds that keep a session; "
        "kind+backend_error for that kind with an errored backend trace.",
    )

    class Meta:
        model = SamplingRule
        fields = [
            "id",
            "position",
            "kind",
            "name",
            "enabled",
            "rate",
            "user_ids",
            "user_pattern",
            "url_pattern",
            "event_name",
            "identified_only",
            "finding_kinds",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {"position": {"required": False}}


class SamplingPolicySerializer(serializers.ModelSerializer):
    normal_rate = serializers.FloatField(min_value=0, max_value=100, required=False)

    class Meta:
        model = SamplingPolicy
        fields = ["normal_rate", "idle_minutes", "min_duration_ms", "drop_grace_minutes"]


class SessionDecisionSerializer(serializers.ModelSerializer):
    session_id = serializers.CharField(source="session.session_id", read_only=True)
    user_id = serializers.CharField(source="session.user_id", read_only=True)
    started_at = serializers.DateTimeField(source="session.started_at", read_only=True)
    reason_label = serializers.CharField(source="get_reason_display", read_only=True)
    rule = serializers.SerializerMethodField()
    replay_available = serializers.SerializerMethodField()

    class Meta:
        model = SessionDecision
        fields = [
            "session_id",
            "user_id",
            "started_at",
            "state",
            "reason",
            "reason_label",
            "detail",
            "rule",
            "decided_at",
            "purge_after",
            "purged_at",
            "rescued_at",
            "replay_available",
        ]
        read_only_fields = fields

    def get_rule(self, decision) -> dict | None:
        if decision.rule is None:
            return None
        return {"id": decision.rule.pk, "kind": decision.rule.kind, "name": decision.rule.name}

    def get_replay_available(self, decision) -> bool:
        return decision.purge_started_at is None


class RetentionPolicySerializer(serializers.ModelSerializer):
    class Meta:
        model = RetentionPolicy
        fields = ["normal_days", "error_days", "ticket_grace_days", "telemetry_days"]


class DeletionLogSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeletionLog
        fields = [
            "id",
            "kind",
            "reason",
            "sessions",
            "blobs",
            "bytes",
            "spans",
            "logs",
            "session_ids",
            "created_at",
        ]
        read_only_fields = fields
