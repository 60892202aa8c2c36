"""Apply one verified webhook delivery: upsert the ticket, link the sessions and traces it
names (unknown ones are reported, not fatal: the recorder may not have sent them yet)."""

from django.db import transaction
from django.utils import timezone

from apps.core.errors import NotFound

from .. import services
from ..models import ChangeSource, HelpdeskIntegration, LinkHow
from .adapters import TicketEvent


@transaction.atomic
def deliver(*, integration: HelpdeskIntegration, event: TicketEvent) -> dict:
    organization = integration.organization
    now = timezone.now()
    occurred_at = min(event.occurred_at, now) if event.occurred_at else None
    ticket, created = services.ticket_upsert(
        organization=organization,
        source=event.source,
        external_id=event.external_id,
        integration=integration,
        change_source=ChangeSource.WEBHOOK,
        status_changed_at=occurred_at,
        **event.values,
    )
    reason = f"Named by the {integration.name} webhook."
    unknown_sessions, unknown_traces = [], []
    for session_id in event.session_ids:
        try:
            services.ticket_link_session(
                organization=organization,
                ticket=ticket,
                session_id=session_id,
                how=LinkHow.API,
                reason=reason,
            )
        except NotFound:
            unknown_sessions.append(session_id)
    for trace_id in event.trace_ids:
        try:
            services.ticket_link_trace(
                organization=organization,
                ticket=ticket,
                trace_id=trace_id,
                how=LinkHow.API,
                reason=reason,
            )
        except NotFound:
            unknown_traces.append(trace_id)
    HelpdeskIntegration.objects.filter(pk=integration.pk).update(last_delivery_at=now)
    return {
        "ticket_id": ticket.pk,
        "created": created,
        "status": ticket.status,
        "unknown_session_ids": unknown_sessions,
        "unknown_trace_ids": unknown_traces,
    }
