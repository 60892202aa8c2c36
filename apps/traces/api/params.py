"""Query-string parsing for the span search: ``attr[key]=value``, times, booleans."""

import re
from datetime import UTC, datetime, timedelta

from django.utils.dateparse import parse_datetime

from apps.core.errors import DomainError
from apps.orgs.api.query import OFFSET_MESSAGE, offset_in_range

_ATTR = re.compile(r"^attr\[(.+)\]$")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def attribute_filters(query_params) -> dict[str, str]:
    """``?attr[session.id]=abc&attr[http.route]=/cart`` → {"session.id": "abc", …}."""
    return {
        match.group(1): query_params.get(key) for key in query_params if (match := _ATTR.match(key))
    }


def unix_nano(value: str | None, name: str) -> int | None:
    """A time as integer nanoseconds since the epoch or as ISO 8601 (naive means UTC)."""
    if value in (None, ""):
        return None
    value = value.strip()
    if value.isdigit():
        return int(value)
    try:
        # An unencoded "+02:00" arrives as " 02:00" (a "+" in a query string is a space).
        parsed = parse_datetime(value) or parse_datetime(value.replace(" ", "+"))
    except ValueError:
        parsed = None
    if parsed is None:
        raise DomainError(
            f"{name} must be ISO 8601 or nanoseconds since the epoch.", code="invalid_time"
        )
    if not offset_in_range(parsed):
        raise DomainError(f"{name}: {OFFSET_MESSAGE}", code="invalid_time")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return (parsed - EPOCH) // timedelta(microseconds=1) * 1000


def boolean(value: str | None, name: str) -> bool | None:
    if value in (None, ""):
        return None
    lowered = value.lower()
    if lowered in ("1", "true", "yes"):
        return True
    if lowered in ("0", "false", "no"):
        return False
    raise DomainError(f"{name} must be true or false.", code="invalid_boolean")
