"""What is stored of an oversized span or log record: OpenTelemetry's attribute limits applied by
the server (docs/deployment.md, OTLP_*_LIMIT), cut with a visible marker, never rejected."""

import json

import pytest
from django.test import override_settings
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceResponse
from opentelemetry.proto.trace.v1.trace_pb2 import Span as OtlpSpan

from apps.traces.models import LogRecord, Span
from tests.traces.otlp import (
    JSON,
    key_values,
    log_record,
    logs_request,
    new_span_id,
    new_trace_id,
    span,
    traces_request,
)

pytestmark = pytest.mark.django_db

MEGABYTE = 1024 * 1024


def _marker(cut: int) -> str:
    return f"…[truncated {cut} chars]"


def test_a_megabyte_span_name_is_stored_cut_with_a_marker(post_otlp, org_a, org_a_ingest_key):
    response = post_otlp(
        "/v1/traces", traces_request([span(name="n" * MEGABYTE)]), key=org_a_ingest_key
    )

    assert response.status_code == 200
    assert not ExportTraceServiceResponse.FromString(response.content).HasField("partial_success")
    stored = Span.objects.get(organization=org_a)
    assert stored.name == "n" * 1024 + _marker(MEGABYTE - 1024)


def test_twenty_thousand_attributes_keep_the_first_128_and_count_the_rest(
    post_otlp, org_a, org_a_ingest_key
):
    attributes = {f"k{i:05}": i for i in range(20_000)}
    attributes["session.id"] = "sess-limits"  # the last one, far past the limit

    post_otlp("/v1/traces", traces_request([span(attributes=attributes)]), key=org_a_ingest_key)

    stored = Span.objects.get(organization=org_a)
    assert {f"k{i:05}" for i in range(128)} <= set(stored.attributes)
    assert "k00128" not in stored.attributes
    assert stored.attributes["qorrelate.dropped_attributes_count"] == 20_001 - 128
    # Correlation with the replay survives the cut.
    assert stored.attributes["session.id"] == "sess-limits"
    assert stored.session_id == "sess-limits"


def test_long_attribute_values_are_cut_also_inside_arrays_and_maps(
    post_otlp, org_a, org_a_ingest_key
):
    long = "v" * 5000
    attributes = {"plain": long, "list": ["ok", long], "map": {"inner": long}, "k" * 5000: 1}

    post_otlp("/v1/traces", traces_request([span(attributes=attributes)]), key=org_a_ingest_key)

    cut = "v" * 4096 + _marker(904)
    stored = Span.objects.get(organization=org_a).attributes
    assert stored["plain"] == cut
    assert stored["list"] == ["ok", cut]
    assert stored["map"] == {"inner": cut}
    assert stored["k" * 4096 + _marker(904)] == 1


def test_short_values_are_stored_exactly_as_sent(post_otlp, org_a, org_a_ingest_key):
    attributes = {"a": "x" * 4096, "n": 3, "f": 1.5, "b": True, "l": [1, "two"]}

    post_otlp("/v1/traces", traces_request([span(attributes=attributes)]), key=org_a_ingest_key)

    assert Span.objects.get(organization=org_a).attributes == attributes


def test_status_message_events_links_and_resource_are_limited(post_otlp, org_a, org_a_ingest_key):
    item = span(status_code=2, status_message="m" * 10_000)
    for i in range(300):
        event = item.events.add(name=f"e{i}", time_unix_nano=i)
        if i == 0:
            event.name = "E" * 2000
            event.attributes.extend(key_values({f"a{j}": j for j in range(200)}))
    for _ in range(130):
        item.links.add(trace_id=bytes.fromhex(new_trace_id()), span_id=bytes.fromhex(new_span_id()))
    resource = {f"r{i}": i for i in range(150)}

    post_otlp("/v1/traces", traces_request([item], resource=resource), key=org_a_ingest_key)

    stored = Span.objects.get(organization=org_a)
    assert stored.status_message == "m" * 4096 + _marker(10_000 - 4096)
    assert len(stored.events) == 128
    assert stored.events[0]["name"] == "E" * 1024 + _marker(2000 - 1024)
    assert stored.events[0]["attributes"]["qorrelate.dropped_attributes_count"] == 200 - 128
    assert len(stored.links) == 128
    assert stored.attributes["qorrelate.dropped_events_count"] == 300 - 128
    assert stored.attributes["qorrelate.dropped_links_count"] == 2
    # service.name plus 150: 151 sent, 128 kept.
    assert stored.resource_attributes["qorrelate.dropped_attributes_count"] == 151 - 128
    assert stored.service_name == "shop-api"


