"""WSGI middleware for Flask, Bottle or any WSGI app:
``app.wsgi_app = SessionIdWSGIMiddleware(app.wsgi_app)``.

The session id is current while the application runs (Flask runs the view then); a body that is
generated lazily after the app returned is not covered. A failed request's response gets the
error header (see :mod:`qorrelate_otel.request`).
"""

from .request import enter_request, exit_request, response_errored, with_error_header
from .session import baggage_with_session, session_id_from_headers


def _header_getter(environ):
    def get(name: str) -> str | None:
        return environ.get("HTTP_" + name.upper().replace("-", "_"))

    return get


def _status_code(status: str) -> int:
    try:
        return int(status.split(" ", 1)[0])
    except ValueError:
        return 0


class SessionIdWSGIMiddleware:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        session_id = session_id_from_headers(_header_getter(environ))
        if session_id:
            environ["HTTP_BAGGAGE"] = baggage_with_session(environ.get("HTTP_BAGGAGE"), session_id)
        token, state = enter_request(session_id)

        def start(status, headers, exc_info=None):
            if response_errored(state, _status_code(status)):
                headers = with_error_header(headers)
            if exc_info is None:
                return start_response(status, headers)
            return start_response(status, headers, exc_info)

        try:
            return self.app(environ, start)
        finally:
            exit_request(token)
