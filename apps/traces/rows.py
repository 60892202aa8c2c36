"""Plain rows handed to storage: one tuple per span or log record, in table column order.

Producers (the OTLP receiver) build these directly so the COPY path writes them without another
conversion. JSON columns hold already-serialized JSON text (``orjson.dumps(...).decode()``): the
serializer ran once, in the producer, and PostgreSQL parses the text as jsonb.
"""

from typing import NamedTuple


class SpanRow(NamedTuple):
    trace_id: str
    span_id: str
    parent_span_id: str
    name: str
    kind: int
    status_code: int
    status_message: str
    service_name: str
    scope_name: str
    start_time_unix_nano: int
    end_time_unix_nano: int
    duration_ns: int
    attributes: str
    resource_attributes: str
    events: str
    links: str
    session_id: str
    http_status_code: int | None
    is_error: bool


class LogRow(NamedTuple):
    time_unix_nano: int
    observed_time_unix_nano: int
    severity_number: int
    severity_text: str
    body: str
    attributes: str
    resource_attributes: str
    trace_id: str
    span_id: str
    session_id: str
    service_name: str
    scope_name: str
    event_name: str
    content_hash: bytes  # 16 bytes: what makes a retried record recognisable (models.py)


JSON_FIELDS = {
    SpanRow: ("attributes", "resource_attributes", "events", "links"),
    LogRow: ("body", "attributes", "resource_attributes"),
}