@override_settings(OTLP_ATTRIBUTE_COUNT_LIMIT=2, OTLP_NAME_LENGTH_LIMIT=5)
def test_the_limits_come_from_settings(post_otlp, org_a, org_a_ingest_key):
    post_otlp(
        "/v1/traces",
        traces_request([span(name="checkout", attributes={"a": 1, "b": 2, "c": 3})]),
        key=org_a_ingest_key,
    )

    stored = Span.objects.get(organization=org_a)
    assert stored.name == "check" + _marker(3)
    assert stored.attributes == {"a": 1, "b": 2, "qorrelate.dropped_attributes_count": 1}


def test_an_oversized_json_span_is_stored_cut(post_otlp, org_a, org_a_ingest_key):
    body = {
        "resourceSpans": [
            {
                "scopeSpans": [
                    {
                        "spans": [
                            {
                                "traceId": new_trace_id(),
                                "spanId": new_span_id(),
                                "name": "j" * 3000,
                                "kind": OtlpSpan.SPAN_KIND_SERVER,
                                "startTimeUnixNano": "1700000000000000000",
                                "endTimeUnixNano": "1700000001000000000",
                                "attributes": [
                                    {"key": f"k{i}", "value": {"stringValue": "s" * 5000}}
                                    for i in range(200)
                                ],
                            }
                        ]
                    }
                ]
            }
        ]
    }

    response = post_otlp("/v1/traces", json.dumps(body), key=org_a_ingest_key, content_type=JSON)

    assert response.status_code == 200
    assert response.json() == {}
    stored = Span.objects.get(organization=org_a)
    assert stored.name == "j" * 1024 + _marker(3000 - 1024)
    assert stored.attributes["k0"] == "s" * 4096 + _marker(904)
    assert stored.attributes["qorrelate.dropped_attributes_count"] == 200 - 128
    assert len(stored.attributes) == 129


def test_a_long_log_body_and_many_log_attributes_are_cut(post_otlp, org_a, org_a_ingest_key):
    record = log_record(body="b" * 100_000, attributes={f"k{i}": "x" * 5000 for i in range(130)})
    record.event_name = "e" * 1500

    response = post_otlp("/v1/logs", logs_request([record]), key=org_a_ingest_key)

    assert response.status_code == 200
    stored = LogRecord.objects.get(organization=org_a)
    assert stored.body == "b" * 65536 + _marker(100_000 - 65536)
    assert stored.attributes["k0"] == "x" * 4096 + _marker(904)
    assert stored.attributes["qorrelate.dropped_attributes_count"] == 2
    assert stored.event_name == "e" * 1024 + _marker(1500 - 1024)


def test_a_structured_log_body_has_its_strings_cut(post_otlp, org_a, org_a_ingest_key):
    record = log_record(body={"message": "m" * 5000, "items": ["i" * 5000]})

    post_otlp("/v1/logs", logs_request([record]), key=org_a_ingest_key)

    cut = "m" * 4096 + _marker(904)
    assert LogRecord.objects.get(organization=org_a).body == {
        "message": cut,
        "items": ["i" * 4096 + _marker(904)],
    }


def test_an_oversized_json_log_record_is_stored_cut(post_otlp, org_a, org_a_ingest_key):
    body = {
        "resourceLogs": [
            {
                "scopeLogs": [
                    {
                        "logRecords": [
                            {
                                "timeUnixNano": "1700000000000000000",
                                "body": {"stringValue": "L" * 70_000},
                                "attributes": [
                                    {"key": "url.full", "value": {"stringValue": "u" * 5000}}
                                ],
                            }
                        ]
                    }
                ]
            }
        ]
    }

    response = post_otlp("/v1/logs", json.dumps(body), key=org_a_ingest_key, content_type=JSON)

    assert response.status_code == 200
    stored = LogRecord.objects.get(organization=org_a)
    assert stored.body == "L" * 65536 + _marker(70_000 - 65536)
    assert stored.attributes == {"url.full": "u" * 4096 + _marker(904)}
