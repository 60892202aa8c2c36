"""Creating and changing tickets: create, update, close, reopen and the helpdesks' upsert."""

from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.errors import DomainError, NotFound
from apps.orgs.models import Organization

from .. import selectors
from ..models import (
    CLOSED_STATUSES,
    ChangeSource,
    HelpdeskIntegration,
    Ticket,
    TicketStatus,
    TicketStatusChange,
)
from . import fields
from .autolink import ticket_autolink_sessions

# Fields a caller may set, with their normalizers.
_EDITABLE = {
    "subject": lambda v: fields.text(v, 500),
    "url": fields.url,
    "status": fields.status,
    "reporter_user_id": lambda v: fields.text(v, 255),
    "reporter_email": fields.email,
    "created_at": lambda v: v,
    "link_window_hours": fields.window_hours,
}
# Changing any of these moves the automatic-linking window or whom it looks for.
_RELINK_FIELDS = {"reporter_user_id", "reporter_email", "created_at", "link_window_hours"}


def _scoped(organization: Organization, ticket: Ticket) -> None:
    if ticket.organization_id != organization.pk:
        raise NotFound("No such ticket.")


def _clean(changes: dict) -> dict:
    unknown = set(changes) - set(_EDITABLE)
    if unknown:
        raise DomainError(f"Unknown ticket fields: {', '.join(sorted(unknown))}.", code="invalid")
    cleaned = {name: _EDITABLE[name](value) for name, value in changes.items() if value is not None}
    created_at = cleaned.get("created_at")
    if created_at is not None and not isinstance(created_at, datetime):
        raise DomainError("created_at must be a date and time.", code="invalid_created_at")
    if created_at is not None and timezone.is_naive(created_at):
        cleaned["created_at"] = timezone.make_aware(created_at, UTC)
    return cleaned


def _record_status(
    ticket: Ticket, *, old: str, source: str, actor, at: datetime | None = None
) -> None:
    """Keep closed_at in step with the status and write the history row (ticket not saved)."""
    now = at or timezone.now()
    if ticket.status in CLOSED_STATUSES:
        # solved → closed keeps the first close: the problem was over then.
        if old not in CLOSED_STATUSES or ticket.closed_at is None:
            ticket.closed_at = now
    else:
        ticket.closed_at = None
    TicketStatusChange.objects.create(
        organization_id=ticket.organization_id,
        ticket=ticket,
        from_status=old,
        to_status=ticket.status,
        changed_at=now,
        source=source,
        changed_by=_user(actor),
    )


def _user(actor):
    return (
        actor if getattr(actor, "pk", None) and getattr(actor, "is_authenticated", False) else None
    )


def ticket_create(
    *,
    organization: Organization,
    source: str,
    external_id: str,
    subject: str = "",
    url: str = "",
    status: str = TicketStatus.OPEN,
    reporter_user_id: str = "",
    reporter_email: str = "",
    created_at: datetime | None = None,
    link_window_hours: int | None = None,
    integration: HelpdeskIntegration | None = None,
    actor=None,
    change_source: str = ChangeSource.API,
) -> Ticket:
    """Create a ticket (409 if its source and external id exist) and link the reporter's
    sessions in the window before it."""
    if link_window_hours is None:
        link_window_hours = (
            integration.link_window_hours
            if integration is not None
            else selectors.default_link_window_hours(organization=organization)
        )
    values = _clean(
        {
            "subject": subject,
            "url": url,
            "status": status,
            "reporter_user_id": reporter_user_id,
            "reporter_email": reporter_email,
            "created_at": created_at or timezone.now(),
            "link_window_hours": link_window_hours,
        }
    )
    ticket = Ticket(
        organization=organization,
        source=fields.source(source),
        external_id=fields.external_id(external_id),
        integration=integration,
        **values,
    )
    try:
        with transaction.atomic():
            ticket.save()
            _record_status(ticket, old="", source=change_source, actor=actor)
            if ticket.closed_at is not None:
                ticket.save(update_fields=["closed_at"])
            ticket_autolink_sessions(organization=organization, ticket=ticket)
    except IntegrityError:
        raise DomainError(
            f"A {ticket.source} ticket with external id {ticket.external_id!r} exists; "
            "update it, or use upsert.",
            code="ticket_exists",
            status=409,
        ) from None
    return ticket


@transaction.atomic
def ticket_update(
    *,
    organization: Organization,
    ticket: Ticket,
    actor=None,
    change_source: str = ChangeSource.API,
    status_changed_at: datetime | None = None,
    **changes,
) -> Ticket:
    """Change the given fields (None leaves a field alone). A status change writes history
    and sets or clears closed_at; reporter or window changes link newly matching sessions."""
    _scoped(organization, ticket)
    cleaned = _clean(changes)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk, organization=organization)
    changed = {name for name, value in cleaned.items() if getattr(ticket, name) != value}
    if not changed:
        return ticket
    old_status = ticket.status
    for name in changed:
        setattr(ticket, name, cleaned[name])
    if "status" in changed:
        _record_status(
            ticket, old=old_status, source=change_source, actor=actor, at=status_changed_at
        )
    ticket.save()
    if changed & _RELINK_FIELDS:
        ticket_autolink_sessions(organization=organization, ticket=ticket)
    return ticket


def ticket_close(
    *,
    organization: Organization,
    ticket: Ticket,
    status: str = TicketStatus.CLOSED,
    actor=None,
    change_source: str = ChangeSource.API,
) -> Ticket:
    if fields.status(status) not in CLOSED_STATUSES:
        raise DomainError("A ticket closes as solved or closed.", code="invalid_status")
    return ticket_update(
        organization=organization,
        ticket=ticket,
        status=status,
        actor=actor,
        change_source=change_source,
    )


def ticket_reopen(
    *,
    organization: Organization,
    ticket: Ticket,
    actor=None,
    change_source: str = ChangeSource.API,
) -> Ticket:
    return ticket_update(
        organization=organization,
        ticket=ticket,
        status=TicketStatus.OPEN,
        actor=actor,
        change_source=change_source,
    )


def ticket_upsert(
    *,
    organization: Organization,
    source: str,
    external_id: str,
    integration: HelpdeskIntegration | None = None,
    actor=None,
    change_source: str = ChangeSource.API,
    status_changed_at: datetime | None = None,
    **values,
) -> tuple[Ticket, bool]:
    """Create the ticket with this (source, external id), or update the given fields of the
    existing one. Sending the same values again changes nothing. Returns (ticket, created)."""
    source, external_id = fields.source(source), fields.external_id(external_id)
    for _attempt in range(2):
        existing = selectors.ticket_by_external_id(
            organization=organization, source=source, external_id=external_id
        )
        if existing is not None:
            ticket = ticket_update(
                organization=organization,
                ticket=existing,
                actor=actor,
                change_source=change_source,
                status_changed_at=status_changed_at,
                **values,
            )
            return ticket, False
        try:
            ticket = ticket_create(
                organization=organization,
                source=source,
                external_id=external_id,
                integration=integration,
                actor=actor,
                change_source=change_source,
                **{name: value for name, value in values.items() if value is not None},
            )
            return ticket, True
        except DomainError as exc:
            if exc.code != "ticket_exists":  # lost a race with a concurrent delivery: update
                raise
    raise DomainError("The ticket changed concurrently; try again.", code="conflict", status=409)
