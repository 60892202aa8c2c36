"""Acme Coffee's checkout: a tiny WSGI shop instrumented the way a customer would do it.

The page carries Qorrelate's script tag; the backend uses ``qorrelate_otel`` (``configure`` plus
the session middleware) and OpenTelemetry's WSGI middleware, so every API request becomes a trace
tagged with the browser's session id. ``POST /api/orders`` is deliberately not idempotent: a
second order for the same cart while the first is still charging fails with a 500.
"""

import json
import logging
import threading
import time
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from opentelemetry.instrumentation.wsgi import OpenTelemetryMiddleware
from opentelemetry.trace import Status, StatusCode

from qorrelate_otel import configure
from qorrelate_otel.wsgi import SessionIdWSGIMiddleware

PAGES = Path(__file__).parent / "pages"
CHARGE_SECONDS = 0.35
logger = logging.getLogger("acme.checkout")


class DuplicateOrder(Exception):
    pass


class Orders:
    """The shop's "database": orders by cart id, with the race the article describes."""

    def __init__(self):
        self.by_cart: dict[str, dict] = {}
        self.lock = threading.Lock()

    def insert(self, cart_id: str, order: dict) -> None:
        with self.lock:
            if cart_id in self.by_cart:
                raise DuplicateOrder(
                    'duplicate key value violates unique constraint "orders_cart_id_key"'
                )
            self.by_cart[cart_id] = order


class Shop:
    def __init__(self, *, qorrelate_url: str, org_id: str, tracer_provider=None):
        self.qorrelate_url = qorrelate_url.rstrip("/")
        self.org_id = org_id
        self.orders = Orders()
        self.tracer = tracer_provider.get_tracer("acme.checkout") if tracer_provider else None

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "/")
        method = environ.get("REQUEST_METHOD", "GET")
        if method == "GET" and path in ("/", "/checkout"):
            return self.page(start_response, "checkout.html")
        if method == "GET" and path.startswith("/assets/"):
            return self.asset(start_response, path.removeprefix("/assets/"))
        if method == "POST" and path == "/api/orders":
            return self.place_order(environ, start_response)
        if method == "GET" and path == "/api/shipping":
            return self.json(start_response, 200, {"options": ["standard", "express"]})
        return self.json(start_response, 404, {"error": "not found"})

    def page(self, start_response, name):
        html = (PAGES / name).read_text()
        html = html.replace("{{QORRELATE_URL}}", self.qorrelate_url).replace(
            "{{ORG_ID}}", self.org_id
        )
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [html.encode()]

    def asset(self, start_response, name):
        target = (PAGES / name).resolve()
        if PAGES.resolve() not in target.parents or not target.is_file():
            return self.json(start_response, 404, {"error": "not found"})
        kind = {"js": "text/javascript", "css": "text/css"}.get(target.suffix[1:], "text/plain")
        start_response("200 OK", [("Content-Type", kind), ("Cache-Control", "no-store")])
        return [target.read_bytes()]

    def place_order(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        try:
            body = json.loads(environ["wsgi.input"].read(length) or b"{}")
        except ValueError:
            return self.json(start_response, 400, {"error": "invalid JSON"})
        cart_id = str(body.get("cart_id") or "")
        logger.info("placing order for cart %s", cart_id)
        # No idempotency key: a second click charges the card again, then trips the unique
        # constraint. This is the bug scenario 2 lets you watch.
        with self.span("charge card", {"payment.provider": "stripe", "cart.id": cart_id}):
            time.sleep(CHARGE_SECONDS)
        try:
            with self.span("INSERT orders", {"db.system": "postgresql", "db.operation": "INSERT"}):
                self.orders.insert(cart_id, {"email": body.get("email"), "at": time.time()})
        except DuplicateOrder as exc:
            logger.error("order failed for cart %s: %s", cart_id, exc)
            return self.json(start_response, 500, {"error": "Internal Server Error"})
        logger.info("order placed for cart %s", cart_id)
        number = f"A-{abs(hash(cart_id)) % 10000:04d}"
        return self.json(start_response, 201, {"ok": True, "order": number})

    def span(self, name, attributes):
        if self.tracer is None:
            return _NoSpan()
        return _Span(self.tracer, name, attributes)

    @staticmethod
    def json(start_response, status, payload):
        reason = {200: "OK", 201: "Created", 400: "Bad Request", 404: "Not Found"}.get(
            status, "Internal Server Error"
        )
        start_response(f"{status} {reason}", [("Content-Type", "application/json")])
        return [json.dumps(payload).encode()]


class _NoSpan:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class _Span:
    """A child span that records the error and re-raises it."""

    def __init__(self, tracer, name, attributes):
        self.manager = tracer.start_as_current_span(name, attributes=attributes)

    def __enter__(self):
        self.span = self.manager.__enter__()
        return self.span

    def __exit__(self, kind, exc, tb):
        if exc is not None:
            self.span.record_exception(exc)
            self.span.set_status(Status(StatusCode.ERROR, str(exc)))
        return self.manager.__exit__(kind, exc, tb)


def _traced_except_assets(plain, traced):
    """Pages and API calls are traced; the shop's CSS and JS files are not worth a trace."""

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "")
        chosen = plain if path.startswith("/assets/") or path == "/favicon.ico" else traced
        return chosen(environ, start_response)

    return app


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class RunningShop:
    def __init__(self, server, thread, telemetry, handler):
        self.server = server
        self.thread = thread
        self.telemetry = telemetry
        self.handler = handler
        self.url = f"http://127.0.0.1:{server.server_port}"

    def flush(self) -> None:
        if self.telemetry is not None:
            self.telemetry.force_flush(10_000)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        if self.telemetry is not None:
            self.flush()
            logger.removeHandler(self.handler)
            self.telemetry.shutdown()


def serve(*, qorrelate_url: str, org_id: str, ingest_key: str | None, port: int = 0) -> RunningShop:
    """Start the shop on 127.0.0.1 in a thread; with an ingest key its telemetry goes to
    Qorrelate (without one the shop runs uninstrumented)."""
    telemetry = None
    tracer_provider = None
    if ingest_key:
        telemetry = configure(
            endpoint=qorrelate_url,
            ingest_key=ingest_key,
            service_name="acme-checkout",
            resource_attributes={"deployment.environment": "demo"},
            set_global=False,
        )
        tracer_provider = telemetry.tracer_provider
        logger.addHandler(telemetry.logging_handler)
        logger.setLevel(logging.INFO)
    shop = Shop(qorrelate_url=qorrelate_url, org_id=org_id, tracer_provider=tracer_provider)
    app = SessionIdWSGIMiddleware(shop)
    if tracer_provider is not None:
        app = _traced_except_assets(
            app, OpenTelemetryMiddleware(app, tracer_provider=tracer_provider)
        )
    server = make_server(
        "127.0.0.1", port, app, server_class=_ThreadingServer, handler_class=_Quiet
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return RunningShop(server, thread, telemetry, telemetry.logging_handler if telemetry else None)
