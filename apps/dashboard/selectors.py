"""Reads that join several domains for the dashboard pages. Organization first, always.

Single-domain reads go through that domain's selectors; the few joins no domain offers (the
activity marks of a page of sessions, the sessions of a page of traces, a trace's logs) are
written here, scoped by the organization in the query like everything else.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Max, QuerySet

from apps.orgs.models import Organization
from apps.replay import selectors as replay
from apps.replay.models import MarkKind, Session, TimelineMark
from apps.traces import selectors as traces
from apps.traces.models import LogRecord, Span
from apps.traces.summaries import TraceSummary

from . import tickets_bridge
from .models import SavedFilter

ACTIVITY_KINDS = {
    MarkKind.NAVIGATION: "nav",
    MarkKind.ERROR: "err",
    MarkKind.CONSOLE_ERROR: "err",
    MarkKind.FAILED_REQUEST: "err",
    MarkKind.RAGE_CLICK: "rage",
    MarkKind.DEAD_CLICK: "rage",
}
MAX_ACTIVITY_MARKS = 4000
MAX_SESSION_LOGS = 1000
MAX_TRACE_LOGS = 500
BROWSERS_CACHE_SECONDS = 300
SCAN = 400  # spans read per query when collecting a page of traces
MAX_SCANS = 10


def saved_filters(*, organization: Organization) -> QuerySet[SavedFilter]:
    return SavedFilter.objects.filter(organization=organization).order_by("name", "id")


def browsers_seen(*, organization: Organization) -> list[str]:
    """Browser families recorded in this organization (cached briefly: a scan at 100k rows)."""
    key = f"dashboard:browsers:{organization.pk}"
    found = cache.get(key)
    if found is None:
        found = sorted(
            replay.sessions_search(organization=organization)
            .exclude(browser="")
            .order_by()
            .values_list("browser", flat=True)
            .distinct()[:50]
        )
        cache.set(key, found, BROWSERS_CACHE_SECONDS)
    return found


def sessions_with_ticket_filter(
    sessions: QuerySet[Session], *, organization: Organization, has_ticket: bool | None
) -> QuerySet[Session]:
    linked = None if has_ticket is None else tickets_bridge.linked_filter(organization=organization)
    if linked is None:
        return sessions
    return sessions.filter(linked) if has_ticket else sessions.exclude(linked)


@dataclass
class SessionRow:
    session: Session
    tickets: object = None
    marks: list[dict] = field(default_factory=list)

    @property
    def ticket_label(self) -> str:
        if not self.tickets:
            return ""
        if self.tickets is True:
            return "Ticket"
        count = self.tickets if isinstance(self.tickets, int) else len(self.tickets)
        return f"{count} ticket{'s' if count != 1 else ''}"

    @property
    def active_percent(self) -> int:
        duration = self.session.duration_ms
        if duration <= 0:
            return 100
        return max(4, min(100, round(self.session.active_ms * 100 / duration)))


def session_rows(*, organization: Organization, sessions: Iterable[Session]) -> list[SessionRow]:
    """A page of sessions with their linked tickets and the marks for their activity bars."""
    rows = [SessionRow(session) for session in sessions]
    if not rows:
        return rows
    by_pk = {row.session.pk: row for row in rows}
    linked = tickets_bridge.linked(organization=organization, session_pks=list(by_pk))
    for pk, value in linked.items():
        if pk in by_pk:
            by_pk[pk].tickets = value
    marks = (
        TimelineMark.objects.filter(
            organization=organization, session_id__in=list(by_pk), kind__in=list(ACTIVITY_KINDS)
        )
        .order_by("session_id", "ts_ms")
        .values_list("session_id", "ts_ms", "kind", "label")[:MAX_ACTIVITY_MARKS]
    )
    for session_pk, ts_ms, kind, label in marks:
        row = by_pk[session_pk]
        duration = max(row.session.duration_ms, 1)
        left = (ts_ms - row.session.start_ms) * 100 / duration
        row.marks.append(
            {"left": round(min(max(left, 0), 100), 2), "kind": ACTIVITY_KINDS[kind], "label": label}
        )
    return rows


@dataclass
class SessionBackend:
    traces: list[TraceSummary]
    logs: list[LogRecord]
    truncated: bool


def session_backend(*, organization: Organization, session: Session) -> SessionBackend:
    """The session's backend traces (tagged with its session.id, or carrying a trace id one of
    its browser requests sent) and its logs, each with its offset into the replay."""
    tagged = traces.session_traces(organization=organization, session_id=session.session_id)
    found = {summary.trace_id: summary for summary in tagged.traces}
    request_ids = [
        row.trace_id
        for row in replay.session_trace_ids(organization=organization, session=session)
        if row.trace_id not in found
    ]
    for trace_id, summary in traces.traces_by_ids(
        organization=organization, trace_ids=request_ids
    ).items():
        summary.offset_ms = round(summary.start_time_unix_nano / 1e6 - session.start_ms, 3)
        found[trace_id] = summary
    logs = list(
        traces.session_logs(organization=organization, session_id=session.session_id)[
            :MAX_SESSION_LOGS
        ]
    )
    ordered = sorted(found.values(), key=lambda s: (s.start_time_unix_nano, s.trace_id))
    return SessionBackend(traces=ordered, logs=logs, truncated=tagged.truncated)


@dataclass
class TracePage:
    traces: list[TraceSummary]
    sessions: dict[str, dict]
    next_before: int | None


def trace_page(
    *, organization: Organization, search: dict, before: int | None = None, limit: int = 50
) -> TracePage:
    """The newest traces with a span matching ``search`` (``spans_search`` arguments), by their
    latest matching span, older than ``before`` (ns); ``next_before`` continues the list."""
    matching = traces.spans_search(organization=organization, **search)
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
    summaries = traces.traces_by_ids(organization=organization, trace_ids=ids)
    ordered = [summaries[tid] for tid in ids if tid in summaries]
    return TracePage(
        traces=ordered,
        sessions=trace_replays(organization=organization, summaries=ordered),
        next_before=last_start if more else None,
    )


def trace_replays(*, organization: Organization, summaries: list[TraceSummary]) -> dict[str, dict]:
    """Trace id → {"session_id", "offset_ms"} for traces whose session has a replay."""
    by_trace = trace_sessions(organization=organization, trace_ids=[s.trace_id for s in summaries])
    starts = dict(
        Session.objects.filter(
            organization=organization, session_id__in=set(by_trace.values())
        ).values_list("session_id", "start_ms")
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


def trace_logs(*, organization: Organization, trace_id: str) -> list[LogRecord]:
    normalized = traces.normalize_trace_id(trace_id)
    if not normalized:
        return []
    return list(
        LogRecord.objects.filter(organization=organization, trace_id=normalized).order_by(
            "time_unix_nano", "id"
        )[:MAX_TRACE_LOGS]
    )


def session_for_id(*, organization: Organization, session_id: str) -> Session | None:
    try:
        return replay.session_get(organization=organization, session_id=session_id)
    except Session.DoesNotExist:
        return None
