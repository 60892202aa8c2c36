"""WSGI middleware for Flask, Bottle or any WSGI app:
``app.wsgi_app = SessionIdWSGIMiddleware(app.wsgi_app)``.

The session id is current while the application runs (Flask runs the view then); a body that is
generated lazily after the app returned is not covered.
"""

from .session import attach_session, detach_session, session_id_from_headers


def _header_getter(environ):
    def get(name: str) -> str | None:
        return environ.get("HTTP_" + name.upper().replace("-", "_"))

    return get


class SessionIdWSGIMiddleware:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        session_id = session_id_from_headers(_header_getter(environ))
        if not session_id:
            return self.app(environ, start_response)
        token = attach_session(session_id)
        try:
            return self.app(environ, start_response)
        finally:
            detach_session(token)
