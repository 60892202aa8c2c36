"""What traces need from the replay side: when a session started (for offsets) and which trace
ids its browser requests carried (a traceparent the recorder saw), through replay's selectors."""

from dataclasses import dataclass

from apps.orgs.models import Organization
from apps.replay import selectors as replay_selectors
from apps.replay.models import Session


@dataclass(frozen=True)
class ReplaySession:
    session_id: str
    start_ms: int


def replay_session(*, organization: Organization, session_id: str) -> ReplaySession | None:
    if not session_id:
        return None
    try:
        session = replay_selectors.session_get(organization=organization, session_id=session_id)
    except Session.DoesNotExist:
        return None
    return ReplaySession(session.session_id, session.start_ms)


def session_start_ms(*, organization: Organization, session_id: str) -> int | None:
    """Epoch ms of the session's first recorded event, or None without a replay."""
    found = replay_session(organization=organization, session_id=session_id)
    return found.start_ms if found else None


def browser_trace_ids(*, organization: Organization, session_id: str) -> list[str]:
    """Trace ids the session's browser requests carried in their traceparent."""
    try:
        session = replay_selectors.session_get(organization=organization, session_id=session_id)
    except Session.DoesNotExist:
        return []
    return list(
        replay_selectors.session_trace_ids(organization=organization, session=session).values_list(
            "trace_id", flat=True
        )
    )


def session_of_browser_trace(*, organization: Organization, trace_id: str) -> ReplaySession | None:
    """The session whose browser request carried this trace id, if any."""
    link = replay_selectors.session_for_trace(organization=organization, trace_id=trace_id)
    if link is None:
        return None
    return ReplaySession(link.session.session_id, link.session.start_ms)
