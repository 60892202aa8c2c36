"""What the Python SDK (qorrelate-otel) costs on the customer's hot paths, each beside a baseline
measured in the same run: the same work on the same OpenTelemetry SDK without the helper.

* spans: start + end of a span inside a session (``qorrelate_otel.session``), on a tracer
  provider with a simple processor and an exporter that drops everything; with the helper the
  provider also has ``SessionIdSpanProcessor`` in front (baggage → ``session.id``, error check
  at end). A second baseline: the stock ``BaggageSpanProcessor`` of
  opentelemetry-processor-baggage copying every baggage entry (what one would use without the
  helper), so the ratio shows what the helper's checks cost beyond setting the attribute.
* logs: ``logging`` records through OpenTelemetry's handler the same way, with and without
  ``SessionIdLogProcessor``.
* requests: a WSGI app called directly (no server, no socket) with ``X-Session-ID`` and a child
  span per request, bare vs wrapped in ``SessionIdWSGIMiddleware`` (header read, baggage
  rewrite, context attach, error check on start_response) — once as a bare WSGI function (the
  worst case: the app does nothing else) and once as a one-route Flask app.

Rates are per second of this process's CPU time (``time.process_time``), so a machine shared
with other work slows the numbers less; rounds alternate baseline and helper, medians printed.

    .venv/bin/python benchmarks/sdk_bench.py [--n 20000] [--rounds 5]
"""

import argparse
import logging
import statistics
import time
from wsgiref.util import setup_testing_defaults

from opentelemetry.processor.baggage import ALLOW_ALL_BAGGAGE_KEYS, BaggageSpanProcessor
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import (
    LogRecordExporter,
    LogRecordExportResult,
    SimpleLogRecordProcessor,
)
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult

import qorrelate_otel
from qorrelate_otel.providers import _logging_handler
from qorrelate_otel.wsgi import SessionIdWSGIMiddleware

SESSION = "0b7e1f7c-3c55-4d4e-9a0b-6d1f2e3a4b5c"


class DropSpans(SpanExporter):
    def export(self, spans):
        return SpanExportResult.SUCCESS


class DropLogs(LogRecordExporter):
    def export(self, batch):
        return LogRecordExportResult.SUCCESS

    def force_flush(self, timeout_millis=30_000):
        return True

    def shutdown(self):
        pass


def tracer(with_helper: bool | str):
    provider = TracerProvider()
    if with_helper == "stock":
        provider.add_span_processor(BaggageSpanProcessor(ALLOW_ALL_BAGGAGE_KEYS))
    elif with_helper:
        provider.add_span_processor(qorrelate_otel.SessionIdSpanProcessor())
    provider.add_span_processor(SimpleSpanProcessor(DropSpans()))
    return provider.get_tracer("bench")


def spans_per_second(with_helper: bool | str, n: int) -> float:
    t = tracer(with_helper)
    with qorrelate_otel.session(SESSION):
        start = time.process_time()
        for _ in range(n):
            with t.start_as_current_span("work"):
                pass
        return n / (time.process_time() - start)


def logs_per_second(with_helper: bool, n: int) -> float:
    provider = LoggerProvider()
    if with_helper:
        provider.add_log_record_processor(qorrelate_otel.SessionIdLogProcessor())
    provider.add_log_record_processor(SimpleLogRecordProcessor(DropLogs()))
    logger = logging.getLogger(f"bench.{with_helper}")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    handler = _logging_handler(provider, logging.INFO)
    logger.handlers = [handler]
    with qorrelate_otel.session(SESSION):
        start = time.process_time()
        for i in range(n):
            logger.info("cart loaded %s", i)
        return n / (time.process_time() - start)


def bare_app(t):
    def app(environ, start_response):
        with t.start_as_current_span("view"):
            pass
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    return app


def flask_app(t):
    from flask import Flask

    app = Flask("bench")

    @app.get("/")
    def view():
        with t.start_as_current_span("view"):
            return {"items": 3}

    return app.wsgi_app


def requests_per_second(with_helper: bool, n: int, make_app=bare_app) -> float:
    t = tracer(with_helper)
    app = make_app(t)
    handler = SessionIdWSGIMiddleware(app) if with_helper else app
    base = {}
    setup_testing_defaults(base)
    base["HTTP_X_SESSION_ID"] = SESSION

    def start_response(status, headers, exc_info=None):
        return None

    start = time.process_time()
    for _ in range(n):
        b"".join(handler(dict(base), start_response))
    return n / (time.process_time() - start)


def stock_spans_per_second(with_helper: bool, n: int) -> float:
    return spans_per_second(True if with_helper else "stock", n)


def flask_requests_per_second(with_helper: bool, n: int) -> float:
    return requests_per_second(with_helper, n, flask_app)


CASES = {
    "spans": spans_per_second,
    "spans vs stock": stock_spans_per_second,
    "logs": logs_per_second,
    "bare WSGI": requests_per_second,
    "Flask requests": flask_requests_per_second,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(f"{'case':<16} {'baseline/s':>12} {'with helper/s':>14} {'ratio':>7}")
    print("(spans vs stock: the baseline has the stock BaggageSpanProcessor)")
    for name, measure in CASES.items():
        measure(True, args.n // 10)  # warm up both paths
        measure(False, args.n // 10)
        base, helper = [], []
        for _ in range(args.rounds):
            base.append(measure(False, args.n))
            helper.append(measure(True, args.n))
        b, h = statistics.median(base), statistics.median(helper)
        print(f"{name:<16} {b:>12,.0f} {h:>14,.0f} {h / b:>7.2f}")


if __name__ == "__main__":
    main()
