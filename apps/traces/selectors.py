"""Reads for spans and log records (keyword-only, organization first). Not yours = missing."""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform

from apps.core.errors import DomainError, NotFound
from apps.orgs.models import Organization
from apps.replay.models import Session

from . import replay_link
from .correlation import (
    SessionTimeline,
    offset_ms,
    session_logs_query,
    session_timeline,
    session_trace_ids,
)
from .models import LogRecord, Span, StatusCode
from .summaries import TraceSummary, summarize
from .tree import TreeSpan, span_tree

__all__ = [
    "SessionTimeline",
    "session_logs_query",
    "session_timeline",
    "session_trace_ids",
]

SESSION_ATTRIBUTE = "session.id"
MAX_TRACE_SPANS = 10_000
MAX_TRACE_LOGS = 500
MAX_ATTRIBUTE_FILTERS = 10
_TRACE_ID = re.compile(r"^[0-9a-f]{32}\Z")


def normalize_trace_id(trace_id: str) -> str | None:
    trace_id = (trace_id or "").strip().lower()
    return trace_id if _TRACE_ID.match(trace_id) else None


def traces_by_ids(
    *, organization: Organization, trace_ids: Iterable[str]
) -> dict[str, TraceSummary]:
    """Backend traces for trace ids seen elsewhere (a browser request's traceparent), keyed by
    trace id; ids with no stored span are absent."""
    ids = {tid for tid in map(normalize_trace_id, trace_ids) if tid}
    return summarize(organization=organization, trace_ids=ids)


def session_traces(*, organization: Organization, session_id: str) -> SessionTimeline:
    """The session's backend traces, earliest first, with offsets (``session_timeline``
    without the logs)."""
    return session_timeline(organization=organization, session_id=session_id, log_limit=0)


@dataclass
class TraceDetail:
    trace_id: str
    spans: list[TreeSpan]
    session_id: str
    session_ids: list[str]
    session_start_ms: int | None
    start_time_unix_nano: int
    end_time_unix_nano: int
    error_count: int
    truncated: bool
    logs: list[LogRecord]  # the trace's log records, oldest first, each with offset_ms
    replay: Session | None  # the replay of ``session_id``, when there is one

    @property
    def duration_ms(self) -> float:
        return max(self.end_time_unix_nano - self.start_time_unix_nano, 0) / 1e6

    @property
    def replay_offset_ms(self) -> float | None:
        return offset_ms(self.start_time_unix_nano, self.session_start_ms)


def session_telemetry_exists(*, organization: Organization) -> bool:
    """Whether any span or log of the organization carries a session id (the backend helper
    is installed and exporting): two index probes (``span_org_session``, ``log_org_session``)."""
    return (
        Span.objects.filter(organization=organization).exclude(session_id="").exists()
        or LogRecord.objects.filter(organization=organization).exclude(session_id="").exists()
    )


