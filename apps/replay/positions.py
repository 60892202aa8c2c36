"""Where a moment sits on a session's timeline bar, in percent (one formula for every list)."""

from .models import Session


def offset_percent(*, session: Session, ts_ms: int) -> float:
    """The position of epoch-ms ``ts_ms`` along the session, 0 to 100, two decimals."""
    span = max(session.end_ms - session.start_ms, 1)
    return round(min(max((ts_ms - session.start_ms) * 100 / span, 0), 100), 2)


def active_percent(*, session: Session) -> int:
    """How much of the session someone was active, 4 to 100 (a sliver stays visible)."""
    if session.duration_ms <= 0:
        return 100
    return max(4, min(100, round(session.active_ms * 100 / session.duration_ms)))
