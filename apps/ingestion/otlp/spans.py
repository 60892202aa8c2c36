"""ExportTraceServiceRequest → SpanRow tuples (invalid spans are counted, not stored)."""

from collections.abc import Iterator

from apps.traces.rows import SpanRow

from .attribute_limits import DROPPED_EVENTS, DROPPED_LINKS, AttributeLimits, attribute_limits
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
from .values import attributes, clipped, limited_json

STATUS_ERROR = 2
# Enums are open in proto3; values this version of OTLP does not define are stored as 0.
MAX_KIND = 5
HTTP_STATUS_KEYS = ("http.response.status_code", "http.status_code")
INT32_MAX = 2**31 - 1


def _http_status(attrs: dict) -> int | None:
    for key in HTTP_STATUS_KEYS:
        value = attrs.get(key)
        if value is None:
            continue
        try:
            status = int(value)
        except (TypeError, ValueError, OverflowError):  # OverflowError: an infinite double
            return None
        return status if 0 <= status <= INT32_MAX else None
    return None


def _problem(span) -> str | None:
    problem = (
        id_problem(span.trace_id, 16, required=True, what="trace_id")
        or id_problem(span.span_id, 8, required=True, what="span_id")
        or id_problem(span.parent_span_id, 8, required=False, what="parent_span_id")
    )
    if problem:
        return problem
    if span.start_time_unix_nano > INT64_MAX or span.end_time_unix_nano > INT64_MAX:
        return "start_time_unix_nano and end_time_unix_nano must fit in a signed 64-bit integer"
    return None


def _events(span, limits: AttributeLimits, denied: frozenset) -> tuple[str, int]:
    """The events' JSON and how many were dropped over the limit."""
    events = span.events
    if not events:
        return "[]", 0
    dropped = max(len(events) - limits.event_count, 0)
    return limited_json(
        [
            {
                "name": clipped(event.name, limits.name_length),
                "time_unix_nano": event.time_unix_nano,
                "attributes": attributes(event.attributes, limits, denied),
            }
            for event in (events[: limits.event_count] if dropped else events)
        ],
        limits.value_length,
    ), dropped


def _links(span, limits: AttributeLimits, denied: frozenset) -> tuple[str, int]:
    """The links' JSON and how many were dropped over the limit."""
    links = span.links
    if not links:
        return "[]", 0
    dropped = max(len(links) - limits.link_count, 0)
    return limited_json(
        [
            {
                "trace_id": link.trace_id.hex(),
                "span_id": link.span_id.hex(),
                "attributes": attributes(link.attributes, limits, denied),
            }
            for link in (links[: limits.link_count] if dropped else links)
        ],
        limits.value_length,
    ), dropped


def convert_spans(request, denied: frozenset = frozenset()) -> Converted:
    """The request's spans as rows (made as they are read: ``Converted.rows``); the values of
    the attribute keys in ``denied`` are stored as ``[redacted]``."""
    out = Converted(
        items=sum(len(scope.spans) for r in request.resource_spans for scope in r.scope_spans)
    )
    out.rows = _rows(request, out, denied)
    return out


def _rows(request, out: Converted, denied: frozenset) -> Iterator[SpanRow]:
    """The rows of a request's valid spans. Runs for every span, so each field is read once and
    the checks and cleanups take their general (slower) path only for the rare span that needs
    it: invalid, over a limit, holding a NUL."""
    limits = attribute_limits()
    name_length = limits.name_length
    value_length = limits.value_length
    for resource_spans in request.resource_spans:
        resource = attributes(resource_spans.resource.attributes, limits, denied)
        resource_json = limited_json(resource, value_length)
        service = clipped(service_name_of(resource), name_length)
        resource_session = session_id_of(resource.get(SESSION_ATTRIBUTE))
        for scope_spans in resource_spans.scope_spans:
            scope = clipped(scope_spans.scope.name, name_length)
            for span in scope_spans.spans:
                trace_id = span.trace_id
                span_id = span.span_id
                parent = span.parent_span_id
                start = span.start_time_unix_nano
                end = span.end_time_unix_nano
                if (
                    len(trace_id) != 16
                    or len(span_id) != 8
                    or (parent and len(parent) != 8)
                    or start > INT64_MAX
                    or end > INT64_MAX
                    or trace_id == ZERO_TRACE_ID
                    or span_id == ZERO_SPAN_ID
                ):
                    out.reject(_problem(span))
                    continue
                attrs = attributes(span.attributes, limits, denied)
                events, dropped_events = _events(span, limits, denied)
                links, dropped_links = _links(span, limits, denied)
                if dropped_events:
                    attrs[DROPPED_EVENTS] = dropped_events
                if dropped_links:
                    attrs[DROPPED_LINKS] = dropped_links
                name = span.name
                if len(name) > name_length or "\x00" in name:
                    name = clipped(name, name_length)
                kind = span.kind
                status = span.status
                status_code = status.code
                if not 0 <= status_code <= STATUS_ERROR:
                    status_code = 0
                http_status = _http_status(attrs) if attrs else None
                session = attrs.get(SESSION_ATTRIBUTE)
                if session is not None:
                    session = session_id_of(session)
                yield SpanRow(
                    trace_id.hex(),
                    span_id.hex(),
                    "" if not parent or parent == ZERO_SPAN_ID else parent.hex(),
                    name,
                    kind if 0 <= kind <= MAX_KIND else 0,
                    status_code,
                    clipped(status.message, value_length),
                    service,
                    scope,
                    start,
                    end,
                    end - start if end > start else 0,
                    limited_json(attrs, value_length),
                    resource_json,
                    events,
                    links,
                    session or resource_session,
                    http_status,
                    status_code == STATUS_ERROR or (http_status is not None and http_status >= 500),
                )
