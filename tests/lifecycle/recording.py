"""Recording sessions for the lifecycle tests: batches stored through the replay service (the
same path the intake takes), then aged by moving their timestamps into the past."""

import os
from datetime import timedelta

import orjson
from django.utils import timezone

from apps.replay.models import Session
from apps.replay.services import IncomingBatch, batch_store
from apps.traces.rows import SpanRow
from apps.traces.services import spans_store
from tests.replay import rrweb


def page_events(t: int, *extra) -> list[dict]:
    return [*rrweb.page_load(t), rrweb.click(t + 500), rrweb.mutation(t + 600), *extra]


def record(
    organization,
    *,
    batches: list[list[dict]] | None = None,
    session_id: str | None = None,
    user_id: str | None = None,
    ended: bool = True,
) -> Session:
    """Store the batches (default: two plain ones) and return the session's index row."""
    session_id = session_id or rrweb.new_session_id()
    batches = batches or [page_events(rrweb.T0), [rrweb.mouse_move(rrweb.T0 + 2000)]]
    user = {"id": user_id} if user_id else None
    for seq, events in enumerate(batches):
        if user_id and seq == 0:
            events = [*events, rrweb.identify(events[-1]["timestamp"] + 1, user_id)]
        batch_store(
            organization=organization,
            incoming=IncomingBatch(
                session_id=session_id,
                seq=seq,
                events=events,
                ended=ended and seq == len(batches) - 1,
                user=user,
            ),
        )
    return Session.objects.get(organization=organization, session_id=session_id)


def age(session: Session, *, minutes: int = 0, days: int = 0) -> Session:
    """Pretend the session's last batch came ``minutes``/``days`` ago (and it ended then)."""
    when = timezone.now() - timedelta(minutes=minutes, days=days)
    Session.objects.filter(pk=session.pk).update(updated_at=when, last_seen_at=when, ended_at=when)
    session.refresh_from_db()
    return session


def backend_span(organization, session_id: str, *, http_status: int | None = 500, error=False):
    now_ns = int(timezone.now().timestamp() * 1e9)
    is_error = error or (http_status is not None and http_status >= 500)
    spans_store(
        organization=organization,
        rows=[
            SpanRow(
                trace_id="4bf92f3577b34da6a3ce929d0e0e4736",
                # A span of its own: spans are unique per (organization, trace id, span id).
                span_id=os.urandom(8).hex(),
                parent_span_id="",
                name="POST /api/orders",
                kind=2,
                status_code=2 if error else 0,
                status_message="",
                service_name="shop-api",
                scope_name="",
                start_time_unix_nano=now_ns,
                end_time_unix_nano=now_ns + 1000,
                duration_ns=1000,
                attributes=orjson.dumps({"session.id": session_id}).decode(),
                resource_attributes="{}",
                events="[]",
                links="[]",
                session_id=session_id,
                http_status_code=http_status,
                is_error=is_error,
            )
        ],
    )
