"""Backend telemetry received over OTLP: spans and log records, each tied to a browser session.

Retries are stored once: spans are unique per (organization, trace id, span id), log records per
(organization, time, content hash); see ``storage.py``.

Times stay in OTLP's unit (nanoseconds since the epoch, BigIntegerField) so nothing is lost and
range predicates need no conversion. Rows are append-only and written in bulk (COPY on
PostgreSQL, see ``storage.py``); their physical order follows arrival time, which is what the
BRIN indexes on the time columns rely on (added by migration 0002 on PostgreSQL only).
"""

from django.db import models

from apps.orgs.models import Organization

TRACE_ID_HEX = 32
SPAN_ID_HEX = 16
SESSION_ID_MAX = 128


class SpanKind(models.IntegerChoices):
    UNSPECIFIED = 0, "unspecified"
    INTERNAL = 1, "internal"
    SERVER = 2, "server"
    CLIENT = 3, "client"
    PRODUCER = 4, "producer"
    CONSUMER = 5, "consumer"


class StatusCode(models.IntegerChoices):
    UNSET = 0, "unset"
    OK = 1, "ok"
    ERROR = 2, "error"


class Span(models.Model):
    # The composite indexes below all lead with the organization, so the FK's own index would
    # only cost writes.
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    trace_id = models.CharField(max_length=TRACE_ID_HEX)
    span_id = models.CharField(max_length=SPAN_ID_HEX)
    parent_span_id = models.CharField(max_length=SPAN_ID_HEX, blank=True, default="")
    name = models.TextField()
    kind = models.SmallIntegerField(choices=SpanKind.choices, default=SpanKind.UNSPECIFIED)
    status_code = models.SmallIntegerField(choices=StatusCode.choices, default=StatusCode.UNSET)
    status_message = models.TextField(blank=True, default="")
    service_name = models.TextField(blank=True, default="")
    scope_name = models.TextField(blank=True, default="")
    start_time_unix_nano = models.BigIntegerField()
    end_time_unix_nano = models.BigIntegerField()
    duration_ns = models.BigIntegerField()
    attributes = models.JSONField(default=dict)
    resource_attributes = models.JSONField(default=dict)
    events = models.JSONField(default=list)
    links = models.JSONField(default=list)
    session_id = models.CharField(max_length=SESSION_ID_MAX, blank=True, default="")
    http_status_code = models.IntegerField(null=True, blank=True)
    # Status ERROR or an HTTP 5xx: what the timeline marks as a correlated backend error.
    is_error = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(
                fields=["organization", "session_id", "trace_id"],
                name="span_org_session",
                condition=~models.Q(session_id=""),
            ),
            # Newest-first listings (GET /api/v1/spans) and per-organization retention.
            models.Index(fields=["organization", "start_time_unix_nano"], name="span_org_start"),
        ]
        constraints = [
            # An exporter's retry (possibly to another web process) is stored once; this index
            # also serves the (organization, trace_id) lookups the former span_org_trace did.
            models.UniqueConstraint(
                fields=["organization", "trace_id", "span_id"], name="span_org_trace_span_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.trace_id}/{self.span_id})"


class LogRecord(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # OTLP allows an unknown event time (0); the receiver stores the observed time instead.
    time_unix_nano = models.BigIntegerField()
    observed_time_unix_nano = models.BigIntegerField(default=0)
    severity_number = models.SmallIntegerField(default=0)
    severity_text = models.CharField(max_length=32, blank=True, default="")
    body = models.JSONField(null=True, blank=True)
    attributes = models.JSONField(default=dict)
    resource_attributes = models.JSONField(default=dict)
    trace_id = models.CharField(max_length=TRACE_ID_HEX, blank=True, default="")
    span_id = models.CharField(max_length=SPAN_ID_HEX, blank=True, default="")
    session_id = models.CharField(max_length=SESSION_ID_MAX, blank=True, default="")
    service_name = models.TextField(blank=True, default="")
    scope_name = models.TextField(blank=True, default="")
    event_name = models.TextField(blank=True, default="")
    # 128-bit hash of the record as received with its resource and scope (apps/ingestion/otlp/
    # logs.py): a retried export is stored once. Null for rows stored before it existed.
    content_hash = models.BinaryField(max_length=16, null=True, blank=True, editable=False)

    class Meta:
        indexes = [
            models.Index(
                fields=["organization", "session_id", "time_unix_nano"],
                name="log_org_session",
                condition=~models.Q(session_id=""),
            ),
            models.Index(
                fields=["organization", "trace_id"],
                name="log_org_trace",
                condition=~models.Q(trace_id=""),
            ),
        ]
        constraints = [
            # Time first so inserts land near the index's right edge, as rows arrive in time order.
            models.UniqueConstraint(
                fields=["organization", "time_unix_nano", "content_hash"],
                name="log_org_time_content_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"log {self.severity_text or self.severity_number} at {self.time_unix_nano}"
