"""What traces need from the replay side: when a session started (for offsets)."""

from apps.orgs.errors import NotFound
from apps.orgs.models import Organization


def session_start_ms(*, organization: Organization, session_id: str) -> int | None:
    """Epoch ms of the session's first recorded event, or None without a replay."""
    from apps.replay.selectors import session_get

    try:
        session = session_get(organization=organization, session_id=session_id)
    except NotFound:
        return None
    return None if session is None else session.start_ms
