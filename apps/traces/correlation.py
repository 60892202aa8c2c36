"""The one correlation read: a session's backend traces and logs, with their offsets into the
replay. The session page, the REST API (session traces, session logs, ``?session_id=`` on spans)
and tickets all read a session's backend through here, so they list the same records.

A trace belongs to the session when any of its spans carries ``session.id`` or when one of the
session's browser requests carried its id (traceparent). A log record belongs to it when it
carries the session id, or carries no session id but the id of one of those traces: the shop's
own logs usually have only trace context, as the article's middleware leaves them.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from apps.core.errors import NotFound
from apps.orgs.models import Organization
from apps.replay.models import Session

from . import replay_link
from .models import LogRecord, Span
from .replay_link import ReplaySession
from .summaries import TraceSummary, summarize

MAX_SESSION_TRACES = 1000
MAX_SESSION_LOGS = 1000


@dataclass
class SessionTimeline:
    session_id: str
    session_start_ms: int | None  # None: no replay of this session (backend only)
    traces: list[TraceSummary]  # earliest first, each with offset_ms
    logs: list[LogRecord]  # oldest first, each with offset_ms
    truncated: bool  # more traces than the limit


@dataclass(frozen=True)
class SessionTraceIds:
    session_id: str
    replay: ReplaySession | None
    trace_ids: list[str]  # tagged first, then the browser's, no repeats, at most the limit
    truncated: bool


def offset_ms(unix_nano: int, session_start_ms: int | None) -> float | None:
    """Milliseconds from the session's first recorded event (None without a replay)."""
    if session_start_ms is None:
        return None
    return round(unix_nano / 1e6 - session_start_ms, 3)


def session_trace_ids(
    *,
    organization: Organization,
    session_id: str,
    session: Session | None = None,
    limit: int = MAX_SESSION_TRACES,
) -> SessionTraceIds:
    """The ids of the session's traces. Pass ``session`` when the caller has the replay row (it
    is then not fetched again); without it, it is looked up. NotFound when the session has
    neither a replay nor a span in this organization."""
    if session is not None:
        replay = ReplaySession(session.session_id, session.start_ms)
        browser = replay_link.browser_trace_ids_of(organization=organization, session=session)
    else:
        found = replay_link.replay_row(organization=organization, session_id=session_id)
        replay = ReplaySession(found.session_id, found.start_ms) if found else None
        browser = (
            replay_link.browser_trace_ids_of(organization=organization, session=found)
            if found
            else []
        )
    ids = list(
        Span.objects.filter(organization=organization, session_id=session_id)
        .order_by()
        .values_list("trace_id", flat=True)
        .distinct()[: limit + 1]
    )
    known = set(ids)
    for trace_id in browser:
        if trace_id not in known:
            known.add(trace_id)
            ids.append(trace_id)
    if not ids and replay is None:
        raise NotFound("No such session.")
    return SessionTraceIds(session_id, replay, ids[:limit], truncated=len(ids) > limit)


def session_logs_query(
    *, organization: Organization, session_id: str, trace_ids: list[str]
) -> QuerySet[LogRecord]:
    """The session's log records, oldest first: tagged with its id, or untagged and in one of
    its traces."""
    condition = Q(session_id=session_id)
    if trace_ids:
        condition |= Q(session_id="", trace_id__in=trace_ids)
    return LogRecord.objects.filter(condition, organization=organization).order_by(
        "time_unix_nano", "id"
    )


def session_timeline(
    *,
    organization: Organization,
    session_id: str,
    session: Session | None = None,
    trace_limit: int = MAX_SESSION_TRACES,
    log_limit: int = MAX_SESSION_LOGS,
) -> SessionTimeline:
    """A session's backend traces and logs with their replay offsets (see the module doc)."""
    ids = session_trace_ids(
        organization=organization, session_id=session_id, session=session, limit=trace_limit
    )
    start_ms = ids.replay.start_ms if ids.replay else None
    traces = sorted(
        summarize(organization=organization, trace_ids=ids.trace_ids).values(),
        key=lambda s: (s.start_time_unix_nano, s.trace_id),
    )
    for summary in traces:
        summary.offset_ms = offset_ms(summary.start_time_unix_nano, start_ms)
    logs = list(
        session_logs_query(
            organization=organization, session_id=session_id, trace_ids=ids.trace_ids
        )[:log_limit]
    )
    for record in logs:
        record.offset_ms = offset_ms(record.time_unix_nano, start_ms)
    return SessionTimeline(session_id, start_ms, traces, logs, truncated=ids.truncated)
