"""ExportLogsServiceRequest → LogRow tuples (invalid records are counted, not stored)."""

import time
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


def _hex(raw: bytes, zero: bytes) -> str:
    return "" if not raw or raw == zero else raw.hex()


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


def convert_logs(request) -> Converted:
    out = Converted()
    rows = out.rows
    received = time.time_ns()
    limits = attribute_limits()
    for resource_logs in request.resource_logs:
        resource = attributes(resource_logs.resource.attributes, limits)
        resource_json = limited_json(resource, limits.value_length)
        service = clipped(service_name_of(resource), limits.name_length)
        resource_session = session_id_of(resource.get(SESSION_ATTRIBUTE))
        for scope_logs in resource_logs.scope_logs:
            scope = clipped(scope_logs.scope.name, limits.name_length)
            # The record as received (before limits and the time fallback, which uses the
            # arrival time) identifies a retry, in protobuf or JSON alike.
            key = _scope_key(resource_logs, scope_logs)
            for record in scope_logs.log_records:
                problem = _problem(record)
                if problem:
                    out.reject(problem)
                    continue
                attrs = attributes(record.attributes, limits)
                observed = record.observed_time_unix_nano
                severity = record.severity_number
                rows.append(
                    LogRow(
                        # The data model allows an unknown event time; fall back to when it
                        # was observed, then to when it reached us.
                        record.time_unix_nano or observed or received,
                        observed,
                        severity if 0 <= severity <= MAX_SEVERITY else 0,
                        text(record.severity_text, SEVERITY_TEXT_MAX),
                        limited_json(_body(record, limits), limits.value_length),
                        limited_json(attrs, limits.value_length),
                        resource_json,
                        _hex(record.trace_id, ZERO_TRACE_ID),
                        _hex(record.span_id, ZERO_SPAN_ID),
                        session_id_of(attrs.get(SESSION_ATTRIBUTE)) or resource_session,
                        service,
                        scope,
                        clipped(record.event_name, limits.name_length),
                        blake2b(record.SerializeToString(), digest_size=16, key=key).digest(),
                    )
                )
    return out
