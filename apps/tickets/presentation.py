"""What the API and the dashboard show about linked sessions and traces, built in a few
queries: replay links at the first error, and positions for the small timeline bars."""

from dataclasses import dataclass, field

from apps.orgs.models import Organization
from apps.replay.models import Session, TimelineMark
from apps.traces.selectors import traces_by_ids

from . import selectors
from .models import Ticket, TicketSessionLink, TicketTraceLink
from .replay_links import replay_url


@dataclass
class TimelineDot:
    left_pct: float
    kind: str
    label: str
    is_error: bool


@dataclass
class SessionRow:
    session: Session
    replay_url: str
    link: TicketSessionLink | None = None
    dots: list[TimelineDot] = field(default_factory=list)


def _dots(session: Session, marks: list[TimelineMark]) -> list[TimelineDot]:
    span = max(session.end_ms - session.start_ms, 1)
    return [
        TimelineDot(
            left_pct=round(min(max((mark.ts_ms - session.start_ms) / span, 0), 1) * 100, 2),
            kind=mark.kind,
            label=mark.label[:120],
            is_error=mark.kind in selectors.ERROR_MARKS,
        )
        for mark in marks
    ]


def session_rows(
    *,
    organization: Organization,
    sessions: list[Session],
    base_url: str,
    links: dict[int, TicketSessionLink] | None = None,
) -> list[SessionRow]:
    marks = selectors.session_marks(organization=organization, sessions=sessions)
    rows = []
    for session in sessions:
        session_marks = marks.get(session.pk, [])
        rows.append(
            SessionRow(
                session=session,
                replay_url=replay_url(
                    base_url=base_url,
                    organization=organization,
                    session_id=session.session_id,
                    offset_ms=selectors.first_error_offset_ms(session, session_marks),
                ),
                link=(links or {}).get(session.pk),
                dots=_dots(session, session_marks),
            )
        )
    return rows


def linked_session_rows(
    *, organization: Organization, ticket: Ticket, base_url: str
) -> list[SessionRow]:
    links = list(selectors.ticket_session_links(organization=organization, ticket=ticket)[:500])
    return session_rows(
        organization=organization,
        sessions=[link.session for link in links],
        base_url=base_url,
        links={link.session_id: link for link in links},
    )


def trace_links_with_summaries(
    *, organization: Organization, ticket: Ticket
) -> tuple[list[TicketTraceLink], dict]:
    links = list(selectors.ticket_trace_links(organization=organization, ticket=ticket)[:500])
    summaries = traces_by_ids(organization=organization, trace_ids=[lk.trace_id for lk in links])
    for link in links:
        link.summary = summaries.get(link.trace_id)
    return links, summaries
