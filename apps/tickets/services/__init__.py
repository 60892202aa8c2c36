"""Writes of the tickets domain (keyword-only, organization first)."""

from .autolink import autolink_recent_sessions, ticket_autolink_sessions
from .compose import session_link_to_ticket, ticket_create_linked, ticket_upsert_linked
from .integrations import (
    integration_create,
    integration_delete,
    integration_rotate_secret,
    integration_set_secret,
    integration_update,
    ticket_settings_update,
)
from .links import (
    ticket_link_session,
    ticket_link_trace,
    ticket_unlink_session,
    ticket_unlink_trace,
)
from .tickets import (
    ticket_close,
    ticket_create,
    ticket_reopen,
    ticket_update,
    ticket_upsert,
)

__all__ = [
    "autolink_recent_sessions",
    "integration_create",
    "integration_delete",
    "integration_rotate_secret",
    "integration_set_secret",
    "integration_update",
    "session_link_to_ticket",
    "ticket_autolink_sessions",
    "ticket_close",
    "ticket_create",
    "ticket_create_linked",
    "ticket_link_session",
    "ticket_link_trace",
    "ticket_reopen",
    "ticket_settings_update",
    "ticket_unlink_session",
    "ticket_unlink_trace",
    "ticket_update",
    "ticket_upsert",
    "ticket_upsert_linked",
]
