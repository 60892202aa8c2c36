"""What the session page hands its player script (as JSON): where to load events, the
session's clock, its notable moments, and its backend traces and logs with replay offsets
(``apps.traces.selectors.session_timeline`` computed them: nothing is recomputed here)."""

from django.urls import reverse

from apps.orgs.models import Organization
from apps.replay.models import Session
from apps.replay.selectors import session_snapshot_offsets
from apps.traces.models import LogRecord
from apps.traces.summaries import TraceSummary

from .templatetags.dashboard import log_body, severity

EVENT_WINDOW_MS = 60_000


def player_config(
    *,
    organization: Organization,
    session: Session,
    marks: list[dict],
    traces: list[TraceSummary],
    logs: list[LogRecord],
    start_at_ms: int | None,
    share_base: str,
    window_id: str | None = None,
) -> dict:
    """``window_id``: the window (browser tab) of the session the player plays (one at a
    time: each tab is its own page); None for a session with no batch yet."""
    slug = organization.slug
    return {
        "org": slug,
        "sessionId": session.session_id,
        "eventsUrl": reverse("session-events", kwargs={"session_id": session.session_id}),
        # "" (a recorder that names no window: the session's only one) is the API's default.
        "window": window_id or None,
        "windowMs": EVENT_WINDOW_MS,
        "startMs": session.start_ms,
        "durationMs": session.duration_ms,
        "startAt": start_at_ms,
        # Where full snapshots are (approximately): a seek far from the loaded part starts there.
        "snapshots": session_snapshot_offsets(
            organization=organization, session=session, window_id=window_id
        ),
        "shareUrl": share_base,
        "marks": [_mark(mark) for mark in marks],
        "traces": [_trace(slug, summary) for summary in traces],
        "logs": [_log(record) for record in logs],
    }


def _mark(mark: dict) -> dict:
    shown = {"t": mark["offset_ms"], "kind": mark["kind"], "label": mark["label"]}
    data = mark.get("data")
    severity = data.get("severity") if isinstance(data, dict) else None
    if isinstance(severity, int) and 1 <= severity <= 3:
        shown["severity"] = severity  # a finding's (the player shows high ones as errors)
    return shown


def _trace(slug: str, summary: TraceSummary) -> dict:
    root = summary.root
    return {
        "traceId": summary.trace_id,
        "t": summary.offset_ms,
        "name": root.name if root else summary.trace_id,
        "service": root.service_name if root else "",
        "httpStatus": root.http_status_code if root else None,
        "durationMs": round(summary.duration_ms, 3),
        "spans": summary.span_count,
        "errors": summary.error_count,
        "url": reverse("trace_detail", kwargs={"org_slug": slug, "trace_id": summary.trace_id}),
        "waterfallUrl": reverse(
            "trace_waterfall", kwargs={"org_slug": slug, "trace_id": summary.trace_id}
        ),
    }


def _log(record: LogRecord) -> dict:
    return {
        "t": record.offset_ms,
        "level": severity(record),
        "severity": record.severity_text or "",
        "body": log_body(record)[:1000],
        "traceId": record.trace_id,
        "service": record.service_name,
    }
