"""Qorrelate's OpenTelemetry helper for your Python backend.

    from qorrelate_otel import configure
    configure(endpoint="https://qorrelate.example.com", ingest_key="qor_ingest_…",
              service_name="my-backend")

plus one middleware so each request's spans and logs carry the browser's ``session.id``:
``qorrelate_otel.django.SessionIdMiddleware``, ``qorrelate_otel.asgi.SessionIdASGIMiddleware``
(FastAPI, Starlette) or ``qorrelate_otel.wsgi.SessionIdWSGIMiddleware`` (Flask). The middlewares
also mark a failed request's response with ``X-Qorrelate-Error: 1`` (:data:`ERROR_HEADER`), which
the recorder's replay-on-error mode listens for. See docs/sdk-python.md. This package depends on
opentelemetry-sdk, opentelemetry-exporter-otlp-proto-http and opentelemetry-processor-baggage.
"""

from .conventions import (
    ERROR_HEADER,
    ERROR_HEADER_VALUE,
    PREVIOUS_SESSION_ID_ATTRIBUTE,
    SESSION_HEADER,
    SESSION_ID_ATTRIBUTE,
)
from .processors import SessionIdLogProcessor, SessionIdSpanProcessor
from .providers import Telemetry, configure
from .session import (
    attach_session,
    current_session_id,
    detach_session,
    session,
    session_id_from_headers,
)

__version__ = "0.1.0"

__all__ = [
    "ERROR_HEADER",
    "ERROR_HEADER_VALUE",
    "PREVIOUS_SESSION_ID_ATTRIBUTE",
    "SESSION_HEADER",
    "SESSION_ID_ATTRIBUTE",
    "SessionIdLogProcessor",
    "SessionIdSpanProcessor",
    "Telemetry",
    "__version__",
    "attach_session",
    "configure",
    "current_session_id",
    "detach_session",
    "session",
    "session_id_from_headers",
]
