"""The session id of the current request: read from headers, carried in OpenTelemetry baggage.

The browser recorder sends ``X-Session-ID: <id>`` and ``baggage: session.id=<id>`` with the
app's own API requests. Putting the id into baggage (rather than a private variable) means the
span and log processors, child spans, and outgoing instrumented requests all see it.
"""

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from opentelemetry import baggage, context, trace
from opentelemetry.baggage.propagation import W3CBaggagePropagator

from .conventions import SESSION_HEADER, SESSION_ID_ATTRIBUTE, SESSION_ID_PATTERN

# Session ids are browser UUIDs; anything else that is short and header-safe is accepted too.
_VALID = re.compile(SESSION_ID_PATTERN)
_baggage_propagator = W3CBaggagePropagator()


def clean_session_id(value) -> str | None:
    """The session id if ``value`` is an acceptable one, else None."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if _VALID.match(value) else None


def session_id_from_headers(get_header: Callable[[str], str | None]) -> str | None:
    """``X-Session-ID`` first, then ``session.id`` in the W3C ``baggage`` header.

    ``get_header(name)`` looks a header up by its lower-case name.
    """
    session_id = clean_session_id(get_header(SESSION_HEADER.lower()))
    if session_id:
        return session_id
    raw_baggage = get_header("baggage")
    if not raw_baggage:
        return None
    extracted = _baggage_propagator.extract({"baggage": raw_baggage}, context.Context())
    value = baggage.get_baggage(SESSION_ID_ATTRIBUTE, extracted)
    # The SDK keeps W3C properties ("id;p=1") in the value.
    return clean_session_id(value.split(";", 1)[0]) if isinstance(value, str) else None


def baggage_with_session(raw_baggage: str | None, session_id: str) -> str:
    """The request's ``baggage`` header with ``session.id=<session_id>`` in it (in place of any
    other value). The middlewares rewrite the request's header to this, because some framework
    instrumentations (Flask's, Django's) rebuild the context from the request's headers after
    the middleware ran, which would drop a session that came as ``X-Session-ID``."""
    members = [
        member.strip()
        for member in (raw_baggage or "").split(",")
        if member.strip() and member.split("=", 1)[0].strip() != SESSION_ID_ATTRIBUTE
    ]
    return ",".join([*members, f"{SESSION_ID_ATTRIBUTE}={session_id}"])


def attach_session(session_id: str) -> object:
    """Make ``session_id`` the current session: in baggage (for spans and logs started from
    here on) and on the current span (started before us, e.g. by the framework's own
    instrumentation). Returns a token for :func:`detach_session`."""
    token = context.attach(baggage.set_baggage(SESSION_ID_ATTRIBUTE, session_id))
    tag_current_span(session_id)
    return token


def tag_current_span(session_id: str) -> None:
    span = trace.get_current_span()
    if span.is_recording():
        span.set_attribute(SESSION_ID_ATTRIBUTE, session_id)


def detach_session(token: object) -> None:
    context.detach(token)


def current_session_id() -> str | None:
    value = baggage.get_baggage(SESSION_ID_ATTRIBUTE)
    return value if isinstance(value, str) else None


@contextmanager
def session(session_id: str) -> Iterator[str | None]:
    """``with qorrelate_otel.session(sid):`` — for work outside a request (a task, a job)."""
    cleaned = clean_session_id(session_id)
    if cleaned is None:
        yield None
        return
    token = attach_session(cleaned)
    try:
        yield cleaned
    finally:
        detach_session(token)
