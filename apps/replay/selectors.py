"""Reads of the replay domain. Every function takes the organization and scopes by it.

``session_events`` / ``session_event_chunks`` read segments and not-yet-compacted batches in
``seq`` order, each batch exactly once, including while a compaction is moving them.
``start_ms``/``end_ms`` are offsets in milliseconds from the session's first event
(``session.start_ms``), the same clock as the recorder's ``?t=`` session links.

A session spans the tabs (windows) of one origin. Each window is its own page, so a player
plays one window's events at a time (``window_id``; the first window when none is given).
"""

from collections.abc import Iterable, Iterator
from datetime import datetime

import orjson
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet

from apps.orgs.models import Organization

from .models import Batch, MarkKind, Segment, Session, SessionTrace, TimelineMark
from .playback import iter_frames_in_window, new_reader, snapshot_start

ORDERINGS = {
    "start": ("started_at", "id"),
    "-start": ("-started_at", "-id"),
    "duration": ("duration_ms", "id"),
    "-duration": ("-duration_ms", "-id"),
    "errors": ("error_count", "id"),
    "-errors": ("-error_count", "-id"),
}
DEFAULT_ORDERING = "-start"


def session_get(*, organization: Organization, session_id: str) -> Session:
    """The organization's session with this id; raises ``Session.DoesNotExist`` otherwise."""
    return Session.objects.get(organization=organization, session_id=session_id)


def sessions_search(
    *,
    organization: Organization,
    user_id: str | None = None,
    url_contains: str | None = None,
    has_errors: bool | None = None,
    error_contains: str | None = None,
    min_duration_ms: int | None = None,
    max_duration_ms: int | None = None,
    started_after: datetime | None = None,
    started_before: datetime | None = None,
    browser: str | None = None,
    trace_id: str | None = None,
    finding: str | None = None,
    ordering: str = DEFAULT_ORDERING,
) -> QuerySet[Session]:
    """The organization's sessions matching every given filter, in ``ordering``
    (one of ``ORDERINGS``: start, duration or errors, ``-`` for descending)."""
    return sessions_filter(
        Session.objects.filter(organization=organization),
        organization=organization,
        user_id=user_id,
        url_contains=url_contains,
        has_errors=has_errors,
        error_contains=error_contains,
        min_duration_ms=min_duration_ms,
        max_duration_ms=max_duration_ms,
        started_after=started_after,
        started_before=started_before,
        browser=browser,
        trace_id=trace_id,
        finding=finding,
    ).order_by(*ORDERINGS[ordering])


def sessions_filter(
    queryset: QuerySet[Session],
    *,
    organization: Organization,
    user_id: str | None = None,
    url_contains: str | None = None,
    has_errors: bool | None = None,
    error_contains: str | None = None,
    min_duration_ms: int | None = None,
    max_duration_ms: int | None = None,
    started_after: datetime | None = None,
    started_before: datetime | None = None,
    browser: str | None = None,
    trace_id: str | None = None,
    finding: str | None = None,
) -> QuerySet[Session]:
    queryset = queryset.filter(organization=organization)
    if user_id:
        queryset = queryset.filter(user_id=user_id)
    if url_contains:
        queryset = queryset.filter(url_text__icontains=url_contains)
    if has_errors is True:
        queryset = queryset.filter(error_count__gt=0)
    elif has_errors is False:
        queryset = queryset.filter(error_count=0)
    if error_contains:
        queryset = queryset.filter(
            Q(error_text__icontains=error_contains) | Q(finding_text__icontains=error_contains)
        )
    if finding == "any":
        queryset = queryset.exclude(finding_kinds="")
    elif finding:
        queryset = queryset.filter(finding_kinds__contains=f" {finding} ")
    if min_duration_ms is not None:
        queryset = queryset.filter(duration_ms__gte=min_duration_ms)
    if max_duration_ms is not None:
        queryset = queryset.filter(duration_ms__lte=max_duration_ms)
    if started_after is not None:
        queryset = queryset.filter(started_at__gte=started_after)
    if started_before is not None:
        queryset = queryset.filter(started_at__lt=started_before)
    if browser:
        queryset = queryset.filter(browser__iexact=browser)
    if trace_id:
        queryset = queryset.filter(
            Exists(
                SessionTrace.objects.filter(
                    organization=organization, session=OuterRef("pk"), trace_id=trace_id.lower()
                )
            )
        )
    return queryset


