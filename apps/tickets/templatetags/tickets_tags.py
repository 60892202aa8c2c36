"""Template helpers of the tickets pages and of the session page's tickets panel."""

from django import template

from apps.core.public_url import public_base_url

from .. import selectors
from ..models import OPEN_STATUSES
from ..replay_links import replay_url

register = template.Library()


@register.filter
def duration_ms(value) -> str:
    """12_345 → "12s", 754_000 → "12m 34s", 4_000_000 → "1h 6m"."""
    try:
        seconds = int(value) // 1000
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes}m"
    if minutes:
        return f"{minutes}m {seconds:02d}s"
    return f"{seconds}s"


@register.simple_tag
def open_tickets(organization, session=None, limit: int = 50):
    """Recent open or pending tickets (not yet linked to ``session``), for the "link to
    ticket" picker."""
    tickets = selectors.tickets_list(organization=organization).filter(status__in=OPEN_STATUSES)
    if session is not None:
        tickets = tickets.exclude(session_links__session=session)
    return list(tickets[:limit])


@register.simple_tag(takes_context=True)
def session_replay_link(context, organization, session) -> str:
    """The recorder's getSessionURL() link to this session, to paste into a helpdesk; it
    starts just before the first error, if any."""
    request = context.get("request")
    base_url = public_base_url(request) if request is not None else ""
    marks = selectors.session_marks(organization=organization, sessions=[session])
    return replay_url(
        base_url=base_url,
        organization=organization,
        session_id=session.session_id,
        offset_ms=selectors.first_error_offset_ms(session, marks.get(session.pk, [])),
    )
