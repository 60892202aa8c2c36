"""Realistic OTLP export requests for the benchmarks: what a Django/FastAPI backend with HTTP,
DB and cache instrumentation sends — 10–20 attributes per span, resource attributes of a
containerised service, an exception event on failed spans — in batches of 512 (the SDK's
BatchSpanProcessor default)."""

import random
import uuid

from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue

BATCH = 512
ROUTES = ["/api/cart", "/api/checkout", "/api/products/{id}", "/api/search", "/api/orders"]
SQL = [
    "SELECT id, name, price FROM product WHERE id = %s",
    "UPDATE cart SET updated_at = now() WHERE id = %s",
    "INSERT INTO order_line (order_id, product_id, qty) VALUES (%s, %s, %s)",
]


def _kv(key, value) -> KeyValue:
    if isinstance(value, bool):
        return KeyValue(key=key, value=AnyValue(bool_value=value))
    if isinstance(value, int):
        return KeyValue(key=key, value=AnyValue(int_value=value))
    if isinstance(value, float):
        return KeyValue(key=key, value=AnyValue(double_value=value))
    return KeyValue(key=key, value=AnyValue(string_value=value))


RESOURCE = {
    "service.name": "shop-api",
    "service.version": "2024.11.3",
    "service.namespace": "shop",
    "deployment.environment": "production",
    "host.name": "shop-api-7d9f8c6b5-x2k4q",
    "k8s.pod.name": "shop-api-7d9f8c6b5-x2k4q",
    "k8s.namespace.name": "shop",
    "telemetry.sdk.language": "python",
    "telemetry.sdk.name": "opentelemetry",
    "telemetry.sdk.version": "1.45.2",
}


def _server_attributes(rng, session_id, route, status):
    return {
        "session.id": session_id,
        "http.request.method": rng.choice(["GET", "POST"]),
        "http.route": route,
        "url.path": route.replace("{id}", str(rng.randint(1, 99999))),
        "url.scheme": "https",
        "url.query": f"page={rng.randint(1, 9)}&sort=price",
        "server.address": "shop.example.com",
        "server.port": 443,
        "client.address": f"10.0.{rng.randint(0, 255)}.{rng.randint(0, 255)}",
        "user_agent.original": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0",
        "http.response.status_code": status,
        "http.response.body.size": rng.randint(200, 40000),
        "network.protocol.version": "1.1",
        "enduser.id": f"user-{rng.randint(1, 5000)}",
        "shop.cart.items": rng.randint(0, 12),
        "shop.feature.new_checkout": rng.random() < 0.5,
    }


def _db_attributes(rng, session_id):
    return {
        "session.id": session_id,
        "db.system": "postgresql",
        "db.namespace": "shop",
        "db.query.text": rng.choice(SQL),
        "db.operation.name": "SELECT",
        "server.address": "db.internal",
        "server.port": 5432,
        "db.response.returned_rows": rng.randint(0, 50),
        "network.peer.address": "10.1.0.5",
        "thread.id": rng.randint(1, 64),
        "code.function.name": "shop.views.cart",
    }


def traces_request(rng: random.Random, start_ns: int, batch: int = BATCH):
    """One export request of ``batch`` spans: traces of 8 spans (a server span, 6 DB/cache
    children, an outgoing HTTP client span), each trace in one browser session."""
    request = ExportTraceServiceRequest()
    resource_spans = request.resource_spans.add()
    resource_spans.resource.attributes.extend(_kv(k, v) for k, v in RESOURCE.items())
    scope = resource_spans.scope_spans.add()
    scope.scope.name = "opentelemetry.instrumentation.django"
    spans = scope.spans
    t = start_ns
    while len(spans) < batch:
        trace_id = rng.randbytes(16)
        session_id = str(uuid.UUID(bytes=rng.randbytes(16), version=4))
        route = rng.choice(ROUTES)
        status = 500 if rng.random() < 0.02 else 200
        root_id = rng.randbytes(8)
        root = spans.add(
            trace_id=trace_id,
            span_id=root_id,
            parent_span_id=rng.randbytes(8),  # the browser's fetch span
            name=f"GET {route}",
            kind=2,
            start_time_unix_nano=t,
            end_time_unix_nano=t + rng.randint(5, 400) * 1_000_000,
        )
        root.attributes.extend(
            _kv(k, v) for k, v in _server_attributes(rng, session_id, route, status).items()
        )
        if status == 500:
            root.status.code = 2
            event = root.events.add(name="exception", time_unix_nano=t + 1_000_000)
            event.attributes.extend(
                [
                    _kv("exception.type", "psycopg.errors.DeadlockDetected"),
                    _kv("exception.message", "deadlock detected"),
                    _kv("exception.stacktrace", "Traceback (most recent call last):\n" * 8),
                ]
            )
        for i in range(7):
            if len(spans) >= batch:
                break
            child = spans.add(
                trace_id=trace_id,
                span_id=rng.randbytes(8),
                parent_span_id=root_id,
                name="SELECT shop" if i < 6 else "POST payments",
                kind=3,
                start_time_unix_nano=t + (i + 1) * 1_000_000,
                end_time_unix_nano=t + (i + 1) * 1_000_000 + rng.randint(1, 20) * 100_000,
            )
            child.attributes.extend(_kv(k, v) for k, v in _db_attributes(rng, session_id).items())
        t += 3_000_000
    return request


def logs_request(rng: random.Random, start_ns: int, batch: int = BATCH):
    """One export request of ``batch`` log records of the stdlib logging bridge."""
    request = ExportLogsServiceRequest()
    resource_logs = request.resource_logs.add()
    resource_logs.resource.attributes.extend(_kv(k, v) for k, v in RESOURCE.items())
    scope = resource_logs.scope_logs.add()
    scope.scope.name = "shop.views"
    for i in range(batch):
        error = rng.random() < 0.05
        record = scope.log_records.add(
            time_unix_nano=start_ns + i * 1_000_000,
            observed_time_unix_nano=start_ns + i * 1_000_000 + 50_000,
            severity_number=17 if error else 9,
            severity_text="ERROR" if error else "INFO",
            trace_id=rng.randbytes(16),
            span_id=rng.randbytes(8),
        )
        record.body.string_value = (
            f"payment declined for order {rng.randint(1, 10**6)}: card_declined"
            if error
            else f"cart {rng.randint(1, 10**6)} updated with {rng.randint(1, 9)} items in 12 ms"
        )
        record.attributes.extend(
            _kv(k, v)
            for k, v in {
                "session.id": str(uuid.UUID(bytes=rng.randbytes(16), version=4)),
                "code.file.path": "/app/shop/views.py",
                "code.function.name": "cart_update",
                "code.line.number": rng.randint(10, 400),
                "logger.name": "shop.views",
                "thread.name": "MainThread",
                "enduser.id": f"user-{rng.randint(1, 5000)}",
            }.items()
        )
    return request