def session_starts(*, organization: Organization, session_ids: Iterable[str]) -> dict[str, int]:
    """Session id → epoch ms of its first event, for the given ids that have a replay."""
    ids = set(session_ids)
    if not ids:
        return {}
    return dict(
        Session.objects.filter(organization=organization, session_id__in=ids).values_list(
            "session_id", "start_ms"
        )
    )


def session_for_trace(*, organization: Organization, trace_id: str) -> SessionTrace | None:
    """The first session whose browser requests carried ``trace_id`` (with ``ts_ms``, the
    moment of that request), for jumping from a trace to the replay."""
    return (
        SessionTrace.objects.select_related("session")
        .filter(organization=organization, trace_id=trace_id.lower())
        .order_by("ts_ms")
        .first()
    )


def session_trace_ids(*, organization: Organization, session: Session) -> QuerySet[SessionTrace]:
    return SessionTrace.objects.filter(organization=organization, session=session).order_by("ts_ms")


def session_windows(*, organization: Organization, session: Session) -> list[dict]:
    """The session's windows (browser tabs), first opened first: ``window_id`` ("" for a
    recorder that sends none), ``offset_ms`` / ``end_offset_ms`` of its first and last events
    from the session start, and its ``batches``. From the index; no blob is read."""
    rows = (
        Batch.objects.filter(organization=organization, session=session)
        .values("window_id")
        .annotate(first=Min("first_ms"), last=Max("last_ms"), batches=Count("id"))
        .order_by("first", "window_id")
    )
    return [
        {
            "window_id": row["window_id"],
            "offset_ms": max(0, (row["first"] or session.start_ms) - session.start_ms),
            "end_offset_ms": max(0, (row["last"] or session.start_ms) - session.start_ms),
            "batches": row["batches"],
        }
        for row in rows
    ]


def session_window_or_first(
    *, organization: Organization, session: Session, window_id: str | None
) -> str | None:
    """``window_id`` if the session has that window, the first window when None; None when the
    session has no such window (or no batch yet)."""
    windows = [w["window_id"] for w in session_windows(organization=organization, session=session)]
    if window_id is None:
        return windows[0] if windows else None
    return window_id if window_id in windows else None


def session_event_chunks(
    *,
    organization: Organization,
    session: Session,
    start_ms: int | None = None,
    end_ms: int | None = None,
    from_snapshot: bool = False,
    window_id: str | None = None,
) -> Iterator[list[bytes]]:
    """One window's events as stored JSON, one list of event JSON byte strings per batch
    (``window_id``: one of ``session_windows``; None reads every window, one after another).

    ``from_snapshot`` moves the start back to the last full DOM snapshot before ``start_ms``,
    so a player can show the page at ``start_ms`` without the events before that snapshot.
    """
    lo = None if start_ms is None else session.start_ms + start_ms
    hi = None if end_ms is None else session.start_ms + end_ms
    reader = new_reader(organization)
    begin = None
    if from_snapshot and lo is not None and window_id is not None:
        begin = snapshot_start(
            organization=organization, session=session, at=lo, reader=reader, window_id=window_id
        )
    yield from iter_frames_in_window(
        organization=organization,
        session=session,
        lo=lo,
        hi=hi,
        reader=reader,
        begin=begin,
        window_id=window_id,
    )


