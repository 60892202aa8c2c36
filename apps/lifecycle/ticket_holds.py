"""What the tickets domain says about sessions: linked or not, and whether a ticket holds them.

Lifecycle sits above tickets in the ladder, so it reads ``apps.tickets.selectors`` directly.
While the tickets app has neither those selectors nor any model, no session can be linked
and the answers are "no links". If it has models but no selectors (a half-deployed upgrade),
``TicketsUnavailable`` is raised: retention must not guess whether a ticket is open.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps as django_apps

from apps.orgs.models import Organization

logger = logging.getLogger(__name__)
_warned = False


@dataclass(frozen=True)
class Hold:
    has_open_ticket: bool
    last_closed_at: datetime | None


def _selectors():
    global _warned
    try:
        from apps.tickets import selectors
    except ImportError:
        selectors = None
    if selectors is None or not hasattr(selectors, "ticket_holds"):
        if not _warned:
            logger.warning("lifecycle: apps.tickets.selectors is not available yet")
            _warned = True
        return None
    return selectors


class TicketsUnavailable(RuntimeError):
    pass


def _no_tickets_possible() -> bool:
    try:
        config = django_apps.get_app_config("tickets")
    except LookupError:
        return True
    return not list(config.get_models())


def _require():
    selectors = _selectors()
    if selectors is None and not _no_tickets_possible():
        raise TicketsUnavailable("apps.tickets has models but no ticket_holds selector")
    return selectors


def linked_session_pks(*, organization: Organization, session_pks: Iterable[int]) -> set[int]:
    pks = list(session_pks)
    selectors = _require()
    if selectors is None or not pks:
        return set()
    return set(selectors.linked_session_pks(organization=organization, session_pks=pks))


def ticket_holds(*, organization: Organization, session_pks: Iterable[int]) -> dict[int, Hold]:
    """Session pk → Hold, for the sessions linked to at least one ticket."""
    pks = list(session_pks)
    selectors = _require()
    if selectors is None or not pks:
        return {}
    holds = selectors.ticket_holds(organization=organization, session_pks=pks)
    return {
        int(pk): Hold(bool(hold.has_open_ticket), hold.last_closed_at) for pk, hold in holds.items()
    }
