"""Reads of the tickets domain. Every function takes the organization and scopes by it."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Lower

from apps.core.errors import NotFound
from apps.orgs.models import Organization
from apps.replay.models import MarkKind, Session, TimelineMark

from .models import (
    CLOSED_STATUSES,
    DEFAULT_LINK_WINDOW_HOURS,
    OPEN_STATUSES,
    HelpdeskIntegration,
    Ticket,
    TicketSessionLink,
    TicketSettings,
    TicketStatusChange,
    TicketTraceLink,
)

EMAIL_TRAIT = "email"


@dataclass(frozen=True)
class TicketHold:
    """What retention needs to know about one session's tickets."""

    has_open_ticket: bool  # linked to a ticket that is open or pending
    last_closed_at: datetime | None  # latest closed_at among its solved/closed tickets


# Interfaces for sampling and retention (apps.lifecycle) ------------------------------------


def linked_session_pks(*, organization: Organization, session_pks: Iterable[int]) -> set[int]:
    """The given sessions that are linked to any ticket."""
    pks = list(session_pks)
    if not pks:
        return set()
    return set(
        TicketSessionLink.objects.filter(organization=organization, session_id__in=pks)
        .values_list("session_id", flat=True)
        .distinct()
    )


def ticket_counts(*, organization: Organization, session_pks: Iterable[int]) -> dict[int, int]:
    """Session pk → how many tickets it is linked to (sessions without tickets are absent)."""
    pks = list(session_pks)
    if not pks:
        return {}
    return dict(
        TicketSessionLink.objects.filter(organization=organization, session_id__in=pks)
        .order_by()
        .values("session_id")
        .annotate(count=Count("ticket_id", distinct=True))
        .values_list("session_id", "count")
    )


def sessions_with_ticket(
    sessions: QuerySet[Session], *, organization: Organization, has_ticket: bool | None
) -> QuerySet[Session]:
    """``sessions`` linked (True) or not linked (False) to a ticket; None leaves them as they
    are. A subquery, because it runs over every session of the organization (100k+)."""
    if has_ticket is None:
        return sessions
    linked = Exists(
        TicketSessionLink.objects.filter(organization=organization, session_id=OuterRef("pk"))
    )
    return sessions.filter(linked) if has_ticket else sessions.exclude(linked)


def ticket_holds(
    *, organization: Organization, session_pks: Iterable[int]
) -> dict[int, TicketHold]:
    """For each given session linked to a ticket: is any of its tickets open, and when was the
    last of its closed tickets closed. Sessions without tickets are absent."""
    pks = list(session_pks)
    if not pks:
        return {}
    rows = TicketSessionLink.objects.filter(
        organization=organization, session_id__in=pks, ticket__organization=organization
    ).values_list("session_id", "ticket__status", "ticket__closed_at")
    open_by_session: dict[int, bool] = {}
    closed_by_session: dict[int, datetime | None] = {}
    for session_pk, status, closed_at in rows:
        open_by_session[session_pk] = open_by_session.get(session_pk, False) or (
            status in OPEN_STATUSES
        )
        last = closed_by_session.get(session_pk)
        if status in CLOSED_STATUSES and closed_at and (last is None or closed_at > last):
            last = closed_at
        closed_by_session[session_pk] = last
    return {
        pk: TicketHold(has_open_ticket=open_by_session[pk], last_closed_at=closed_by_session[pk])
        for pk in open_by_session
    }


# Tickets ------------------------------------------------------------------------------------


