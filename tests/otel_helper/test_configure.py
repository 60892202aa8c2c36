"""configure() sends spans and logs with the stock OTLP/HTTP exporters to {endpoint}/v1/…"""

import gzip
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

import qorrelate_otel


@pytest.fixture
def receiver():
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", received
    server.shutdown()
    server.server_close()


def _attributes(key_values):
    return {kv.key: kv.value.string_value for kv in key_values}


def test_spans_and_logs_reach_the_endpoint_with_the_key_and_session(receiver):
    endpoint, received = receiver
    telemetry = qorrelate_otel.configure(
        endpoint=endpoint,
        ingest_key="qor_ingest_0123abcd_" + "a" * 48,
        service_name="shop-api",
        resource_attributes={"deployment.environment": "test"},
        set_global=False,
    )
    logger = logging.getLogger("tests.otel_helper.configure")
    logger.propagate = False
    logger.addHandler(telemetry.logging_handler)
    tracer = telemetry.tracer_provider.get_tracer("tests")
    try:
        with qorrelate_otel.session("s-configure"), tracer.start_as_current_span("checkout"):
            logger.error("card declined")
        assert telemetry.force_flush(10_000)
    finally:
        logger.removeHandler(telemetry.logging_handler)
        telemetry.shutdown()

    by_path = {path: (headers, body) for path, headers, body in received}
    assert set(by_path) == {"/v1/traces", "/v1/logs"}
    for headers, _body in by_path.values():
        assert headers["authorization"] == "Bearer qor_ingest_0123abcd_" + "a" * 48
        assert headers["content-type"] == "application/x-protobuf"
        assert headers["content-encoding"] == "gzip"
    traces = ExportTraceServiceRequest.FromString(gzip.decompress(by_path["/v1/traces"][1]))
    resource = traces.resource_spans[0].resource
    assert _attributes(resource.attributes)["service.name"] == "shop-api"
    assert _attributes(resource.attributes)["deployment.environment"] == "test"
    span = traces.resource_spans[0].scope_spans[0].spans[0]
    assert (span.name, _attributes(span.attributes)["session.id"]) == ("checkout", "s-configure")
    logs = ExportLogsServiceRequest.FromString(gzip.decompress(by_path["/v1/logs"][1]))
    record = logs.resource_logs[0].scope_logs[0].log_records[0]
    assert record.body.string_value == "card declined"
    assert _attributes(record.attributes)["session.id"] == "s-configure"
    assert record.trace_id == span.trace_id
