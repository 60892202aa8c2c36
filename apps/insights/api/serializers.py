from rest_framework import serializers

from ..models import Finding, Insight, InsightStatus


class SessionFindingSerializer(serializers.ModelSerializer):
    session_id = serializers.CharField(source="session.session_id", read_only=True)
    insight_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "kind",
            "severity",
            "session_id",
            "insight_id",
            "ts_ms",
            "offset_ms",
            "duration_ms",
            "url",
            "element_selector",
            "element_text",
            "sentence",
            "evidence",
            "backend_error",
        ]


class InsightSerializer(serializers.ModelSerializer):
    class Meta:
        model = Insight
        fields = [
            "id",
            "kind",
            "page",
            "element_selector",
            "element_text",
            "title",
            "severity",
            "status",
            "regressed",
            "first_seen_at",
            "last_seen_at",
            "resolved_at",
            "session_count",
            "finding_count",
        ]
        read_only_fields = [f for f in fields if f != "status"]


class InsightStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=InsightStatus.choices)