def tickets_list(
    *,
    organization: Organization,
    status: str | None = None,
    source: str | None = None,
    reporter: str | None = None,
    q: str | None = None,
    session_id: str | None = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
    is_open: bool | None = None,
) -> QuerySet[Ticket]:
    tickets = Ticket.objects.filter(organization=organization)
    if status:
        tickets = tickets.filter(status=status)
    if is_open is True:
        tickets = tickets.filter(status__in=OPEN_STATUSES)
    elif is_open is False:
        tickets = tickets.filter(status__in=CLOSED_STATUSES)
    if source:
        tickets = tickets.filter(source=source)
    if reporter:
        tickets = tickets.filter(Q(reporter_user_id=reporter) | Q(reporter_email__iexact=reporter))
    if q:
        tickets = tickets.filter(Q(subject__icontains=q) | Q(external_id__iexact=q))
    if session_id:
        tickets = tickets.filter(
            Exists(
                TicketSessionLink.objects.filter(
                    organization=organization,
                    ticket=OuterRef("pk"),
                    session__session_id=session_id,
                )
            )
        )
    if created_after is not None:
        tickets = tickets.filter(created_at__gte=created_after)
    if created_before is not None:
        tickets = tickets.filter(created_at__lt=created_before)
    return tickets.order_by("-created_at", "-id")


