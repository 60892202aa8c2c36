"""Qorrelate's OpenTelemetry helper for your Python backend.

    from qorrelate_otel import configure
    configure(endpoint="https://qorrelate.example.com", ingest_key="qor_ingest_…",
              service_name="my-backend")

plus one middleware so each request's spans and logs carry the browser's ``session.id``:
``qorrelate_otel.django.SessionIdMiddleware``, ``qorrelate_otel.asgi.SessionIdASGIMiddleware``
(FastAPI, Starlette) or ``qorrelate_otel.wsgi.SessionIdWSGIMiddleware`` (Flask). See
docs/otel-helper.md. This package depends on opentelemetry-sdk,
opentelemetry-exporter-otlp-proto-http and opentelemetry-processor-baggage only.
"""

from .processors import SessionIdLogProcessor, SessionIdSpanProcessor
from .providers import Telemetry, configure
from .session import (
    SESSION_HEADER,
    SESSION_ID_ATTRIBUTE,
    attach_session,
    current_session_id,
    detach_session,
    session,
    session_id_from_headers,
)

__all__ = [
    "SESSION_HEADER",
    "SESSION_ID_ATTRIBUTE",
    "SessionIdLogProcessor",
    "SessionIdSpanProcessor",
    "Telemetry",
    "attach_session",
    "configure",
    "current_session_id",
    "detach_session",
    "session",
    "session_id_from_headers",
]
