"""Reacting to other domains: a ticket link may rescue a dropped session (sampling rule 3)."""

from apps.tickets.signals import session_linked


def on_session_linked(sender=None, *, organization_id, session_pk, ticket_pk=None, **kwargs):
    from .tasks import rescue_session

    rescue_session.delay(organization_id, session_pk, ticket_pk)


def connect() -> None:
    session_linked.connect(on_session_linked, dispatch_uid="lifecycle.on_session_linked")