def with_link_counts(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    return tickets.annotate(
        session_count=Count("session_links", distinct=True),
        trace_count=Count("trace_links", distinct=True),
    )


def ticket_get(*, organization: Organization, ticket_id) -> Ticket:
    """The organization's ticket; NotFound for another organization's or a missing one."""
    try:
        return Ticket.objects.get(pk=int(ticket_id), organization=organization)
    except (Ticket.DoesNotExist, TypeError, ValueError):
        raise NotFound("No such ticket.") from None


def ticket_by_external_id(
    *, organization: Organization, source: str, external_id: str
) -> Ticket | None:
    return Ticket.objects.filter(
        organization=organization, source=source, external_id=external_id
    ).first()


def ticket_status_history(
    *, organization: Organization, ticket: Ticket
) -> QuerySet[TicketStatusChange]:
    return TicketStatusChange.objects.filter(organization=organization, ticket=ticket).order_by(
        "changed_at", "id"
    )


# Links --------------------------------------------------------------------------------------


def ticket_session_links(
    *, organization: Organization, ticket: Ticket
) -> QuerySet[TicketSessionLink]:
    return (
        TicketSessionLink.objects.filter(organization=organization, ticket=ticket)
        .select_related("session", "linked_by")
        .order_by("-session__started_at", "-id")
    )


def ticket_trace_links(*, organization: Organization, ticket: Ticket) -> QuerySet[TicketTraceLink]:
    return (
        TicketTraceLink.objects.filter(organization=organization, ticket=ticket)
        .select_related("linked_by")
        .order_by("-linked_at", "-id")
    )


def session_ticket_links(
    *, organization: Organization, session: Session
) -> QuerySet[TicketSessionLink]:
    return (
        TicketSessionLink.objects.filter(organization=organization, session=session)
        .select_related("ticket", "linked_by")
        .order_by("-ticket__created_at", "-id")
    )


def session_tickets(*, organization: Organization, session: Session) -> list[Ticket]:
    """The session's tickets, newest first, each with ``link`` (its TicketSessionLink): what
    the session page shows (``templates/tickets/_session_tickets.html``)."""
    tickets = []
    for link in session_ticket_links(organization=organization, session=session):
        ticket = link.ticket
        ticket.link = link
        tickets.append(ticket)
    return tickets


# Sessions of a reporter ---------------------------------------------------------------------


def sessions_of_identity(
    *, organization: Organization, user_id: str = "", email: str = ""
) -> QuerySet[Session]:
    """Sessions identified as this user: ``Session.user_id`` equal to the user id, or an
    ``email`` trait equal (case-insensitively) to the e-mail. None when both are empty."""
    condition = Q()
    if user_id:
        condition |= Q(user_id=user_id)
    if email:
        condition |= Q(_trait_email=email.strip().lower())
    if not condition:
        return Session.objects.none()
    return (
        Session.objects.filter(organization=organization)
        .alias(_trait_email=Lower(KeyTextTransform(EMAIL_TRAIT, "user_traits")))
        .filter(condition)
    )


def link_window(*, ticket: Ticket, hours: int | None = None) -> tuple[datetime, datetime]:
    """[start, end) of the window before the ticket in which the reporter's sessions count."""
    hours = ticket.link_window_hours if hours is None else hours
    return ticket.created_at - timedelta(hours=hours), ticket.created_at


def in_window(sessions: QuerySet[Session], *, start: datetime, end: datetime):
    # A session counts when any part of it falls in the window: it started before the ticket
    # and was still seen after the window opened.
    return sessions.filter(started_at__lt=end, last_seen_at__gte=start)


def reporter_sessions(
    *, organization: Organization, ticket: Ticket, hours: int | None = None
) -> QuerySet[Session]:
    """The reporter's sessions in the window before the ticket (``hours``, default the
    ticket's own window), newest first."""
    if ticket.organization_id != organization.pk:
        raise NotFound("No such ticket.")
    start, end = link_window(ticket=ticket, hours=hours)
    sessions = sessions_of_identity(
        organization=organization, user_id=ticket.reporter_user_id, email=ticket.reporter_email
    )
    return in_window(sessions, start=start, end=end).order_by("-started_at", "-id")


def reporter_other_sessions(
    *, organization: Organization, ticket: Ticket, limit: int = 20
) -> list[Session]:
    """The reporter's recent sessions not linked to this ticket (any time), newest first."""
    linked = TicketSessionLink.objects.filter(
        organization=organization, ticket=ticket, session=OuterRef("pk")
    )
    sessions = sessions_of_identity(
        organization=organization, user_id=ticket.reporter_user_id, email=ticket.reporter_email
    )
    return list(sessions.exclude(Exists(linked)).order_by("-started_at", "-id")[:limit])


# Integrations and settings ------------------------------------------------------------------


def integrations_list(*, organization: Organization) -> QuerySet[HelpdeskIntegration]:
    return HelpdeskIntegration.objects.filter(organization=organization).order_by("name", "id")


def integration_get(*, organization: Organization, integration_id) -> HelpdeskIntegration:
    try:
        return HelpdeskIntegration.objects.get(pk=int(integration_id), organization=organization)
    except (HelpdeskIntegration.DoesNotExist, TypeError, ValueError):
        raise NotFound("No such integration.") from None


def integration_by_public_id(*, public_id: str) -> HelpdeskIntegration | None:
    """The enabled integration behind a webhook URL (the only unscoped lookup: the public id
    is what identifies the organization)."""
    return (
        HelpdeskIntegration.objects.select_related("organization")
        .filter(public_id=public_id, disabled_at__isnull=True)
        .first()
    )


def default_link_window_hours(*, organization: Organization) -> int:
    settings_row = TicketSettings.objects.filter(organization=organization).first()
    return settings_row.link_window_hours if settings_row else DEFAULT_LINK_WINDOW_HOURS


# Timelines of linked sessions ---------------------------------------------------------------

ERROR_MARKS = (MarkKind.ERROR, MarkKind.CONSOLE_ERROR, MarkKind.FAILED_REQUEST)
TIMELINE_MARKS = (*ERROR_MARKS, MarkKind.NAVIGATION, MarkKind.RAGE_CLICK, MarkKind.DEAD_CLICK)


def session_marks(
    *, organization: Organization, sessions: Iterable[Session], per_session: int = 60
) -> dict[int, list[TimelineMark]]:
    """Notable moments of the given sessions (errors, navigations, rage and dead clicks), for
    the small timeline bars; at most ``per_session`` each, errors first."""
    by_pk = {session.pk: session for session in sessions}
    marks: dict[int, list[TimelineMark]] = {pk: [] for pk in by_pk}
    if not by_pk:
        return marks
    rows = TimelineMark.objects.filter(
        organization=organization, session_id__in=list(by_pk), kind__in=TIMELINE_MARKS
    ).order_by("session_id", "ts_ms", "id")[: per_session * len(by_pk) * 4]
    for mark in rows:
        bucket = marks[mark.session_id]
        if len(bucket) < per_session or mark.kind in ERROR_MARKS:
            bucket.append(mark)
    return marks


def first_error_offset_ms(session: Session, marks: list[TimelineMark]) -> int:
    """Where a replay link should start: a little before the first error, else the start."""
    for mark in marks:
        if mark.kind in ERROR_MARKS:
            return max(mark.ts_ms - session.start_ms - 2000, 0)
    return 0
