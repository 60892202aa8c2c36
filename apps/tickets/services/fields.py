"""Checks and normalization of ticket fields, shared by the API, webhooks and the dashboard."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from apps.core.errors import DomainError

from ..models import MAX_LINK_WINDOW_HOURS, TicketSource, TicketStatus

_url = URLValidator(schemes=["http", "https"])


def source(value: str) -> str:
    value = (value or "").strip().lower()
    if value not in TicketSource.values:
        raise DomainError(
            f"Unknown source {value!r}; use one of {', '.join(TicketSource.values)}.",
            code="invalid_source",
        )
    return value


def status(value: str) -> str:
    value = (value or "").strip().lower()
    if value not in TicketStatus.values:
        raise DomainError(
            f"Unknown status {value!r}; use one of {', '.join(TicketStatus.values)}.",
            code="invalid_status",
        )
    return value


def external_id(value) -> str:
    value = str(value if value is not None else "").strip()
    if not value or len(value) > 255:
        raise DomainError(
            "external_id is required (1 to 255 characters).", code="invalid_external_id"
        )
    return value


def url(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        _url(value)
    except ValidationError:
        raise DomainError(f"{value[:100]!r} is not an http(s) URL.", code="invalid_url") from None
    if len(value) > 2048:
        raise DomainError("The URL is longer than 2048 characters.", code="invalid_url")
    return value


def email(value: str) -> str:
    value = (value or "").strip().lower()
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        raise DomainError(
            f"{value[:100]!r} is not an e-mail address.", code="invalid_email"
        ) from None
    return value


def text(value, limit: int) -> str:
    # PostgreSQL text cannot hold NUL characters.
    return str(value if value is not None else "").replace("\x00", "").strip()[:limit]


def window_hours(value) -> int:
    try:
        hours = int(value)
    except (TypeError, ValueError):
        hours = 0
    if not 1 <= hours <= MAX_LINK_WINDOW_HOURS:
        raise DomainError(
            f"The linking window is 1 to {MAX_LINK_WINDOW_HOURS} hours.", code="invalid_window"
        )
    return hours
