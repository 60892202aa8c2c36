"""Django middleware: ``MIDDLEWARE.insert(0, "qorrelate_otel.django.SessionIdMiddleware")``.

Works in sync and async stacks. The request also gets ``request.qorrelate_session_id``.
"""

from asgiref.sync import iscoroutinefunction, markcoroutinefunction

from .session import attach_session, detach_session, session_id_from_headers


class SessionIdMiddleware:
    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self._is_async = iscoroutinefunction(get_response)
        if self._is_async:
            markcoroutinefunction(self)

    def _enter(self, request):
        session_id = session_id_from_headers(request.headers.get)
        request.qorrelate_session_id = session_id
        return attach_session(session_id) if session_id else None

    def __call__(self, request):
        if self._is_async:
            return self._acall(request)
        token = self._enter(request)
        try:
            return self.get_response(request)
        finally:
            if token is not None:
                detach_session(token)

    async def _acall(self, request):
        token = self._enter(request)
        try:
            return await self.get_response(request)
        finally:
            if token is not None:
                detach_session(token)
