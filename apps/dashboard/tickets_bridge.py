"""Support tickets, when the tickets app provides them (``apps.tickets.selectors``).

The dashboard sits above tickets in the ladder; this module is the one place that reads them,
so pages render the same with or without the app's selectors installed.
"""

import importlib
from collections.abc import Iterable
from typing import Any

from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from apps.orgs.models import Organization

SESSION_TICKETS_TEMPLATE = "tickets/_session_tickets.html"


def _selectors():
    try:
        return importlib.import_module("apps.tickets.selectors")
    except ModuleNotFoundError as exc:
        if exc.name in ("apps.tickets.selectors", "apps.tickets"):
            return None
        raise


def available() -> bool:
    module = _selectors()
    return module is not None and hasattr(module, "linked_session_pks")


def linked(*, organization: Organization, session_pks: Iterable[int]) -> dict[int, Any]:
    """Session pk → what tickets say about it (a count, a list, or True), for linked sessions."""
    module = _selectors()
    if module is None or not hasattr(module, "linked_session_pks"):
        return {}
    result = module.linked_session_pks(organization=organization, session_pks=session_pks)
    if isinstance(result, dict):
        return {pk: value for pk, value in result.items() if value}
    return dict.fromkeys(result, True)


def linked_filter(*, organization: Organization):
    """An ``Exists`` expression over sessions: "linked to at least one ticket". A subquery,
    because the has-ticket filter runs over every session of the organization (100k+), where
    ``linked_session_pks`` (which takes a list of pks) does not fit."""
    if _selectors() is None:
        return None
    from django.db.models import Exists, OuterRef

    from apps.tickets.models import TicketSessionLink

    return Exists(
        TicketSessionLink.objects.filter(organization=organization, session_id=OuterRef("pk"))
    )


def session_tickets(*, organization: Organization, session) -> list:
    module = _selectors()
    if module is None or not hasattr(module, "session_tickets"):
        return []
    return list(module.session_tickets(organization=organization, session=session))


def session_partial() -> str | None:
    """The tickets app's panel for the session page, when it ships one."""
    try:
        get_template(SESSION_TICKETS_TEMPLATE)
    except TemplateDoesNotExist:
        return None
    return SESSION_TICKETS_TEMPLATE
