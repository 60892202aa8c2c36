"""One request as the middlewares see it: its session id in baggage, and whether it errored.

The recorder's "replay on error" mode starts uploading when a response says the backend failed.
The middlewares set ``X-Qorrelate-Error: 1`` (:data:`ERROR_HEADER`) on the response when its
status is 5xx, when the span current in the middleware (the framework's server span) has an error
status, or when any span of the request ended with an error status — seen by
:class:`~qorrelate_otel.SessionIdSpanProcessor` — even if the app then answered 200. The header
is added to ``Access-Control-Expose-Headers`` too, so a cross-origin page can read it.
"""

from collections.abc import Iterable
from contextvars import ContextVar

from opentelemetry import baggage, context, trace
from opentelemetry.trace import StatusCode

from .conventions import ERROR_HEADER, ERROR_HEADER_VALUE, SESSION_ID_ATTRIBUTE
from .session import tag_current_span

EXPOSE_HEADERS = "Access-Control-Expose-Headers"
# A variable of its own, not an OpenTelemetry context key: instrumentations that rebuild the
# context from the request's headers (Flask's, Django's) would drop a key.
_REQUEST: ContextVar["RequestState | None"] = ContextVar("qorrelate_request", default=None)


class RequestState:
    __slots__ = ("errored",)

    def __init__(self) -> None:
        self.errored = False


def enter_request(session_id: str | None) -> tuple[tuple, RequestState]:
    """Make this request current (and ``session_id``, if any, its session). Returns the token
    for :func:`exit_request` and the state the span processor marks."""
    state = RequestState()
    request_token = _REQUEST.set(state)
    context_token = None
    if session_id:
        context_token = context.attach(baggage.set_baggage(SESSION_ID_ATTRIBUTE, session_id))
        tag_current_span(session_id)
    return (request_token, context_token), state


def exit_request(token: tuple) -> None:
    request_token, context_token = token
    if context_token is not None:
        context.detach(context_token)
    _REQUEST.reset(request_token)


def note_span_end(span) -> None:
    """Called for every span that ends: an error status marks the request it ended in."""
    status = getattr(span, "status", None)
    if status is not None and status.status_code is StatusCode.ERROR:
        state = _REQUEST.get()
        if state is not None:
            state.errored = True


def response_errored(state: RequestState, status_code: int) -> bool:
    if status_code >= 500 or state.errored:
        return True
    status = getattr(trace.get_current_span(), "status", None)
    return status is not None and status.status_code is StatusCode.ERROR


def exposed(current: str | None) -> str:
    """``Access-Control-Expose-Headers`` with the error header in it."""
    if not current:
        return ERROR_HEADER
    names = {name.strip().lower() for name in current.split(",")}
    return current if ERROR_HEADER.lower() in names else f"{current}, {ERROR_HEADER}"


def with_error_header(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """A response's header list with the error header added (WSGI and ASGI shapes)."""
    kept, expose = [], None
    for name, value in headers:
        if name.lower() == EXPOSE_HEADERS.lower():
            expose = value if expose is None else f"{expose}, {value}"
        elif name.lower() != ERROR_HEADER.lower():
            kept.append((name, value))
    return [*kept, (ERROR_HEADER, ERROR_HEADER_VALUE), (EXPOSE_HEADERS, exposed(expose))]
