"""Shapes of the tickets API. Writes are validated here and applied by services."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import (
    CLOSED_STATUSES,
    MAX_LINK_WINDOW_HOURS,
    Ticket,
    TicketSessionLink,
    TicketSource,
    TicketStatus,
    TicketStatusChange,
    TicketTraceLink,
)

MAX_LINKS_PER_REQUEST = 50


class StatusChangeSerializer(serializers.ModelSerializer):
    # Plain strings: the same choice sets as the ticket's status would otherwise get a second
    # enum name in the schema.
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    source = serializers.CharField(help_text="dashboard, api or webhook")

    class Meta:
        model = TicketStatusChange
        fields = ["from_status", "to_status", "changed_at", "source"]
        read_only_fields = fields


class TicketSerializer(serializers.ModelSerializer):
    session_count = serializers.IntegerField(read_only=True, required=False)
    trace_count = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = Ticket
        fields = [
            "id",
            "source",
            "external_id",
            "url",
            "subject",
            "status",
            "reporter_user_id",
            "reporter_email",
            "created_at",
            "closed_at",
            "link_window_hours",
            "session_count",
            "trace_count",
            "received_at",
            "updated_at",
        ]
        read_only_fields = fields


class TicketDetailSerializer(TicketSerializer):
    status_history = serializers.SerializerMethodField()

    class Meta(TicketSerializer.Meta):
        fields = [*TicketSerializer.Meta.fields, "status_history"]
        read_only_fields = fields

    @extend_schema_field(StatusChangeSerializer(many=True))
    def get_status_history(self, ticket: Ticket):
        changes = ticket.status_changes.order_by("changed_at", "id")
        return StatusChangeSerializer(changes, many=True).data


class TicketFieldsSerializer(serializers.Serializer):
    """The fields a caller may change (PATCH)."""

    subject = serializers.CharField(max_length=500, required=False, allow_blank=True)
    url = serializers.CharField(max_length=2048, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=TicketStatus.choices, required=False)
    reporter_user_id = serializers.CharField(max_length=255, required=False, allow_blank=True)
    reporter_email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    created_at = serializers.DateTimeField(
        required=False, help_text="When the ticket was opened in the helpdesk (default: now)."
    )
    link_window_hours = serializers.IntegerField(
        min_value=1,
        max_value=MAX_LINK_WINDOW_HOURS,
        required=False,
        help_text="Hours before created_at in which the reporter's sessions are linked.",
    )


class TicketCreateSerializer(TicketFieldsSerializer):
    """A new ticket (POST /tickets) or one to create-or-update (POST /tickets/upsert)."""

    source = serializers.ChoiceField(choices=TicketSource.choices)
    external_id = serializers.CharField(max_length=255)
    session_ids = serializers.ListField(
        child=serializers.CharField(max_length=64),
        required=False,
        max_length=MAX_LINKS_PER_REQUEST,
        help_text="Sessions to link as well (how: api). Unknown ids are a 404.",
    )
    trace_ids = serializers.ListField(
        child=serializers.CharField(max_length=32),
        required=False,
        max_length=MAX_LINKS_PER_REQUEST,
        help_text="Traces to link as well (how: api). Unknown ids are a 404.",
    )


class CloseSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in CLOSED_STATUSES], default=TicketStatus.CLOSED
    )


class LinkedSessionSerializer(serializers.ModelSerializer):
    session_id = serializers.CharField(source="session.session_id")
    started_at = serializers.DateTimeField(source="session.started_at")
    duration_ms = serializers.IntegerField(source="session.duration_ms")
    user_id = serializers.CharField(source="session.user_id")
    error_count = serializers.IntegerField(source="session.error_count")
    entry_url = serializers.CharField(source="session.entry_url")
    linked_by = serializers.EmailField(source="linked_by.email", default=None)
    replay_url = serializers.SerializerMethodField()

    class Meta:
        model = TicketSessionLink
        fields = [
            "session_id",
            "started_at",
            "duration_ms",
            "user_id",
            "error_count",
            "entry_url",
            "how",
            "reason",
            "linked_at",
            "linked_by",
            "replay_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField())
    def get_replay_url(self, link: TicketSessionLink) -> str:
        return self.context["replay_urls"].get(link.session_id, "")


class SessionLinkRequestSerializer(serializers.Serializer):
    session_id = serializers.CharField(max_length=64)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class SessionUnlinkRequestSerializer(serializers.Serializer):
    session_id = serializers.CharField(max_length=64)


class LinkedTraceSerializer(serializers.ModelSerializer):
    linked_by = serializers.EmailField(source="linked_by.email", default=None)
    root_name = serializers.SerializerMethodField()
    service_name = serializers.SerializerMethodField()
    duration_ms = serializers.SerializerMethodField()
    error_count = serializers.SerializerMethodField()

    class Meta:
        model = TicketTraceLink
        fields = [
            "trace_id",
            "how",
            "reason",
            "linked_at",
            "linked_by",
            "root_name",
            "service_name",
            "duration_ms",
            "error_count",
        ]
        read_only_fields = fields

    def _summary(self, link):
        return self.context["summaries"].get(link.trace_id)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_root_name(self, link):
        summary = self._summary(link)
        return summary.root.name if summary and summary.root else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_service_name(self, link):
        summary = self._summary(link)
        return summary.root.service_name if summary and summary.root else None

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_duration_ms(self, link):
        summary = self._summary(link)
        return summary.duration_ms if summary else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_error_count(self, link):
        summary = self._summary(link)
        return summary.error_count if summary else None


class TraceLinkRequestSerializer(serializers.Serializer):
    trace_id = serializers.CharField(max_length=64)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class TraceUnlinkRequestSerializer(serializers.Serializer):
    trace_id = serializers.CharField(max_length=64)


class ReporterSessionSerializer(serializers.Serializer):
    session_id = serializers.CharField()
    started_at = serializers.DateTimeField()
    last_seen_at = serializers.DateTimeField()
    duration_ms = serializers.IntegerField()
    user_id = serializers.CharField()
    error_count = serializers.IntegerField()
    entry_url = serializers.CharField()
    linked = serializers.BooleanField()
    replay_url = serializers.URLField()


class SessionTicketSerializer(TicketSerializer):
    how = serializers.CharField(source="link.how", read_only=True)
    reason = serializers.CharField(source="link.reason", read_only=True)
    linked_at = serializers.DateTimeField(source="link.linked_at", read_only=True)

    class Meta(TicketSerializer.Meta):
        fields = [*TicketSerializer.Meta.fields, "how", "reason", "linked_at"]
        read_only_fields = fields
