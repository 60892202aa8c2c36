"""Span and log processors that copy the session id from baggage onto every span and log record.

Built on opentelemetry-processor-baggage, restricted to the session keys: copying all baggage
would put whatever upstream services placed there onto your telemetry.
"""

from opentelemetry.processor.baggage import BaggageLogProcessor, BaggageSpanProcessor

from .session import PREVIOUS_SESSION_ID_ATTRIBUTE, SESSION_ID_ATTRIBUTE

SESSION_KEYS = frozenset({SESSION_ID_ATTRIBUTE, PREVIOUS_SESSION_ID_ATTRIBUTE})


def is_session_key(key: str) -> bool:
    return key in SESSION_KEYS


class SessionIdSpanProcessor(BaggageSpanProcessor):
    """Adds ``session.id`` (and ``session.previous_id``) from baggage to spans at start.

    Add it to the TracerProvider before the exporting processor."""

    def __init__(self) -> None:
        super().__init__(is_session_key)


class SessionIdLogProcessor(BaggageLogProcessor):
    """Adds ``session.id`` (and ``session.previous_id``) from baggage to log records at emit.

    Add it to the LoggerProvider before the exporting processor, which sees the record after."""

    def __init__(self) -> None:
        super().__init__(is_session_key)
