"""Span and log processors that copy the session id from baggage onto every span and log record.

Built on opentelemetry-processor-baggage, restricted to the session keys (copying all baggage
would put whatever upstream services placed there onto your telemetry) and normalizing values:
the SDK's baggage parser keeps W3C properties (``id;p=1``) in the value, so they are cut off and
anything that is not a plausible session id is skipped.
"""

from functools import lru_cache

from opentelemetry.baggage import get_all as get_all_baggage
from opentelemetry.processor.baggage import BaggageLogProcessor, BaggageSpanProcessor

from .conventions import PREVIOUS_SESSION_ID_ATTRIBUTE, SESSION_ID_ATTRIBUTE
from .request import note_span_end
from .session import clean_session_id

SESSION_KEYS = (SESSION_ID_ATTRIBUTE, PREVIOUS_SESSION_ID_ATTRIBUTE)


def is_session_key(key: str) -> bool:
    return key in SESSION_KEYS


@lru_cache(maxsize=1024)
def _cleaned(value: str) -> str | None:
    # Every span of a request sees the same few values: validate each once.
    return clean_session_id(value.split(";", 1)[0])


def session_entries(context=None) -> dict[str, str]:
    """The session keys of the baggage in ``context`` (default: current), cleaned."""
    entries = get_all_baggage(context)
    found = {}
    if not entries:
        return found
    for key in SESSION_KEYS:
        value = entries.get(key)
        if isinstance(value, str):
            cleaned = _cleaned(value)
            if cleaned:
                found[key] = cleaned
    return found


class SessionIdSpanProcessor(BaggageSpanProcessor):
    """Adds ``session.id`` (and ``session.previous_id``) from baggage to spans at start, and
    tells the request a span of it ended with an error (for the response's error header).

    Add it to the TracerProvider before the exporting processor."""

    def __init__(self) -> None:
        super().__init__(is_session_key)

    def on_start(self, span, parent_context=None) -> None:
        for key, value in session_entries(parent_context).items():
            span.set_attribute(key, value)

    def on_end(self, span) -> None:
        note_span_end(span)


class SessionIdLogProcessor(BaggageLogProcessor):
    """Adds ``session.id`` (and ``session.previous_id``) from baggage to log records at emit,
    unless the record already has one. Add it before the exporting processor."""

    def __init__(self) -> None:
        super().__init__(is_session_key)

    def on_emit(self, log_record) -> None:
        attributes = log_record.log_record.attributes
        for key, value in session_entries().items():
            if key not in attributes:
                attributes[key] = value
