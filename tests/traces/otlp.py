"""Builders for OTLP export requests (protobuf messages and spec-conformant OTLP/JSON)."""

import gzip
import os
import time

from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue
from opentelemetry.proto.logs.v1.logs_pb2 import LogRecord
from opentelemetry.proto.trace.v1.trace_pb2 import Span, Status

PROTOBUF = "application/x-protobuf"
JSON = "application/json"


def new_trace_id() -> str:
    return os.urandom(16).hex()


def new_span_id() -> str:
    return os.urandom(8).hex()


def any_value(value) -> AnyValue:
    if isinstance(value, bool):
        return AnyValue(bool_value=value)
    if isinstance(value, int):
        return AnyValue(int_value=value)
    if isinstance(value, float):
        return AnyValue(double_value=value)
    if isinstance(value, bytes):
        return AnyValue(bytes_value=value)
    if isinstance(value, list | tuple):
        out = AnyValue()
        out.array_value.values.extend(any_value(v) for v in value)
        return out
    if isinstance(value, dict):
        out = AnyValue()
        out.kvlist_value.values.extend(key_values(value))
        return out
    return AnyValue(string_value=str(value))


def key_values(attributes: dict) -> list[KeyValue]:
    return [KeyValue(key=k, value=any_value(v)) for k, v in attributes.items()]


def span(
    *,
    trace_id: str | bytes | None = None,
    span_id: str | bytes | None = None,
    parent_span_id: str | bytes = b"",
    name: str = "GET /cart",
    kind: int = Span.SPAN_KIND_SERVER,
    start_ns: int | None = None,
    duration_ns: int = 25_000_000,
    attributes: dict | None = None,
    status_code: int = 0,
    status_message: str = "",
) -> Span:
    def raw(value):
        return bytes.fromhex(value) if isinstance(value, str) else value

    start = start_ns if start_ns is not None else time.time_ns()
    return Span(
        trace_id=raw(trace_id if trace_id is not None else new_trace_id()),
        span_id=raw(span_id if span_id is not None else new_span_id()),
        parent_span_id=raw(parent_span_id),
        name=name,
        kind=kind,
        start_time_unix_nano=start,
        end_time_unix_nano=start + duration_ns,
        attributes=key_values(attributes or {}),
        status=Status(code=status_code, message=status_message),
    )


def traces_request(spans, *, service: str = "shop-api", resource: dict | None = None):
    request = ExportTraceServiceRequest()
    resource_spans = request.resource_spans.add()
    resource_spans.resource.attributes.extend(
        key_values({"service.name": service, **(resource or {})})
    )
    scope_spans = resource_spans.scope_spans.add()
    scope_spans.scope.name = "tests"
    scope_spans.spans.extend(spans)
    return request


def log_record(
    *,
    body="payment declined",
    severity: int = 17,
    severity_text: str = "ERROR",
    trace_id: str | bytes = b"",
    span_id: str | bytes = b"",
    attributes: dict | None = None,
    time_ns: int | None = None,
) -> LogRecord:
    def raw(value):
        return bytes.fromhex(value) if isinstance(value, str) else value

    record = LogRecord(
        time_unix_nano=time_ns if time_ns is not None else time.time_ns(),
        severity_number=severity,
        severity_text=severity_text,
        trace_id=raw(trace_id),
        span_id=raw(span_id),
        attributes=key_values(attributes or {}),
    )
    if body is not None:
        record.body.CopyFrom(any_value(body))
    return record


def logs_request(records, *, service: str = "shop-api", resource: dict | None = None):
    request = ExportLogsServiceRequest()
    resource_logs = request.resource_logs.add()
    resource_logs.resource.attributes.extend(
        key_values({"service.name": service, **(resource or {})})
    )
    scope_logs = resource_logs.scope_logs.add()
    scope_logs.scope.name = "tests"
    scope_logs.log_records.extend(records)
    return request


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data)
