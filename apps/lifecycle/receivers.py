"""Reacting to other domains: a ticket link may rescue a dropped session (sampling rule 3)."""

import logging

logger = logging.getLogger(__name__)


def on_session_linked(sender=None, *, organization_id, session_pk, ticket_pk=None, **kwargs):
    from .tasks import rescue_session

    rescue_session.delay(organization_id, session_pk, ticket_pk)


def connect() -> bool:
    try:
        from apps.tickets.signals import session_linked
    except ImportError:
        logger.info("lifecycle: apps.tickets.signals.session_linked not available yet")
        return False
    session_linked.connect(on_session_linked, dispatch_uid="lifecycle.on_session_linked")
    return True
