"""Replay links to paste into a helpdesk: the recorder's ``getSessionURL()`` format,
``{base}/r/{data-org-id}/{session_id}?t={ms since the session start}`` (docs/recorder-protocol.md).
The /r/ route redirects a signed-in member to the session page at that moment."""

from urllib.parse import quote

from apps.orgs.models import Organization


def replay_url(
    *, base_url: str, organization: Organization, session_id: str, offset_ms: int = 0
) -> str:
    return (
        f"{base_url.rstrip('/')}/r/{quote(organization.public_id)}/{quote(session_id)}"
        f"?t={max(int(offset_ms), 0)}"
    )
