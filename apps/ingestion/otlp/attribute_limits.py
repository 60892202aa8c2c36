"""How much of a span or log record is stored: OpenTelemetry's attribute limits model, applied on
the server too, because a client may send anything (a 1 MB span name, 20,000 attributes).

Over a limit is cut with a visible marker and counted, never rejected: the span still arrives.
"""

from dataclasses import dataclass

from django.conf import settings

DROPPED_ATTRIBUTES = "qorrelate.dropped_attributes_count"
DROPPED_EVENTS = "qorrelate.dropped_events_count"
DROPPED_LINKS = "qorrelate.dropped_links_count"


@dataclass(frozen=True, slots=True)
class AttributeLimits:
    attribute_count: int
    value_length: int
    event_count: int
    link_count: int
    name_length: int
    body_length: int


def attribute_limits() -> AttributeLimits:
    """The limits in force (read per request, so tests and settings changes take effect)."""
    return AttributeLimits(
        attribute_count=settings.OTLP_ATTRIBUTE_COUNT_LIMIT,
        value_length=settings.OTLP_ATTRIBUTE_VALUE_LENGTH_LIMIT,
        event_count=settings.OTLP_SPAN_EVENT_COUNT_LIMIT,
        link_count=settings.OTLP_SPAN_LINK_COUNT_LIMIT,
        name_length=settings.OTLP_NAME_LENGTH_LIMIT,
        body_length=settings.OTLP_LOG_BODY_LENGTH_LIMIT,
    )
