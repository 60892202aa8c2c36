"""What both customer backends do (FastAPI and Flask), written against the installed
``qorrelate-otel`` wheel and plain OpenTelemetry only: configure, a child span and a log per
request, a payment that fails inside a span and is answered 200 anyway."""

import logging
import os

from opentelemetry import trace

import qorrelate_otel

SERVICE = os.environ["SHOP_SERVICE"]
telemetry = qorrelate_otel.configure(
    endpoint=os.environ["QORRELATE_URL"],
    ingest_key=os.environ["QORRELATE_INGEST_KEY"],
    service_name=SERVICE,
)
logger = logging.getLogger("shop")
logger.setLevel(logging.INFO)
tracer = trace.get_tracer("shop")


class PaymentDeclined(Exception):
    pass


def load_cart() -> dict:
    with tracer.start_as_current_span("load cart") as span:
        span.set_attribute("cart.items", 3)
        logger.info("cart loaded")
    return {"items": 3, "session": qorrelate_otel.current_session_id()}


def checkout() -> dict:
    try:
        with tracer.start_as_current_span("charge card"):
            raise PaymentDeclined("card declined")
    except PaymentDeclined:
        logger.error("payment declined for order %s", 42)
    return {"ok": False}


def flush() -> dict:
    return {"flushed": telemetry.force_flush(15_000)}
