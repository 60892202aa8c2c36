"""ExportLogsServiceRequest → LogRow tuples (invalid records are counted, not stored)."""

import time
from collections.abc import Iterator
from hashlib import blake2b

from apps.traces.rows import LogRow

from .attribute_limits import AttributeLimits, attribute_limits
from .convert import (
    INT64_MAX,
    SESSION_ATTRIBUTE,
    ZERO_SPAN_ID,
    ZERO_TRACE_ID,
    Converted,
    id_problem,
    service_name_of,
    session_id_of,
)
from .values import any_value, attributes, clipped, limited_json, text

SEVERITY_TEXT_MAX = 32
# Enums are open in proto3; severities this version of OTLP does not define are stored as 0.
MAX_SEVERITY = 24


def _problem(record) -> str | None:
    problem = id_problem(record.trace_id, 16, required=False, what="trace_id") or id_problem(
        record.span_id, 8, required=False, what="span_id"
    )
    if problem:
        return problem
    if record.time_unix_nano > INT64_MAX or record.observed_time_unix_nano > INT64_MAX:
        return "time_unix_nano and observed_time_unix_nano must fit in a signed 64-bit integer"
    return None


def _body(record, limits: AttributeLimits):
    """The body as a plain value: a string body has its own (longer) limit, a structured one the
    attribute limits."""
    if not record.HasField("body"):
        return None
    body = record.body
    if body.WhichOneof("value") == "string_value":
        return clipped(body.string_value, limits.body_length)
    return any_value(body, limits.value_length)


def _scope_key(resource_logs, scope_logs) -> bytes:
    """Key of the record hashes under one resource and scope: the same record sent by another
    service is another record."""
    resource = resource_logs.resource.SerializeToString()
    scope = scope_logs.scope.SerializeToString()
    digest = blake2b(len(resource).to_bytes(8, "big") + resource + scope, digest_size=32)
    return digest.digest()


def convert_logs(request, denied: frozenset = frozenset()) -> Converted:
    """The request's log records as rows (made as they are read: ``Converted.rows``); the values
    of the attribute keys in ``denied`` are stored as ``[redacted]``."""
    out = Converted(
        items=sum(len(scope.log_records) for r in request.resource_logs for scope in r.scope_logs)
    )
    out.rows = _rows(request, out, denied, received=time.time_ns())
    return out


def _rows(request, out: Converted, denied: frozenset, *, received: int) -> Iterator[LogRow]:
    """The rows of a request's valid log records. Runs for every record, so each field is read
    once and the checks and cleanups take their general (slower) path only for the rare record
    that needs it: invalid, over a limit, holding a NUL, with a body that is not a string."""
    limits = attribute_limits()
    name_length = limits.name_length
    value_length = limits.value_length
    body_length = limits.body_length
    for resource_logs in request.resource_logs:
        resource = attributes(resource_logs.resource.attributes, limits, denied)
        resource_json = limited_json(resource, value_length)
        service = clipped(service_name_of(resource), name_length)
        resource_session = session_id_of(resource.get(SESSION_ATTRIBUTE))
        for scope_logs in resource_logs.scope_logs:
            scope = clipped(scope_logs.scope.name, name_length)
            # The record as received (before limits and the time fallback, which uses the
            # arrival time) identifies a retry, in protobuf or JSON alike.
            key = _scope_key(resource_logs, scope_logs)
            for record in scope_logs.log_records:
                trace_id = record.trace_id
                span_id = record.span_id
                timestamp = record.time_unix_nano
                observed = record.observed_time_unix_nano
                if (
                    (trace_id and len(trace_id) != 16)
                    or (span_id and len(span_id) != 8)
                    or timestamp > INT64_MAX
                    or observed > INT64_MAX
                ):
                    out.reject(_problem(record))
                    continue
                attrs = attributes(record.attributes, limits, denied)
                body = record.body.string_value
                if not body or len(body) > body_length or "\x00" in body:
                    body = _body(record, limits)
                severity = record.severity_text
                if len(severity) > SEVERITY_TEXT_MAX or "\x00" in severity:
                    severity = text(severity, SEVERITY_TEXT_MAX)
                event_name = record.event_name
                if len(event_name) > name_length or "\x00" in event_name:
                    event_name = clipped(event_name, name_length)
                session = attrs.get(SESSION_ATTRIBUTE)
                if session is not None:
                    session = session_id_of(session)
                severity_number = record.severity_number
                yield LogRow(
                    # The data model allows an unknown event time; fall back to when it
                    # was observed, then to when it reached us.
                    timestamp or observed or received,
                    observed,
                    severity_number if 0 <= severity_number <= MAX_SEVERITY else 0,
                    severity,
                    limited_json(body, value_length),
                    limited_json(attrs, value_length),
                    resource_json,
                    "" if not trace_id or trace_id == ZERO_TRACE_ID else trace_id.hex(),
                    "" if not span_id or span_id == ZERO_SPAN_ID else span_id.hex(),
                    session or resource_session,
                    service,
                    scope,
                    event_name,
                    blake2b(record.SerializeToString(), digest_size=16, key=key).digest(),
                )
