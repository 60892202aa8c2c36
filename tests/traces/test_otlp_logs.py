"""POST /v1/logs with protobuf bodies."""

import pytest
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceResponse

from apps.traces.models import LogRecord
from tests.traces.otlp import PROTOBUF, log_record, logs_request, new_span_id, new_trace_id

pytestmark = pytest.mark.django_db


def test_a_log_record_is_stored_with_its_trace_and_session(post_otlp, org_a, org_a_ingest_key):
    trace_id, span_id = new_trace_id(), new_span_id()
    record = log_record(
        body="payment declined",
        trace_id=trace_id,
        span_id=span_id,
        attributes={"session.id": "s-1", "order": 42},
        time_ns=1_700_000_000_500_000_000,
    )
    record.event_name = "payment.declined"

    response = post_otlp(
        "/v1/logs", logs_request([record], service="payments"), key=org_a_ingest_key
    )

    assert response.status_code == 200
    assert response["Content-Type"] == PROTOBUF
    assert not ExportLogsServiceResponse.FromString(response.content).HasField("partial_success")
    stored = LogRecord.objects.get(organization=org_a)
    assert (stored.trace_id, stored.span_id, stored.session_id) == (trace_id, span_id, "s-1")
    assert stored.body == "payment declined"
    assert stored.attributes == {"session.id": "s-1", "order": 42}
    assert (stored.severity_number, stored.severity_text) == (17, "ERROR")
    assert stored.service_name == "payments"
    assert stored.time_unix_nano == 1_700_000_000_500_000_000
    assert stored.event_name == "payment.declined"


def test_a_structured_body_is_kept_as_json(post_otlp, org_a, org_a_ingest_key):
    record = log_record(body={"event": "checkout", "items": [1, 2], "ok": False})

    post_otlp("/v1/logs", logs_request([record]), key=org_a_ingest_key)

    assert LogRecord.objects.get(organization=org_a).body == {
        "event": "checkout",
        "items": [1, 2],
        "ok": False,
    }


def test_a_record_without_an_event_time_gets_its_observed_time(post_otlp, org_a, org_a_ingest_key):
    record = log_record(time_ns=0, body=None)
    record.observed_time_unix_nano = 1_700_000_000_000_000_123

    post_otlp("/v1/logs", logs_request([record]), key=org_a_ingest_key)

    stored = LogRecord.objects.get(organization=org_a)
    assert stored.time_unix_nano == 1_700_000_000_000_000_123
    assert stored.body is None


def test_the_session_id_falls_back_to_the_resource(post_otlp, org_a, org_a_ingest_key):
    post_otlp(
        "/v1/logs",
        logs_request([log_record()], resource={"session.id": "res-session"}),
        key=org_a_ingest_key,
    )

    assert LogRecord.objects.get(organization=org_a).session_id == "res-session"


def test_records_with_malformed_ids_are_rejected_and_counted(post_otlp, org_a, org_a_ingest_key):
    records = [
        log_record(body="fine"),
        log_record(body="short trace", trace_id=b"\x01" * 5),
        log_record(body="long span", span_id=b"\x01" * 9),
    ]

    response = post_otlp("/v1/logs", logs_request(records), key=org_a_ingest_key)

    reply = ExportLogsServiceResponse.FromString(response.content)
    assert reply.partial_success.rejected_log_records == 2
    assert "2 of 3 log records rejected" in reply.partial_success.error_message
    assert list(LogRecord.objects.filter(organization=org_a).values_list("body", flat=True)) == [
        "fine"
    ]
