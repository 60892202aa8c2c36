"""The traces list: the newest traces with a span matching a search, page by page, each with
the replay it belongs to (session id and offset) when there is one."""

from dataclasses import dataclass

from django.db.models import Max

from apps.orgs.models import Organization
from apps.replay import selectors as replay_selectors

from .models import Span
from .selectors import spans_search
from .summaries import TraceSummary, summarize

SCAN = 400  # spans read per query when collecting a page of traces
MAX_SCANS = 10


@dataclass
class TracePage:
    traces: list[TraceSummary]
    sessions: dict[str, dict]  # trace id → {"session_id", "offset_ms"} when it has a replay
    next_before: int | None


def trace_page(
    *, organization: Organization, search: dict, before: int | None = None, limit: int = 50
) -> TracePage:
    """The newest traces with a span matching ``search`` (``spans_search`` arguments), by their
    latest matching span, older than ``before`` (ns); ``next_before`` continues the list."""
    matching = spans_search(organization=organization, **search)
    spans = matching.order_by("-start_time_unix_nano", "-id")
    if before is not None:
        spans = spans.filter(start_time_unix_nano__lt=before)
    seen: dict[str, None] = {}
    last_start, more, offset = None, False, 0
    while not more:
        rows = list(spans.values_list("trace_id", "start_time_unix_nano")[offset : offset + SCAN])
        for trace_id, start in rows:
            if trace_id not in seen:
                if len(seen) >= limit:
                    more = True
                    break
                seen[trace_id] = None
            last_start = start
        offset += SCAN
        if len(rows) < SCAN:
            break
        if offset >= SCAN * MAX_SCANS:
            more = True
    ids = list(seen)
    if before is not None and ids:
        # A trace whose latest matching span is newer than the cursor was on an earlier page.
        latest = dict(
            matching.filter(trace_id__in=ids)
            .order_by()
            .values("trace_id")
            .annotate(latest=Max("start_time_unix_nano"))
            .values_list("trace_id", "latest")
        )
        ids = [tid for tid in ids if latest.get(tid, 0) < before]
    summaries = summarize(organization=organization, trace_ids=ids)
    ordered = [summaries[tid] for tid in ids if tid in summaries]
    return TracePage(
        traces=ordered,
        sessions=trace_replays(organization=organization, summaries=ordered),
        next_before=last_start if more else None,
    )


def trace_replays(*, organization: Organization, summaries: list[TraceSummary]) -> dict[str, dict]:
    """Trace id → {"session_id", "offset_ms"} for traces whose session has a replay."""
    by_trace = trace_sessions(organization=organization, trace_ids=[s.trace_id for s in summaries])
    starts = replay_selectors.session_starts(
        organization=organization, session_ids=by_trace.values()
    )
    found = {}
    for summary in summaries:
        session_id = by_trace.get(summary.trace_id)
        if session_id in starts:
            offset = summary.start_time_unix_nano // 1_000_000 - starts[session_id]
            found[summary.trace_id] = {"session_id": session_id, "offset_ms": max(offset, 0)}
    return found


def trace_sessions(*, organization: Organization, trace_ids: list[str]) -> dict[str, str]:
    """Trace id → the session id its spans carry (first found)."""
    if not trace_ids:
        return {}
    rows = (
        Span.objects.filter(organization=organization, trace_id__in=trace_ids)
        .exclude(session_id="")
        .order_by()
        .values_list("trace_id", "session_id")
        .distinct()
    )
    found: dict[str, str] = {}
    for trace_id, session_id in rows:
        found.setdefault(trace_id, session_id)
    return found
