"""An exporter's retry of the same export is stored once (spans by trace id + span id, log
records by content), accepted without a rejection, and metered once."""

import json

import pytest
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceResponse
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceResponse

from apps.billing.flush import flush_usage_counters
from apps.billing.models import Metric
from apps.traces.models import LogRecord, Span
from tests.billing.test_metering_counters import rollup_totals
from tests.traces.otlp import JSON, log_record, logs_request, span, traces_request

pytestmark = pytest.mark.django_db


def test_the_same_trace_export_sent_three_times_is_stored_once(post_otlp, org_a, org_a_ingest_key):
    export = traces_request([span(name="GET /cart"), span(name="SELECT cart")])

    replies = [post_otlp("/v1/traces", export, key=org_a_ingest_key) for _ in range(3)]

    assert [r.status_code for r in replies] == [200, 200, 200]
    for reply in replies:
        assert not ExportTraceServiceResponse.FromString(reply.content).HasField("partial_success")
    assert sorted(Span.objects.filter(organization=org_a).values_list("name", flat=True)) == [
        "GET /cart",
        "SELECT cart",
    ]


def test_a_retry_with_a_new_span_stores_only_the_new_one(post_otlp, org_a, org_a_ingest_key):
    first = span(name="first")
    post_otlp("/v1/traces", traces_request([first]), key=org_a_ingest_key)

    reply = post_otlp(
        "/v1/traces", traces_request([first, span(name="second")]), key=org_a_ingest_key
    )

    assert reply.status_code == 200
    assert sorted(Span.objects.filter(organization=org_a).values_list("name", flat=True)) == [
        "first",
        "second",
    ]


def test_a_duplicate_is_accepted_and_only_invalid_spans_are_rejected(
    post_otlp, org_a, org_a_ingest_key
):
    stored = span(name="stored")
    post_otlp("/v1/traces", traces_request([stored]), key=org_a_ingest_key)

    reply = post_otlp(
        "/v1/traces", traces_request([stored, span(span_id=bytes(8))]), key=org_a_ingest_key
    )

    partial = ExportTraceServiceResponse.FromString(reply.content).partial_success
    assert reply.status_code == 200
    assert partial.rejected_spans == 1
    assert "span_id must not be all zeros" in partial.error_message
    assert Span.objects.filter(organization=org_a).count() == 1


def test_the_same_span_id_in_another_organization_is_another_span(
    post_otlp, org_a, org_b, ingest_key
):
    export = traces_request([span()])

    post_otlp("/v1/traces", export, key=ingest_key(org_a))
    post_otlp("/v1/traces", export, key=ingest_key(org_b))

    assert Span.objects.filter(organization=org_a).count() == 1
    assert Span.objects.filter(organization=org_b).count() == 1


def test_the_same_log_export_sent_three_times_is_stored_once(post_otlp, org_a, org_a_ingest_key):
    export = logs_request(
        [log_record(body="payment declined"), log_record(body="retrying", severity=13)]
    )

    replies = [post_otlp("/v1/logs", export, key=org_a_ingest_key) for _ in range(3)]

    assert [r.status_code for r in replies] == [200, 200, 200]
    for reply in replies:
        assert not ExportLogsServiceResponse.FromString(reply.content).HasField("partial_success")
    assert sorted(LogRecord.objects.filter(organization=org_a).values_list("body", flat=True)) == [
        "payment declined",
        "retrying",
    ]


def test_a_log_record_retried_as_json_after_protobuf_is_stored_once(
    post_otlp, org_a, org_a_ingest_key
):
    time_ns = 1_700_000_000_000_000_042
    post_otlp(
        "/v1/logs",
        logs_request([log_record(body="hello", time_ns=time_ns, attributes={"n": 1})]),
        key=org_a_ingest_key,
    )
    as_json = {
        "resourceLogs": [
            {
                "resource": {
                    "attributes": [{"key": "service.name", "value": {"stringValue": "shop-api"}}]
                },
                "scopeLogs": [
                    {
                        "scope": {"name": "tests"},
                        "logRecords": [
                            {
                                "timeUnixNano": str(time_ns),
                                "severityNumber": 17,
                                "severityText": "ERROR",
                                "body": {"stringValue": "hello"},
                                "attributes": [{"key": "n", "value": {"intValue": "1"}}],
                            }
                        ],
                    }
                ],
            }
        ]
    }

    reply = post_otlp("/v1/logs", json.dumps(as_json), key=org_a_ingest_key, content_type=JSON)

    assert reply.status_code == 200
    assert LogRecord.objects.filter(organization=org_a).count() == 1


def test_log_records_that_differ_in_anything_are_all_stored(post_otlp, org_a, org_a_ingest_key):
    time_ns = 1_700_000_000_000_000_000
    records = [
        log_record(body="same", time_ns=time_ns),
        log_record(body="same", time_ns=time_ns + 1),
        log_record(body="same", time_ns=time_ns, attributes={"n": 1}),
        log_record(body="other", time_ns=time_ns),
    ]

    post_otlp("/v1/logs", logs_request(records), key=org_a_ingest_key)
    post_otlp("/v1/logs", logs_request(records[:1], service="other-service"), key=org_a_ingest_key)

    assert LogRecord.objects.filter(organization=org_a).count() == 5


def test_a_retry_is_metered_once(post_otlp, org_a, org_a_ingest_key):
    spans = traces_request([span(), span(), span()])
    logs = logs_request([log_record(), log_record(body="two")])
    for _ in range(3):
        post_otlp("/v1/traces", spans, key=org_a_ingest_key)
        post_otlp("/v1/logs", logs, key=org_a_ingest_key)

    flush_usage_counters()

    totals = rollup_totals(org_a)
    assert totals[Metric.SPANS_ACCEPTED] == 3
    assert totals[Metric.LOG_RECORDS_ACCEPTED] == 2
