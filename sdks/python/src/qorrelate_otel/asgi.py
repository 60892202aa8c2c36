"""ASGI middleware for FastAPI, Starlette or any ASGI app:
``app.add_middleware(SessionIdASGIMiddleware)`` or ``app = SessionIdASGIMiddleware(app)``.

A failed request's response gets the error header (see :mod:`qorrelate_otel.request`). Starlette
answers an unhandled exception from ``ServerErrorMiddleware``, outside the middleware that
``add_middleware`` installs; wrap the whole app to have the header on those 500s too.
"""

from .request import enter_request, exit_request, response_errored, with_error_header
from .session import baggage_with_session, session_id_from_headers


def _header_getter(scope):
    headers: dict[str, str] = {}
    for name, value in scope.get("headers") or ():
        headers.setdefault(name.decode("latin-1").lower(), value.decode("latin-1"))
    return headers.get


def _marked(raw_headers):
    headers = [(name.decode("latin-1"), value.decode("latin-1")) for name, value in raw_headers]
    return [(n.encode("latin-1"), v.encode("latin-1")) for n, v in with_error_header(headers)]


def _with_baggage(scope, session_id):
    headers, raw = [], []
    for name, value in scope.get("headers") or ():
        if name.lower() == b"baggage":
            raw.append(value.decode("latin-1"))
        else:
            headers.append((name, value))
    value = baggage_with_session(",".join(raw), session_id).encode("latin-1")
    return {**scope, "headers": [*headers, (b"baggage", value)]}


class SessionIdASGIMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope.get("type") not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        session_id = session_id_from_headers(_header_getter(scope))
        if session_id:
            scope = _with_baggage(scope, session_id)
        token, state = enter_request(session_id)

        async def send_marked(message):
            if message.get("type") == "http.response.start" and response_errored(
                state, int(message.get("status", 200))
            ):
                message = {**message, "headers": _marked(message.get("headers") or ())}
            await send(message)

        try:
            return await self.app(scope, receive, send_marked)
        finally:
            exit_request(token)
