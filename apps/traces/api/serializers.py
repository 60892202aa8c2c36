"""Read-only representations of spans, log records and trace summaries.

Times are given as OTLP nanoseconds (exact) and as ISO 8601 (readable); durations and offsets
in milliseconds. ``offset_ms`` / ``replay_offset_ms`` are from the session's first recorded
event: open the replay at that point (null when that session has no replay).
"""

from datetime import UTC, datetime

from rest_framework import serializers

from ..correlation import offset_ms
from ..models import LogRecord, Span, SpanKind, StatusCode


def iso(unix_nano: int) -> str:
    return datetime.fromtimestamp(unix_nano / 1e9, tz=UTC).isoformat().replace("+00:00", "Z")


class SpanSerializer(serializers.ModelSerializer):
    kind = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    start_time = serializers.SerializerMethodField()
    duration_ms = serializers.SerializerMethodField()

    class Meta:
        model = Span
        fields = [
            "trace_id",
            "span_id",
            "parent_span_id",
            "name",
            "kind",
            "status",
            "status_message",
            "service_name",
            "scope_name",
            "session_id",
            "start_time_unix_nano",
            "end_time_unix_nano",
            "start_time",
            "duration_ms",
            "http_status_code",
            "is_error",
            "attributes",
            "resource_attributes",
            "events",
            "links",
        ]

    def get_kind(self, span) -> str:
        return SpanKind(span.kind).label if span.kind in SpanKind.values else "unspecified"

    def get_status(self, span) -> str:
        return StatusCode(span.status_code).label if span.status_code in StatusCode.values else ""

    def get_start_time(self, span) -> str:
        return iso(span.start_time_unix_nano)

    def get_duration_ms(self, span) -> float:
        return span.duration_ns / 1e6


class WaterfallSpanSerializer(serializers.Serializer):
    """A span of a trace's waterfall: the span plus its depth and offset in the trace."""

    depth = serializers.IntegerField()
    offset_ms = serializers.FloatField(help_text="From the trace's first span.")
    span = SpanSerializer()

    def to_representation(self, instance):
        # The bound field serializes every row: a serializer built per span costs more than
        # the query.
        data = self.fields["span"].to_representation(instance.span)
        return {"depth": instance.depth, "offset_ms": round(instance.offset_ms, 3), **data}


class RootSpanSerializer(serializers.Serializer):
    span_id = serializers.CharField()
    name = serializers.CharField()
    service_name = serializers.CharField()
    kind = serializers.IntegerField()
    status_code = serializers.IntegerField()
    http_status_code = serializers.IntegerField(allow_null=True)


class TraceSummarySerializer(serializers.Serializer):
    trace_id = serializers.CharField()
    root_span = RootSpanSerializer(source="root", allow_null=True)
    start_time_unix_nano = serializers.IntegerField()
    start_time = serializers.SerializerMethodField()
    duration_ms = serializers.FloatField()
    span_count = serializers.IntegerField()
    error_count = serializers.IntegerField()
    is_error = serializers.BooleanField()
    offset_ms = serializers.FloatField(allow_null=True, help_text="From the session's start.")

    def get_start_time(self, summary) -> str:
        return iso(summary.start_time_unix_nano)


class SessionTracesSerializer(serializers.Serializer):
    session_id = serializers.CharField()
    session_start_ms = serializers.IntegerField(
        allow_null=True, help_text="Epoch ms of the replay's first event (null: no replay)."
    )
    truncated = serializers.BooleanField(help_text="More traces exist than were returned.")
    traces = TraceSummarySerializer(many=True)


class LogRecordSerializer(serializers.ModelSerializer):
    time = serializers.SerializerMethodField()
    offset_ms = serializers.SerializerMethodField()

    class Meta:
        model = LogRecord
        fields = [
            "time_unix_nano",
            "time",
            "offset_ms",
            "observed_time_unix_nano",
            "severity_number",
            "severity_text",
            "body",
            "attributes",
            "resource_attributes",
            "trace_id",
            "span_id",
            "session_id",
            "service_name",
            "scope_name",
            "event_name",
        ]

    def get_time(self, record) -> str:
        return iso(record.time_unix_nano)

    def get_offset_ms(self, record) -> float | None:
        # Records read through the correlation selectors carry their offset already.
        if hasattr(record, "offset_ms"):
            return record.offset_ms
        return offset_ms(record.time_unix_nano, self.context.get("session_start_ms"))


class TraceDetailSerializer(serializers.Serializer):
    trace_id = serializers.CharField()
    session_id = serializers.CharField(help_text="The session most of its spans carry.")
    session_ids = serializers.ListField(child=serializers.CharField())
    session_start_ms = serializers.IntegerField(allow_null=True)
    replay_offset_ms = serializers.FloatField(
        allow_null=True, help_text="Where this trace starts in the session's replay."
    )
    start_time_unix_nano = serializers.IntegerField()
    start_time = serializers.SerializerMethodField()
    duration_ms = serializers.FloatField()
    error_count = serializers.IntegerField()
    truncated = serializers.BooleanField()
    spans = WaterfallSpanSerializer(many=True)
    logs = LogRecordSerializer(
        many=True, help_text="The trace's log records, oldest first (at most 500)."
    )

    def get_start_time(self, detail) -> str:
        return iso(detail.start_time_unix_nano)
