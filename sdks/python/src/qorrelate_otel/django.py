"""Django middleware: ``MIDDLEWARE.insert(0, "qorrelate_otel.django.SessionIdMiddleware")``.

Works in sync and async stacks. The request also gets ``request.qorrelate_session_id``; a failed
request's response gets the error header (see :mod:`qorrelate_otel.request`).
"""

from asgiref.sync import iscoroutinefunction, markcoroutinefunction

from .conventions import ERROR_HEADER, ERROR_HEADER_VALUE
from .request import (
    EXPOSE_HEADERS,
    enter_request,
    exit_request,
    exposed,
    response_errored,
)
from .session import baggage_with_session, session_id_from_headers


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
        if session_id:
            request.META["HTTP_BAGGAGE"] = baggage_with_session(
                request.META.get("HTTP_BAGGAGE"), session_id
            )
            request.__dict__.pop("headers", None)  # the cached HttpHeaders of request.META
        return enter_request(session_id)

    @staticmethod
    def _mark(state, response):
        if response_errored(state, response.status_code):
            response[ERROR_HEADER] = ERROR_HEADER_VALUE
            response[EXPOSE_HEADERS] = exposed(response.get(EXPOSE_HEADERS))
        return response

    def __call__(self, request):
        if self._is_async:
            return self._acall(request)
        token, state = self._enter(request)
        try:
            return self._mark(state, self.get_response(request))
        finally:
            exit_request(token)

    async def _acall(self, request):
        token, state = self._enter(request)
        try:
            return self._mark(state, await self.get_response(request))
        finally:
            exit_request(token)