def session_backend_error_counts(
    *, organization: Organization, session_ids: list[str]
) -> dict[str, int]:
    """Session id → how many of its spans (carrying its session.id) are errors; sessions
    without error spans are absent."""
    if not session_ids:
        return {}
    rows = (
        Span.objects.filter(organization=organization, session_id__in=session_ids, is_error=True)
        .values("session_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["session_id"]: row["n"] for row in rows}


def trace_logs(*, organization: Organization, trace_id: str) -> QuerySet[LogRecord]:
    """The trace's log records, oldest first (whatever session id they carry, if any)."""
    normalized = normalize_trace_id(trace_id)
    if not normalized:
        return LogRecord.objects.none()
    return LogRecord.objects.filter(organization=organization, trace_id=normalized).order_by(
        "time_unix_nano", "id"
    )


def trace_get(*, organization: Organization, trace_id: str) -> TraceDetail:
    """The trace's spans as a tree in waterfall order, with its session and replay offset,
    and its log records (each with its offset in that replay)."""
    normalized = normalize_trace_id(trace_id)
    spans = (
        list(
            Span.objects.filter(organization=organization, trace_id=normalized).order_by(
                "start_time_unix_nano", "id"
            )[: MAX_TRACE_SPANS + 1]
        )
        if normalized
        else []
    )
    if not spans:
        raise NotFound("No such trace.")
    truncated = len(spans) > MAX_TRACE_SPANS
    spans = spans[:MAX_TRACE_SPANS]
    counts: dict[str, int] = {}
    for span in spans:
        if span.session_id:
            counts[span.session_id] = counts.get(span.session_id, 0) + 1
    session_ids = sorted(counts, key=lambda sid: -counts[sid])
    if session_ids:
        replay = replay_link.replay_row(organization=organization, session_id=session_ids[0])
        session_id = session_ids[0]
    else:
        # No span names a session; a browser request may still have carried this trace id.
        replay = replay_link.session_of_browser_trace(
            organization=organization, trace_id=normalized
        )
        session_id = replay.session_id if replay else ""
        session_ids = [session_id] if replay else []
    start_ms = replay.start_ms if replay else None
    logs = list(trace_logs(organization=organization, trace_id=normalized)[:MAX_TRACE_LOGS])
    for record in logs:
        record.offset_ms = offset_ms(record.time_unix_nano, start_ms)
    return TraceDetail(
        trace_id=normalized,
        spans=span_tree(spans),
        session_id=session_id,
        session_ids=session_ids,
        session_start_ms=start_ms,
        start_time_unix_nano=min(s.start_time_unix_nano for s in spans),
        end_time_unix_nano=max(s.end_time_unix_nano for s in spans),
        error_count=sum(1 for s in spans if s.is_error),
        truncated=truncated,
        logs=logs,
        replay=replay,
    )


_STATUS = {"unset": StatusCode.UNSET, "ok": StatusCode.OK, "error": StatusCode.ERROR}


def spans_search(
    *,
    organization: Organization,
    attributes: Mapping[str, str] | None = None,
    service: str | None = None,
    name: str | None = None,
    status: str | None = None,
    is_error: bool | None = None,
    trace_id: str | None = None,
    session_id: str | None = None,
    start_unix_nano: int | None = None,
    end_unix_nano: int | None = None,
) -> QuerySet[Span]:
    """Spans matching every given filter. ``attributes`` match span attributes, else resource
    attributes, by their text form (``attr[http.response.status_code]=500`` matches the int);
    ``session.id`` uses the indexed session column. ``session_id``: the spans of the session's
    traces, as the session page shows them (``session_trace_ids``: tagged or carried by its
    browser requests); NotFound for a session with neither. Time range: start ≤ span start <
    end."""
    spans = Span.objects.filter(organization=organization)
    if session_id is not None:
        ids = session_trace_ids(organization=organization, session_id=session_id)
        spans = spans.filter(trace_id__in=ids.trace_ids)
    attributes = dict(attributes or {})
    if len(attributes) > MAX_ATTRIBUTE_FILTERS:
        raise DomainError(
            f"At most {MAX_ATTRIBUTE_FILTERS} attribute filters.", code="too_many_filters"
        )
    for index, (key, value) in enumerate(attributes.items()):
        if key == SESSION_ATTRIBUTE:
            spans = spans.filter(session_id=value)
            continue
        span_key, resource_key = f"_attr{index}", f"_resource_attr{index}"
        spans = spans.alias(
            **{
                span_key: KeyTextTransform(key, "attributes"),
                resource_key: KeyTextTransform(key, "resource_attributes"),
            }
        ).filter(Q(**{span_key: value}) | Q(**{resource_key: value}))
    if service:
        spans = spans.filter(service_name=service)
    if name:
        spans = spans.filter(name=name)
    if status:
        code = _STATUS.get(status.lower())
        if code is None:
            raise DomainError(f"status must be one of {', '.join(_STATUS)}.", code="invalid_status")
        spans = spans.filter(status_code=code)
    if is_error is not None:
        spans = spans.filter(is_error=is_error)
    if trace_id:
        spans = spans.filter(trace_id=normalize_trace_id(trace_id) or "-")
    if start_unix_nano is not None:
        spans = spans.filter(start_time_unix_nano__gte=start_unix_nano)
    if end_unix_nano is not None:
        spans = spans.filter(start_time_unix_nano__lt=end_unix_nano)
    return spans
