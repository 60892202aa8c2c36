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


def replay_row(*, organization: Organization, session_id: str) -> Session | None:
    """The session's replay, or None (a backend-only session id, or another organization's)."""
    if not session_id:
        return None
    try:
        return replay_selectors.session_get(organization=organization, session_id=session_id)
    except Session.DoesNotExist:
        return None


def browser_trace_ids_of(*, organization: Organization, session: Session) -> list[str]:
    """Trace ids the session's browser requests carried in their traceparent, in time order."""
    return list(
        replay_selectors.session_trace_ids(organization=organization, session=session).values_list(
            "trace_id", flat=True
        )
    )


def session_of_browser_trace(*, organization: Organization, trace_id: str) -> Session | None:
    """The session whose browser request carried this trace id, if any."""
    link = replay_selectors.session_for_trace(organization=organization, trace_id=trace_id)
    return link.session if link is not None else None
