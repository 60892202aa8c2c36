"""ASGI middleware for FastAPI, Starlette or any ASGI app:
``app.add_middleware(SessionIdASGIMiddleware)`` or ``app = SessionIdASGIMiddleware(app)``."""

from .session import attach_session, detach_session, session_id_from_headers


def _header_getter(scope):
    headers: dict[str, str] = {}
    for name, value in scope.get("headers") or ():
        headers.setdefault(name.decode("latin-1").lower(), value.decode("latin-1"))
    return headers.get


class SessionIdASGIMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope.get("type") not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        session_id = session_id_from_headers(_header_getter(scope))
        if not session_id:
            return await self.app(scope, receive, send)
        token = attach_session(session_id)
        try:
            return await self.app(scope, receive, send)
        finally:
            detach_session(token)
