"""Automatic linking: a ticket that names its reporter (user id or e-mail) is linked to that
identified user's sessions in the window before the ticket, when it is created and, through
the periodic sweep, as late sessions (or late ``identify()`` calls) arrive."""

from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Lower

from apps.orgs.models import Organization
from apps.replay.models import Session

from .. import selectors
from ..models import OPEN_STATUSES, LinkHow, Ticket, TicketSessionLink
from .links import create_links

MAX_LINKS_PER_TICKET = 200
MAX_SWEEP_SESSIONS = 5000
# How long after it started a session may still be indexed or identified (late batches are
# retried for hours at most); it bounds the sweep's scan.
LATE_ARRIVAL = timedelta(days=7)


def link_reason(ticket: Ticket, *, user_id: str) -> str:
    if ticket.reporter_user_id and user_id == ticket.reporter_user_id:
        who = f"user id {ticket.reporter_user_id!r}"
    else:
        who = f"e-mail {ticket.reporter_email}"
    return (
        f"The reporter ({who}) was identified in this session, active in the "
        f"{ticket.link_window_hours} h before the ticket."
    )


def ticket_autolink_sessions(
    *, organization: Organization, ticket: Ticket
) -> list[TicketSessionLink]:
    """Link the reporter's sessions in the ticket's window that are not linked yet."""
    if not ticket.has_reporter:
        return []
    already = TicketSessionLink.objects.filter(ticket=ticket, session=OuterRef("pk"))
    sessions = (
        selectors.reporter_sessions(organization=organization, ticket=ticket)
        .exclude(Exists(already))
        .only("pk", "user_id")[:MAX_LINKS_PER_TICKET]
    )
    return create_links(
        [
            TicketSessionLink(
                organization=organization,
                ticket=ticket,
                session_id=session.pk,
                how=LinkHow.AUTOMATIC,
                reason=link_reason(ticket, user_id=session.user_id),
            )
            for session in sessions
        ]
    )


def _recent_identified_sessions(organization: Organization, since: datetime) -> list[dict]:
    email = Lower(KeyTextTransform(selectors.EMAIL_TRAIT, "user_traits"))
    return list(
        Session.objects.filter(
            organization=organization, updated_at__gte=since, started_at__gte=since - LATE_ARRIVAL
        )
        .annotate(trait_email=email)
        .filter(~Q(user_id="") | (Q(trait_email__isnull=False) & ~Q(trait_email="")))
        .values("pk", "user_id", "trait_email", "started_at", "last_seen_at")[:MAX_SWEEP_SESSIONS]
    )


def autolink_recent_sessions(*, organization: Organization, since: datetime) -> int:
    """Link sessions indexed or identified since ``since`` to the open tickets of their user
    whose window covers them. Idempotent; returns the number of new links."""
    sessions = _recent_identified_sessions(organization, since)
    if not sessions:
        return 0
    user_ids = {s["user_id"] for s in sessions if s["user_id"]}
    emails = {s["trait_email"] for s in sessions if s["trait_email"]}
    tickets = list(
        Ticket.objects.filter(
            organization=organization,
            status__in=OPEN_STATUSES,
            created_at__gt=since - LATE_ARRIVAL,
        ).filter(Q(reporter_user_id__in=user_ids) | Q(reporter_email__in=emails))
    )
    if not tickets:
        return 0
    existing = set(
        TicketSessionLink.objects.filter(
            organization=organization,
            ticket__in=tickets,
            session_id__in=[s["pk"] for s in sessions],
        ).values_list("ticket_id", "session_id")
    )
    links = []
    for ticket in tickets:
        start, end = selectors.link_window(ticket=ticket)
        for session in sessions:
            matches = (
                ticket.reporter_user_id and session["user_id"] == ticket.reporter_user_id
            ) or (ticket.reporter_email and session["trait_email"] == ticket.reporter_email)
            covered = session["started_at"] < end and session["last_seen_at"] >= start
            if matches and covered and (ticket.pk, session["pk"]) not in existing:
                links.append(
                    TicketSessionLink(
                        organization=organization,
                        ticket=ticket,
                        session_id=session["pk"],
                        how=LinkHow.AUTOMATIC,
                        reason=link_reason(ticket, user_id=session["user_id"]),
                    )
                )
    return len(create_links(links))
