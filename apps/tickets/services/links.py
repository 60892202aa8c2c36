"""Linking tickets to sessions and traces. Another organization's session or trace is missing."""

import logging

from django.db import transaction
from django.db.models import Q

from apps.core.errors import DomainError, NotFound
from apps.orgs.models import Organization
from apps.replay.models import Session, SessionTrace
from apps.traces.models import Span
from apps.traces.selectors import normalize_trace_id

from ..models import LinkHow, Ticket, TicketSessionLink, TicketTraceLink
from ..signals import session_linked

logger = logging.getLogger(__name__)


def _scoped(organization: Organization, ticket: Ticket) -> None:
    if ticket.organization_id != organization.pk:
        raise NotFound("No such ticket.")


def _how(how: str) -> str:
    if how not in LinkHow.values:
        raise DomainError(f"Unknown link kind {how!r}.", code="invalid_how")
    return how


def _user(actor):
    return (
        actor if getattr(actor, "pk", None) and getattr(actor, "is_authenticated", False) else None
    )


def announce_links(pairs: list[tuple[int, int, int]]) -> None:
    """Send ``session_linked`` for (organization_id, session_pk, ticket_pk) once committed."""

    def send():
        for organization_id, session_pk, ticket_pk in pairs:
            results = session_linked.send_robust(
                sender=TicketSessionLink,
                organization_id=organization_id,
                session_pk=session_pk,
                ticket_pk=ticket_pk,
            )
            for receiver, result in results:
                if isinstance(result, Exception):
                    logger.error(
                        "session_linked receiver failed",
                        exc_info=result,
                        extra={"receiver": repr(receiver), "session_pk": session_pk},
                    )

    if pairs:
        transaction.on_commit(send)


def create_links(links: list[TicketSessionLink]) -> list[TicketSessionLink]:
    """Insert links (an existing (ticket, session) pair is left as it is) and announce them."""
    if not links:
        return []
    TicketSessionLink.objects.bulk_create(links, ignore_conflicts=True)
    announce_links([(link.organization_id, link.session_id, link.ticket_id) for link in links])
    return links


def session_lookup(*, organization: Organization, session_id: str) -> Session:
    session = Session.objects.filter(
        organization=organization, session_id=str(session_id or "")[:64]
    ).first()
    if session is None:
        raise NotFound("No such session.")
    return session


@transaction.atomic
def ticket_link_session(
    *,
    organization: Organization,
    ticket: Ticket,
    session: Session | None = None,
    session_id: str | None = None,
    linked_by=None,
    how: str = LinkHow.MANUAL,
    reason: str = "",
) -> tuple[TicketSessionLink, bool]:
    """Link a session (given as a row or by its session id) to the ticket; linking twice is
    harmless. Returns (link, created)."""
    _scoped(organization, ticket)
    if session is None:
        session = session_lookup(organization=organization, session_id=session_id)
    elif session.organization_id != organization.pk:
        raise NotFound("No such session.")
    link, created = TicketSessionLink.objects.get_or_create(
        ticket=ticket,
        session=session,
        defaults={
            "organization": organization,
            "linked_by": _user(linked_by),
            "how": _how(how),
            "reason": (reason or "").replace("\x00", "")[:2000],
        },
    )
    if created:
        announce_links([(organization.pk, session.pk, ticket.pk)])
    return link, created


def ticket_unlink_session(*, organization: Organization, ticket: Ticket, session_id: str) -> None:
    _scoped(organization, ticket)
    deleted, _ = TicketSessionLink.objects.filter(
        organization=organization, ticket=ticket, session__session_id=str(session_id or "")
    ).delete()
    if not deleted:
        raise NotFound("This session is not linked to the ticket.")


def trace_exists(*, organization: Organization, trace_id: str) -> bool:
    return (
        Span.objects.filter(organization=organization, trace_id=trace_id).exists()
        or SessionTrace.objects.filter(organization=organization, trace_id=trace_id).exists()
    )


@transaction.atomic
def ticket_link_trace(
    *,
    organization: Organization,
    ticket: Ticket,
    trace_id: str,
    linked_by=None,
    how: str = LinkHow.MANUAL,
    reason: str = "",
) -> tuple[TicketTraceLink, bool]:
    """Link a trace this organization has seen (backend spans, or a session's request)."""
    _scoped(organization, ticket)
    normalized = normalize_trace_id(trace_id)
    if normalized is None:
        raise DomainError("A trace id is 32 hexadecimal characters.", code="invalid_trace_id")
    if not trace_exists(organization=organization, trace_id=normalized):
        raise NotFound("No such trace.")
    return TicketTraceLink.objects.get_or_create(
        ticket=ticket,
        trace_id=normalized,
        defaults={
            "organization": organization,
            "linked_by": _user(linked_by),
            "how": _how(how),
            "reason": (reason or "").replace("\x00", "")[:2000],
        },
    )


def ticket_unlink_trace(*, organization: Organization, ticket: Ticket, trace_id: str) -> None:
    _scoped(organization, ticket)
    normalized = normalize_trace_id(trace_id) or "-"
    deleted, _ = TicketTraceLink.objects.filter(
        Q(trace_id=normalized), organization=organization, ticket=ticket
    ).delete()
    if not deleted:
        raise NotFound("This trace is not linked to the ticket.")
