"""Payload shapes → one ``TicketEvent``. Each adapter reads only what it needs, checks types,
and raises ``MalformedPayload`` (400) with a reason; nothing here writes.

* generic: Qorrelate's documented format (docs/tickets.md).
* zendesk: Zendesk ticket event webhooks (``{"type": "zen:event-type:ticket.…", "detail":
  {…}, "event": {…}}``) and trigger/automation webhooks with the JSON body from the docs
  (``{"ticket": {"id": "{{ticket.id}}", …}}``).
* jira: Jira issue webhooks (``{"timestamp", "webhookEvent": "jira:issue_updated", "issue":
  {"key", "self", "fields": {"summary", "status", "reporter", "created"}}}``).
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.utils.dateparse import parse_datetime

from apps.core.errors import DomainError

from ..models import IntegrationKind, TicketSource, TicketStatus

MAX_LINKS = 50


class MalformedPayload(DomainError):
    code = "malformed_payload"
    status = 400


@dataclass
class TicketEvent:
    source: str
    external_id: str
    values: dict = field(default_factory=dict)  # subject, url, status, reporter_…, created_at
    session_ids: list[str] = field(default_factory=list)
    trace_ids: list[str] = field(default_factory=list)
    occurred_at: datetime | None = None


def _object(value, where: str) -> dict:
    if not isinstance(value, dict):
        raise MalformedPayload(f"{where} must be a JSON object.")
    return value


def _optional_object(value, where: str) -> dict:
    return {} if value is None else _object(value, where)


def _text(value, where: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise MalformedPayload(f"{where} must be a string.")
    return str(value).strip()


def _required_id(value, where: str) -> str:
    text = _text(value, where)
    if not text:
        raise MalformedPayload(f"{where} is required.")
    return text


def _time(value, where: str) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000 if value > 10**11 else value, tz=UTC)
    parsed = None
    if isinstance(value, str):
        try:
            parsed = parse_datetime(value.strip())
        except ValueError:
            parsed = None
    if parsed is None:
        raise MalformedPayload(f"{where} must be an ISO 8601 date and time.")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _id_list(value, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_LINKS:
        raise MalformedPayload(f"{where} must be a list of at most {MAX_LINKS} ids.")
    return [_required_id(item, where) for item in value]


def _set(values: dict, name: str, value) -> None:
    if value is not None:
        values[name] = value


def _url(value) -> str | None:
    # Helpdesk placeholders sometimes render without a scheme.
    if not value:
        return None
    return value if "://" in value else f"https://{value}"


# Generic --------------------------------------------------------------------------------------


def parse_generic(payload: dict) -> TicketEvent:
    ticket = _object(payload.get("ticket"), "ticket")
    reporter = _optional_object(ticket.get("reporter"), "ticket.reporter")
    source = (_text(ticket.get("source"), "ticket.source") or TicketSource.GENERIC).lower()
    if source not in TicketSource.values:
        raise MalformedPayload(f"ticket.source must be one of {', '.join(TicketSource.values)}.")
    values: dict = {}
    for name in ("subject", "url", "status"):
        _set(values, name, _text(ticket.get(name), f"ticket.{name}"))
    _set(values, "reporter_user_id", _text(reporter.get("user_id"), "ticket.reporter.user_id"))
    _set(values, "reporter_email", _text(reporter.get("email"), "ticket.reporter.email"))
    _set(values, "created_at", _time(ticket.get("created_at"), "ticket.created_at"))
    if "status" in values:
        values["status"] = values["status"].lower()
    return TicketEvent(
        source=source,
        external_id=_required_id(ticket.get("external_id"), "ticket.external_id"),
        values=values,
        session_ids=_id_list(ticket.get("session_ids"), "ticket.session_ids"),
        trace_ids=_id_list(ticket.get("trace_ids"), "ticket.trace_ids"),
        occurred_at=_time(payload.get("occurred_at"), "occurred_at"),
    )


# Zendesk --------------------------------------------------------------------------------------

ZENDESK_STATUS = {
    "new": TicketStatus.OPEN,
    "open": TicketStatus.OPEN,
    "pending": TicketStatus.PENDING,
    "hold": TicketStatus.PENDING,
    "on-hold": TicketStatus.PENDING,
    "on_hold": TicketStatus.PENDING,
    "solved": TicketStatus.SOLVED,
    "closed": TicketStatus.CLOSED,
    "deleted": TicketStatus.CLOSED,
}
ZENDESK_GONE = ("ticket.soft_deleted", "ticket.permanently_deleted", "ticket.marked_as_spam")


def _zendesk_status(value, where: str) -> str | None:
    text = _text(value, where)
    if not text:
        return None
    status = ZENDESK_STATUS.get(text.lower())
    if status is None:
        raise MalformedPayload(f"{where} {text!r} is not a Zendesk ticket status.")
    return status


def _zendesk_event(payload: dict) -> TicketEvent:
    kind = payload["type"].removeprefix("zen:event-type:")
    detail = _object(payload.get("detail"), "detail")
    event = _optional_object(payload.get("event"), "event")
    values: dict = {}
    _set(values, "subject", _text(detail.get("subject"), "detail.subject"))
    _set(values, "created_at", _time(detail.get("created_at"), "detail.created_at"))
    current = event.get("current")
    if isinstance(current, dict):
        current = current.get("status")
    status = None
    if kind == "ticket.status_changed" and current is not None:
        status = _zendesk_status(current, "event.current")
    status = status or _zendesk_status(detail.get("status"), "detail.status")
    if kind in ZENDESK_GONE:
        status = TicketStatus.CLOSED
    _set(values, "status", status)
    return TicketEvent(
        source=TicketSource.ZENDESK,
        external_id=_required_id(detail.get("id"), "detail.id"),
        values=values,
        occurred_at=_time(payload.get("time"), "time"),
    )


def _zendesk_trigger(payload: dict) -> TicketEvent:
    ticket = _object(payload.get("ticket"), "ticket")
    requester = _optional_object(ticket.get("requester"), "ticket.requester")
    values: dict = {}
    _set(values, "subject", _text(ticket.get("title") or ticket.get("subject"), "ticket.title"))
    _set(values, "url", _url(_text(ticket.get("url") or ticket.get("link"), "ticket.url")))
    _set(values, "status", _zendesk_status(ticket.get("status"), "ticket.status"))
    _set(values, "created_at", _time(ticket.get("created_at"), "ticket.created_at"))
    _set(
        values,
        "reporter_user_id",
        _text(requester.get("external_id"), "ticket.requester.external_id") or None,
    )
    _set(values, "reporter_email", _text(requester.get("email"), "ticket.requester.email"))
    return TicketEvent(
        source=TicketSource.ZENDESK,
        external_id=_required_id(ticket.get("id"), "ticket.id"),
        values=values,
        session_ids=_id_list(ticket.get("session_ids"), "ticket.session_ids"),
    )


def parse_zendesk(payload: dict) -> TicketEvent:
    kind = payload.get("type")
    if isinstance(kind, str) and kind.startswith("zen:event-type:ticket."):
        return _zendesk_event(payload)
    if "ticket" in payload:
        return _zendesk_trigger(payload)
    raise MalformedPayload(
        "Not a Zendesk ticket payload: expected a ticket event (type zen:event-type:ticket.*) "
        'or a trigger body {"ticket": {...}}.'
    )


# Jira -----------------------------------------------------------------------------------------

JIRA_CATEGORY = {
    "new": TicketStatus.OPEN,
    "indeterminate": TicketStatus.PENDING,
    "done": TicketStatus.SOLVED,
}
JIRA_CLOSED_NAMES = {"closed", "cancelled", "canceled", "won't do", "rejected"}


def _jira_status(fields: dict) -> str | None:
    status = _optional_object(fields.get("status"), "issue.fields.status")
    if not status:
        return None
    name = (_text(status.get("name"), "issue.fields.status.name") or "").lower()
    category = _optional_object(status.get("statusCategory"), "statusCategory")
    key = (_text(category.get("key"), "issue.fields.status.statusCategory.key") or "").lower()
    if name in JIRA_CLOSED_NAMES:
        return TicketStatus.CLOSED
    if key not in JIRA_CATEGORY:
        raise MalformedPayload(f"Unknown Jira status category {key!r}.")
    return JIRA_CATEGORY[key]


def _jira_browse_url(issue: dict, key: str) -> str | None:
    api_url = _text(issue.get("self"), "issue.self") or ""
    base, marker, _rest = api_url.partition("/rest/api/")
    return f"{base}/browse/{key}" if marker and base.startswith("http") else None


def parse_jira(payload: dict) -> TicketEvent:
    issue = _object(payload.get("issue"), "issue")
    fields = _optional_object(issue.get("fields"), "issue.fields")
    key = _required_id(issue.get("key") or issue.get("id"), "issue.key")
    reporter = _optional_object(fields.get("reporter"), "issue.fields.reporter")
    values: dict = {}
    _set(values, "subject", _text(fields.get("summary"), "issue.fields.summary"))
    _set(values, "url", _jira_browse_url(issue, key))
    _set(values, "status", _jira_status(fields))
    _set(values, "created_at", _time(fields.get("created"), "issue.fields.created"))
    _set(values, "reporter_email", _text(reporter.get("emailAddress"), "reporter.emailAddress"))
    if payload.get("webhookEvent") == "jira:issue_deleted":
        values["status"] = TicketStatus.CLOSED
    return TicketEvent(
        source=TicketSource.JIRA,
        external_id=key,
        values=values,
        occurred_at=_time(payload.get("timestamp"), "timestamp"),
    )


PARSERS = {
    IntegrationKind.GENERIC: parse_generic,
    IntegrationKind.ZENDESK: parse_zendesk,
    IntegrationKind.JIRA: parse_jira,
}


def parse(kind: str, payload) -> TicketEvent:
    payload = _object(payload, "The body")
    try:
        return PARSERS[kind](payload)
    except MalformedPayload:
        raise
    except (TypeError, ValueError, AttributeError, KeyError, OverflowError) as exc:
        raise MalformedPayload(f"The payload could not be read ({type(exc).__name__}).") from exc
