"""A trace's spans as waterfall rows: bar position and width as percentages of the trace."""

from dataclasses import dataclass

from apps.traces.models import SpanKind, StatusCode
from apps.traces.selectors import TraceDetail

MIN_BAR_PERCENT = 0.4


@dataclass
class WaterfallRow:
    span_id: str
    parent_span_id: str
    name: str
    service: str
    kind: str
    depth: int
    offset_ms: float
    duration_ms: float
    left: float
    width: float
    is_error: bool
    status: str
    status_message: str
    http_status: int | None
    attributes: list[tuple[str, object]]
    resource: list[tuple[str, object]]
    events: list


def waterfall_rows(detail: TraceDetail) -> list[WaterfallRow]:
    total_ns = max(detail.end_time_unix_nano - detail.start_time_unix_nano, 1)
    rows = []
    for item in detail.spans:
        span = item.span
        start = span.start_time_unix_nano - detail.start_time_unix_nano
        duration = max(span.end_time_unix_nano - span.start_time_unix_nano, 0)
        left = start * 100 / total_ns
        width = max(duration * 100 / total_ns, MIN_BAR_PERCENT)
        rows.append(
            WaterfallRow(
                span_id=span.span_id,
                parent_span_id=span.parent_span_id,
                name=span.name,
                service=span.service_name,
                kind=SpanKind(span.kind).label if span.kind in SpanKind.values else "",
                depth=min(item.depth, 12),
                offset_ms=round(item.offset_ms, 3),
                duration_ms=round(duration / 1e6, 3),
                left=round(min(left, 100 - MIN_BAR_PERCENT), 3),
                width=round(min(width, 100 - min(left, 100 - MIN_BAR_PERCENT)), 3),
                is_error=span.is_error,
                status=StatusCode(span.status_code).label
                if span.status_code in StatusCode.values
                else "",
                status_message=span.status_message,
                http_status=span.http_status_code,
                attributes=sorted((span.attributes or {}).items()),
                resource=sorted((span.resource_attributes or {}).items()),
                events=list(span.events or []),
            )
        )
    return rows
