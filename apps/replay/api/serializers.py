from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Session
from ..selectors import session_timeline_summary, session_trace_ids

MAX_TRACE_IDS = 500


class SessionSerializer(serializers.ModelSerializer):
    has_errors = serializers.BooleanField(read_only=True)
    viewport = serializers.SerializerMethodField()
    counts = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = [
            "session_id",
            "previous_session_id",
            "user_id",
            "user_traits",
            "started_at",
            "last_seen_at",
            "ended_at",
            "start_ms",
            "end_ms",
            "duration_ms",
            "active_ms",
            "entry_url",
            "urls",
            "page_count",
            "browser",
            "browser_version",
            "os",
            "os_version",
            "device_type",
            "device",
            "viewport",
            "has_errors",
            "counts",
            "error_count",
            "batch_count",
            "bytes_stored",
            "sdk",
            "sampling_state",
            "retention_class",
            "expires_at",
        ]
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {"width": {"type": "integer"}, "height": {"type": "integer"}},
        }
    )
    def get_viewport(self, session: Session):
        if session.viewport_width is None:
            return None
        return {"width": session.viewport_width, "height": session.viewport_height}

    @extend_schema_field(
        {"type": "object", "additionalProperties": {"type": "integer"}, "example": {"clicks": 3}}
    )
    def get_counts(self, session: Session) -> dict:
        return {
            "clicks": session.click_count,
            "rage_clicks": session.rage_click_count,
            "dead_clicks": session.dead_click_count,
            "console_errors": session.console_error_count,
            "uncaught_errors": session.uncaught_error_count,
            "failed_requests": session.failed_request_count,
            "events": session.event_count,
        }


class SessionDetailSerializer(SessionSerializer):
    timeline = serializers.SerializerMethodField()
    trace_ids = serializers.SerializerMethodField()

    class Meta(SessionSerializer.Meta):
        fields = [
            *SessionSerializer.Meta.fields,
            "user_agent",
            "viewport",
            "privacy_mode",
            "error_text",
            "sampling_reason",
            "sampling_decided_at",
            "raw_bytes",
            "timeline",
            "trace_ids",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_timeline(self, session: Session) -> dict:
        return session_timeline_summary(organization=session.organization, session=session)

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_trace_ids(self, session: Session) -> list[str]:
        traces = session_trace_ids(organization=session.organization, session=session)
        return list(traces.values_list("trace_id", flat=True)[:MAX_TRACE_IDS])
