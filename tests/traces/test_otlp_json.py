"""OTLP/JSON bodies written to the specification's encoding rules: hex ids (any case),
integer enums, int64 as strings, lowerCamelCase keys, unknown fields ignored."""

import json

import pytest

from apps.traces.models import LogRecord, Span
from tests.traces.otlp import JSON, gzipped

pytestmark = pytest.mark.django_db

TRACE_ID = "5B8EFFF798038103D269B633813FC60C"
SPAN_ID = "EEE19B7EC3C1B174"
PARENT_ID = "EEE19B7EC3C1B173"


def _span(**overrides):
    span = {
        "traceId": TRACE_ID,
        "spanId": SPAN_ID,
        "parentSpanId": PARENT_ID,
        "name": "I'm a server span",
        "startTimeUnixNano": "1544712660000000000",
        "endTimeUnixNano": "1544712661000000000",
        "kind": 2,
        "attributes": [
            {"key": "session.id", "value": {"stringValue": "json-session"}},
            {"key": "http.response.status_code", "value": {"intValue": "500"}},
        ],
        "status": {"code": 2, "message": "boom"},
        "links": [{"traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "b7ad6b7169203331"}],
        "someFutureField": {"nested": [1, 2, 3]},
    }
    span.update(overrides)
    return span


def _traces(*spans):
    return {
        "resourceSpans": [
            {
                "resource": {
                    "attributes": [{"key": "service.name", "value": {"stringValue": "shop"}}],
                    "entityRefs": [{"type": "service"}],
                },
                "scopeSpans": [{"scope": {"name": "manual", "version": "1.0"}, "spans": spans}],
                "schemaUrl": "https://opentelemetry.io/schemas/1.30.0",
            }
        ],
        "anotherUnknownTopLevelField": True,
    }


def test_a_json_span_is_stored_with_its_hex_ids_decoded_as_hex(post_otlp, org_a, org_a_ingest_key):
    response = post_otlp(
        "/v1/traces", json.dumps(_traces(_span())), key=org_a_ingest_key, content_type=JSON
    )

    assert response.status_code == 200
    assert response["Content-Type"] == JSON
    assert response.json() == {}
    stored = Span.objects.get(organization=org_a)
    assert stored.trace_id == TRACE_ID.lower()
    assert stored.span_id == SPAN_ID.lower()
    assert stored.parent_span_id == PARENT_ID.lower()
    assert stored.links[0] == {
        "trace_id": "0af7651916cd43dd8448eb211c80319c",
        "span_id": "b7ad6b7169203331",
        "attributes": {},
    }
    assert stored.kind == 2 and stored.status_code == 2 and stored.is_error
    assert stored.start_time_unix_nano == 1544712660000000000
    assert stored.duration_ns == 1_000_000_000
    assert stored.session_id == "json-session"
    assert stored.http_status_code == 500
    assert stored.service_name == "shop"


def test_snake_case_keys_and_numeric_int64_values_are_accepted(post_otlp, org_a, org_a_ingest_key):
    document = {
        "resource_spans": [
            {
                "scope_spans": [
                    {
                        "spans": [
                            {
                                "trace_id": TRACE_ID,
                                "span_id": SPAN_ID,
                                "name": "snake",
                                "start_time_unix_nano": 1544712660000000000,
                                "end_time_unix_nano": 1544712660500000000,
                            }
                        ]
                    }
                ]
            }
        ]
    }

    response = post_otlp(
        "/v1/traces", json.dumps(document), key=org_a_ingest_key, content_type=JSON
    )

    assert response.status_code == 200
    stored = Span.objects.get(organization=org_a)
    assert (stored.trace_id, stored.name, stored.duration_ns) == (
        TRACE_ID.lower(),
        "snake",
        500_000_000,
    )


def test_ids_that_are_not_hex_are_rejected_as_partial_success(post_otlp, org_a, org_a_ingest_key):
    base64_id = "W47/95gDgQPSabYzgT/GDA=="  # the same id in base64: not what OTLP/JSON allows
    document = _traces(
        _span(name="ok"),
        _span(name="base64", traceId=base64_id),
        _span(name="odd", spanId="ABC"),
        _span(name="number", spanId=12),
    )

    response = post_otlp(
        "/v1/traces", json.dumps(document), key=org_a_ingest_key, content_type=JSON
    )

    assert response.status_code == 200
    partial = response.json()["partialSuccess"]
    assert int(partial["rejectedSpans"]) == 3
    assert "3 of 4 spans rejected" in partial["errorMessage"]
    assert list(Span.objects.filter(organization=org_a).values_list("name", flat=True)) == ["ok"]


def test_a_gzip_json_body_is_accepted(post_otlp, org_a, org_a_ingest_key):
    body = gzipped(json.dumps(_traces(_span())).encode())

    response = post_otlp(
        "/v1/traces",
        body,
        key=org_a_ingest_key,
        content_type="application/json; charset=utf-8",
        headers={"Content-Encoding": "gzip"},
    )

    assert response.status_code == 200
    assert Span.objects.filter(organization=org_a).count() == 1


def test_json_log_records_are_stored_with_hex_ids_and_integer_severity(
    post_otlp, org_a, org_a_ingest_key
):
    document = {
        "resourceLogs": [
            {
                "resource": {
                    "attributes": [{"key": "service.name", "value": {"stringValue": "shop"}}]
                },
                "scopeLogs": [
                    {
                        "scope": {"name": "app"},
                        "logRecords": [
                            {
                                "timeUnixNano": "1544712660300000000",
                                "observedTimeUnixNano": "1544712660300000001",
                                "severityNumber": 17,
                                "severityText": "ERROR",
                                "traceId": TRACE_ID,
                                "spanId": SPAN_ID,
                                "body": {"stringValue": "card declined"},
                                "attributes": [
                                    {"key": "session.id", "value": {"stringValue": "json-s"}}
                                ],
                                "futureField": 1,
                            }
                        ],
                    }
                ],
            }
        ]
    }

    response = post_otlp("/v1/logs", json.dumps(document), key=org_a_ingest_key, content_type=JSON)

    assert response.status_code == 200
    assert response.json() == {}
    record = LogRecord.objects.get(organization=org_a)
    assert (record.trace_id, record.span_id) == (TRACE_ID.lower(), SPAN_ID.lower())
    assert (record.severity_number, record.severity_text) == (17, "ERROR")
    assert record.body == "card declined"
    assert record.session_id == "json-s"
    assert record.time_unix_nano == 1544712660300000000


def test_json_log_records_with_bad_ids_get_rejected_log_records(post_otlp, org_a, org_a_ingest_key):
    records = [
        {"timeUnixNano": "1", "body": {"stringValue": "fine"}},
        {"timeUnixNano": "1", "traceId": "xyz", "body": {"stringValue": "bad"}},
    ]
    document = {"resourceLogs": [{"scopeLogs": [{"logRecords": records}]}]}

    response = post_otlp("/v1/logs", json.dumps(document), key=org_a_ingest_key, content_type=JSON)

    assert response.status_code == 200
    assert int(response.json()["partialSuccess"]["rejectedLogRecords"]) == 1
    assert LogRecord.objects.filter(organization=org_a).count() == 1
