"""What the API and the dashboard show about sessions in a list (the sessions page, a ticket's
linked and other sessions) and about linked traces, built in a few queries: replay links at the
first error, ticket counts, and positions for the small timeline bars. The one ``SessionRow``."""

from dataclasses import dataclass, field

from apps.orgs.models import Organization
from apps.replay.models import MarkKind, Session, TimelineMark
from apps.replay.positions import active_percent, offset_percent
from apps.traces.selectors import traces_by_ids

from . import selectors
from .models import Ticket, TicketSessionLink, TicketTraceLink
from .replay_links import replay_url

# The dot's colour on a timeline bar.
TONES = {
    MarkKind.ERROR: "err",
    MarkKind.CONSOLE_ERROR: "err",
    MarkKind.FAILED_REQUEST: "err",
    MarkKind.NAVIGATION: "nav",
    MarkKind.RAGE_CLICK: "click",
    MarkKind.DEAD_CLICK: "click",
}


@dataclass
class TimelineDot:
    left_pct: float
    kind: str
    label: str
    is_error: bool
    tone: str


@dataclass
class SessionRow:
    session: Session
    replay_url: str
    link: TicketSessionLink | None = None
    dots: list[TimelineDot] = field(default_factory=list)
    ticket_count: int = 0

    @property
    def ticket_label(self) -> str:
        if not self.ticket_count:
            return ""
        return f"{self.ticket_count} ticket{'s' if self.ticket_count != 1 else ''}"

    @property
    def active_percent(self) -> int:
        return active_percent(session=self.session)


def _dots(session: Session, marks: list[TimelineMark]) -> list[TimelineDot]:
    return [
        TimelineDot(
            left_pct=offset_percent(session=session, ts_ms=mark.ts_ms),
            kind=mark.kind,
            label=mark.label[:120],
            is_error=mark.kind in selectors.ERROR_MARKS,
            tone=TONES.get(mark.kind, ""),
        )
        for mark in marks
    ]


def session_rows(
    *,
    organization: Organization,
    sessions: list[Session],
    base_url: str,
    links: dict[int, TicketSessionLink] | None = None,
    ticket_counts: bool = False,
) -> list[SessionRow]:
    """One row per session (in the given order): its replay link at the first error, its
    timeline dots, and (``ticket_counts``) how many tickets it is linked to."""
    sessions = list(sessions)
    marks = selectors.session_marks(organization=organization, sessions=sessions)
    counts = (
        selectors.ticket_counts(organization=organization, session_pks=[s.pk for s in sessions])
        if ticket_counts
        else {}
    )
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
                ticket_count=counts.get(session.pk, 0),
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