def session_snapshot_offsets(
    *, organization: Organization, session: Session, window_id: str | None = None
) -> list[int]:
    """Where the session's full DOM snapshots are, from the index (no blob is read): for each
    batch holding one, the offset (ms from the session start) of that batch's first event, at
    most one flush (a few seconds) before the snapshot itself. A player uses them to decide
    whether a seek is worth starting from a snapshot (``?snapshot=true``) instead of the start.
    """
    firsts = Batch.objects.filter(
        organization=organization, session=session, has_full_snapshot=True
    )
    if window_id is not None:
        firsts = firsts.filter(window_id=window_id)
    firsts = firsts.exclude(first_ms=None).order_by("seq").values_list("first_ms", flat=True)
    return sorted({max(0, first - session.start_ms) for first in firsts})


def session_events(
    *,
    organization: Organization,
    session: Session,
    start_ms: int | None = None,
    end_ms: int | None = None,
    window_id: str | None = None,
) -> Iterator[dict]:
    """The session's rrweb events in order (``start_ms`` <= offset < ``end_ms``): one window's
    (``window_id``), or with None every window's, one window after another."""
    for chunk in session_event_chunks(
        organization=organization,
        session=session,
        start_ms=start_ms,
        end_ms=end_ms,
        window_id=window_id,
    ):
        for event_json in chunk:
            yield orjson.loads(event_json)


def session_batch_seqs(*, organization: Organization, session: Session) -> dict[str, list[int]]:
    """The numbers of the session's stored batches that hold events, per window (browser tab),
    in order; the windows in the order their first batch was stored."""
    seqs: dict[str, list[int]] = {}
    for window_id, seq in (
        Batch.objects.filter(organization=organization, session=session, event_count__gt=0)
        .order_by("id")
        .values_list("window_id", "seq")
    ):
        seqs.setdefault(window_id, []).append(seq)
    for numbers in seqs.values():
        numbers.sort()
    return seqs


def session_events_after(
    *,
    organization: Organization,
    session: Session,
    window_id: str,
    after_seq: int | None = None,
    through_seq: int | None = None,
) -> Iterator[list[dict]]:
    """One window's rrweb events batch by batch, in order, of the batches numbered after
    ``after_seq`` and up to ``through_seq`` (either end open without it): one parse per batch."""
    for chunk in iter_frames_in_window(
        organization=organization,
        session=session,
        lo=None,
        hi=None,
        window_id=window_id,
        after_seq=after_seq,
        through_seq=through_seq,
    ):
        yield orjson.loads(b"[" + b",".join(chunk) + b"]") if chunk else []


def session_timeline_summary(*, organization: Organization, session: Session) -> dict:
    """Counts, pages and notable moments of a session, from the index (no blob is read)."""
    marks = TimelineMark.objects.filter(organization=organization, session=session).order_by(
        "ts_ms", "id"
    )
    storage = Batch.objects.filter(organization=organization, session=session)
    windows = session_windows(organization=organization, session=session)
    return {
        "start_ms": session.start_ms,
        "end_ms": session.end_ms,
        "duration_ms": session.duration_ms,
        "active_ms": session.active_ms,
        "counts": {
            "pages": session.page_count,
            "clicks": session.click_count,
            "rage_clicks": session.rage_click_count,
            "dead_clicks": session.dead_click_count,
            "console_errors": session.console_error_count,
            "uncaught_errors": session.uncaught_error_count,
            "failed_requests": session.failed_request_count,
            "errors": session.error_count,
            "events": session.event_count,
            "windows": len(windows),
        },
        # The browser tabs the session spans (one session per origin, one window per tab).
        "windows": windows,
        "storage": {
            "batches": session.batch_count,
            "loose_batches": storage.filter(segment__isnull=True).count(),
            "segments": Segment.objects.filter(organization=organization, session=session).count(),
            "bytes": session.bytes_stored,
        },
        "marks": [
            {
                "offset_ms": mark.ts_ms - session.start_ms,
                "ts_ms": mark.ts_ms,
                "kind": mark.kind,
                "label": mark.label,
                "data": mark.data,
            }
            for mark in marks
        ],
        "pages": [
            {"offset_ms": mark.ts_ms - session.start_ms, "url": mark.label}
            for mark in marks
            if mark.kind == MarkKind.NAVIGATION
        ],
    }
