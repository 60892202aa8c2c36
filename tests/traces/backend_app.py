"""A small customer backend: a WSGI app instrumented the way docs/sdk-python.md says (the
helper's configure() and WSGI middleware, OpenTelemetry's WSGI instrumentation), served by
wsgiref in a thread and exporting with the stock OTLP/HTTP protobuf exporters."""

import logging
import threading
from dataclasses import dataclass, field
from wsgiref.simple_server import WSGIRequestHandler, make_server

from opentelemetry import trace
from opentelemetry.instrumentation.wsgi import OpenTelemetryMiddleware

import qorrelate_otel
from qorrelate_otel.wsgi import SessionIdWSGIMiddleware


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@dataclass
class Backend:
    url: str
    telemetry: qorrelate_otel.Telemetry
    # (path, trace id, server span id) of every request handled
    handled: list[tuple[str, str, str]] = field(default_factory=list)


def _app(telemetry, handled, logger):
    tracer = telemetry.tracer_provider.get_tracer("shop")

    def app(environ, start_response):
        path = environ["PATH_INFO"]
        server_span = trace.get_current_span().get_span_context()
        handled.append((path, f"{server_span.trace_id:032x}", f"{server_span.span_id:016x}"))
        with tracer.start_as_current_span("load cart") as span:
            span.set_attribute("cart.items", 3)
            if path == "/checkout":
                logger.error("payment declined for order %s", 42)
                start_response("502 Bad Gateway", [("Content-Type", "text/plain")])
                return [b"declined"]
            logger.info("cart loaded")
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    return app


def start_backend(*, qorrelate_url: str, ingest_key: str):
    telemetry = qorrelate_otel.configure(
        endpoint=qorrelate_url,
        ingest_key=ingest_key,
        service_name="shop-backend",
        set_global=False,
    )
    logger = logging.getLogger("shop.backend")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logger.addHandler(telemetry.logging_handler)
    handled: list = []
    app = OpenTelemetryMiddleware(
        SessionIdWSGIMiddleware(_app(telemetry, handled, logger)),
        tracer_provider=telemetry.tracer_provider,
    )
    server = make_server("127.0.0.1", 0, app, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    backend = Backend(f"http://127.0.0.1:{server.server_address[1]}", telemetry, handled)

    def stop():
        server.shutdown()
        server.server_close()
        logger.removeHandler(telemetry.logging_handler)
        telemetry.shutdown()

    return backend, stop
