"""Shared bookkeeping for turning an OTLP export request into rows: rejected items and why."""

from collections.abc import Iterator
from dataclasses import dataclass, field

from apps.traces.models import SESSION_ID_MAX

INT64_MAX = 2**63 - 1
ZERO_TRACE_ID = bytes(16)
ZERO_SPAN_ID = bytes(8)
SESSION_ATTRIBUTE = "session.id"
MAX_REASONS = 5


@dataclass
class Converted:
    """A decoded export request. ``rows`` yields the rows of its valid items, converting each
    one when it is asked for: the store stage writes a row to the COPY while the next is being
    converted, so converting overlaps the database's work instead of preceding it. Invalid
    items are counted in ``rejected`` on the way; read it once the rows are consumed."""

    items: int = 0  # how many the request holds, valid or not
    rows: Iterator = iter(())
    rejected: int = 0
    reasons: list[str] = field(default_factory=list)

    def reject(self, reason: str) -> None:
        self.rejected += 1
        if len(self.reasons) < MAX_REASONS and reason not in self.reasons:
            self.reasons.append(reason)

    def error_message(self, noun: str) -> str:
        if not self.rejected:
            return ""
        return f"{self.rejected} of {self.items} {noun} rejected: " + "; ".join(self.reasons)


def session_id_of(value) -> str:
    """The session id from an attribute value (a string; anything else is stringified)."""
    if value is None or value == "":
        return ""
    if not isinstance(value, str):
        value = str(value)
    if "\x00" in value:
        value = value.replace("\x00", "")
    return value[:SESSION_ID_MAX]


def service_name_of(resource: dict) -> str:
    name = resource.get("service.name")
    return name if isinstance(name, str) else ""


def id_problem(raw: bytes, size: int, *, required: bool, what: str) -> str | None:
    """Why an id is invalid (None when it is fine). Empty ids are allowed when not required."""
    if not raw:
        return f"{what} is missing" if required else None
    if len(raw) != size:
        return f"{what} must be {size} bytes ({size * 2} hex characters), got {len(raw)}"
    if required and raw == bytes(size):
        return f"{what} must not be all zeros"
    return None
