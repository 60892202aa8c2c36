"""A request id on every request, in the response header and in every log line.

With ``ACCESS_LOG`` on (the production default) each request also gets one access line
(method, path, status, duration) carrying its request id; successful probes are left out.
"""

import contextvars
import logging
import re
import time
import uuid

from django.conf import settings

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_VALID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_PROBES = frozenset({"/healthz", "/readyz"})
access_logger = logging.getLogger("qorrelate.access")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.access_log = getattr(settings, "ACCESS_LOG", False)

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID.match(incoming) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        request.request_id = request_id
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            if self.access_log:
                _log_access(request, response, started)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


def _log_access(request, response, started: float) -> None:
    if request.path in _PROBES and response.status_code < 400:
        return
    duration_ms = round((time.perf_counter() - started) * 1000, 1)
    access_logger.info(
        "%s %s %s %sms",
        request.method,
        request.path,
        response.status_code,
        duration_ms,
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": duration_ms,
        },
    )


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True
