from rest_framework import serializers

from ..models import Finding, PrivacySettings


class FindingSerializer(serializers.ModelSerializer):
    session_id = serializers.CharField(source="session_id_text", read_only=True)
    label = serializers.CharField(read_only=True)
    redacted = serializers.SerializerMethodField()

    class Meta:
        model = Finding
        fields = [
            "id",
            "kind",
            "label",
            "session_id",
            "offset_ms",
            "location",
            "selector",
            "excerpt",
            "redacted",
            "redacted_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_redacted(self, finding) -> bool:
        return finding.redacted_at is not None


class PrivacySettingsSerializer(serializers.ModelSerializer):
    nightly_sample_percent = serializers.FloatField(min_value=0, max_value=100, required=False)
    nightly_max_sessions = serializers.IntegerField(min_value=0, max_value=10_000, required=False)

    class Meta:
        model = PrivacySettings
        fields = [
            "audit_new_sessions",
            "nightly_sample_percent",
            "nightly_max_sessions",
            "auto_redact",
        ]


class NetworkHeadersSerializer(serializers.Serializer):
    always = serializers.ListField(child=serializers.CharField(), read_only=True)
    headers = serializers.ListField(
        child=serializers.CharField(max_length=100, allow_blank=True), max_length=200
    )
