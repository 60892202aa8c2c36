"""Writes that create or find a ticket and link sessions and traces to it, as one transaction:
the API's create and upsert with ``session_ids``/``trace_ids``, and the session page's "link to
ticket" form (a ticket by id, or a helpdesk ticket number created when new)."""

from collections.abc import Iterable

from django.db import transaction

from apps.core.errors import DomainError
from apps.orgs.models import Organization
from apps.replay.models import Session

from .. import selectors
from ..models import ChangeSource, LinkHow, Ticket, TicketSessionLink, TicketSource
from .links import ticket_link_session, ticket_link_trace
from .tickets import ticket_create, ticket_upsert


def _link_all(
    *,
    organization: Organization,
    ticket: Ticket,
    session_ids: Iterable[str],
    trace_ids: Iterable[str],
    actor,
    how: str,
) -> None:
    for session_id in session_ids:
        ticket_link_session(
            organization=organization,
            ticket=ticket,
            session_id=session_id,
            linked_by=actor,
            how=how,
        )
    for trace_id in trace_ids:
        ticket_link_trace(
            organization=organization, ticket=ticket, trace_id=trace_id, linked_by=actor, how=how
        )


def ticket_create_linked(
    *,
    organization: Organization,
    session_ids: Iterable[str] = (),
    trace_ids: Iterable[str] = (),
    actor=None,
    how: str = LinkHow.API,
    **fields,
) -> Ticket:
    """``ticket_create`` and link the given sessions and traces; nothing is stored when any of
    them is refused (another organization's session is missing, like an unknown one)."""
    with transaction.atomic():
        ticket = ticket_create(organization=organization, actor=actor, **fields)
        _link_all(
            organization=organization,
            ticket=ticket,
            session_ids=session_ids,
            trace_ids=trace_ids,
            actor=actor,
            how=how,
        )
    return ticket


def ticket_upsert_linked(
    *,
    organization: Organization,
    session_ids: Iterable[str] = (),
    trace_ids: Iterable[str] = (),
    actor=None,
    how: str = LinkHow.API,
    **fields,
) -> tuple[Ticket, bool]:
    """``ticket_upsert`` and link the given sessions and traces, all or nothing."""
    with transaction.atomic():
        ticket, created = ticket_upsert(organization=organization, actor=actor, **fields)
        _link_all(
            organization=organization,
            ticket=ticket,
            session_ids=session_ids,
            trace_ids=trace_ids,
            actor=actor,
            how=how,
        )
    return ticket, created


def session_link_to_ticket(
    *,
    organization: Organization,
    session: Session,
    ticket_id: str = "",
    external_id: str = "",
    source: str = "",
    reason: str = "",
    actor=None,
) -> tuple[Ticket, TicketSessionLink, bool]:
    """Link the session to a ticket: the ticket with ``ticket_id``, else the helpdesk ticket
    numbered ``external_id`` (of ``source``; without a source, the one ticket with that number
    whatever its source), created when new. Returns (ticket, link, created)."""
    ticket_id, external_id = (ticket_id or "").strip(), (external_id or "").strip()
    with transaction.atomic():
        if ticket_id:
            ticket = selectors.ticket_get(organization=organization, ticket_id=ticket_id)
        elif not external_id:
            raise DomainError("Pick a ticket or enter a ticket number.", code="ticket_required")
        else:
            ticket = _by_number(organization, external_id, source, actor)
        link, created = ticket_link_session(
            organization=organization,
            ticket=ticket,
            session=session,
            linked_by=actor,
            how=LinkHow.MANUAL,
            reason=(reason or "").strip(),
        )
    return ticket, link, created


def _by_number(organization: Organization, external_id: str, source: str, actor) -> Ticket:
    if not source:
        # A bare number means the helpdesk ticket with that number, whichever its source.
        known = list(
            selectors.tickets_list(organization=organization).filter(external_id=external_id)[:2]
        )
        if len(known) == 1:
            return known[0]
    ticket, _created = ticket_upsert(
        organization=organization,
        source=source or TicketSource.GENERIC,
        external_id=external_id,
        actor=actor,
        change_source=ChangeSource.DASHBOARD,
    )
    return ticket
