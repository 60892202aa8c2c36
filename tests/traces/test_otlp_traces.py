"""POST /v1/traces with protobuf bodies: what is stored, and what the exporter is told."""

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceResponse
from opentelemetry.proto.trace.v1.trace_pb2 import Span as PbSpan

from apps.traces.models import Span
from tests.traces.otlp import PROTOBUF, gzipped, new_span_id, new_trace_id, span, traces_request

pytestmark = pytest.mark.django_db


def test_a_span_is_stored_with_every_field_the_exporter_sent(post_otlp, org_a, org_a_ingest_key):
    trace_id, parent_id, span_id = new_trace_id(), new_span_id(), new_span_id()
    pb = span(
        trace_id=trace_id,
        span_id=span_id,
        parent_span_id=parent_id,
        name="POST /checkout",
        kind=PbSpan.SPAN_KIND_SERVER,
        start_ns=1_700_000_000_000_000_000,
        duration_ns=42_000_000,
        attributes={
            "session.id": "7b1c1c52-9f3e-4b53-a7f1-6f3f3f0e2a11",
            "http.response.status_code": 502,
            "http.route": "/checkout",
            "retry": True,
            "ratio": 0.5,
            "tags": ["a", "b"],
            "cart": {"items": 3},
        },
        status_code=2,
        status_message="upstream failed",
    )
    event = pb.events.add(name="exception", time_unix_nano=1_700_000_000_010_000_000)
    event.attributes.add(key="exception.type").value.string_value = "TimeoutError"
    pb.links.add(trace_id=bytes.fromhex(new_trace_id()), span_id=bytes(range(1, 9)))
    request = traces_request([pb], service="checkout", resource={"deployment.environment": "prod"})

    response = post_otlp("/v1/traces", request, key=org_a_ingest_key)

    assert response.status_code == 200
    assert response["Content-Type"] == PROTOBUF
    reply = ExportTraceServiceResponse.FromString(response.content)
    assert not reply.HasField("partial_success")
    stored = Span.objects.get(organization=org_a)
    assert (stored.trace_id, stored.span_id, stored.parent_span_id) == (
        trace_id,
        span_id,
        parent_id,
    )
    assert stored.name == "POST /checkout"
    assert stored.kind == 2 and stored.status_code == 2
    assert stored.status_message == "upstream failed"
    assert stored.service_name == "checkout"
    assert stored.scope_name == "tests"
    assert stored.start_time_unix_nano == 1_700_000_000_000_000_000
    assert stored.end_time_unix_nano == 1_700_000_000_042_000_000
    assert stored.duration_ns == 42_000_000
    assert stored.session_id == "7b1c1c52-9f3e-4b53-a7f1-6f3f3f0e2a11"
    assert stored.http_status_code == 502
    assert stored.is_error is True
    assert stored.attributes["retry"] is True
    assert stored.attributes["ratio"] == 0.5
    assert stored.attributes["tags"] == ["a", "b"]
    assert stored.attributes["cart"] == {"items": 3}
    assert stored.resource_attributes == {
        "service.name": "checkout",
        "deployment.environment": "prod",
    }
    assert stored.events == [
        {
            "name": "exception",
            "time_unix_nano": 1_700_000_000_010_000_000,
            "attributes": {"exception.type": "TimeoutError"},
        }
    ]
    assert stored.links[0]["span_id"] == "0102030405060708"


def test_the_session_id_falls_back_to_the_resource_attribute(post_otlp, org_a, org_a_ingest_key):
    request = traces_request(
        [span(name="with own"), span(name="inherits")], resource={"session.id": "from-resource"}
    )
    request.resource_spans[0].scope_spans[0].spans[0].attributes.add(
        key="session.id"
    ).value.string_value = "from-span"

    assert post_otlp("/v1/traces", request, key=org_a_ingest_key).status_code == 200

    sessions = dict(Span.objects.filter(organization=org_a).values_list("name", "session_id"))
    assert sessions == {"with own": "from-span", "inherits": "from-resource"}


def test_the_ingest_key_also_works_in_the_collector_header(post_otlp, org_a, org_a_ingest_key):
    response = post_otlp(
        "/v1/traces",
        traces_request([span()]),
        headers={"X-Qorrelate-Ingest-Key": org_a_ingest_key},
    )

    assert response.status_code == 200
    assert Span.objects.filter(organization=org_a).count() == 1


def test_a_gzip_body_is_decompressed(post_otlp, org_a, org_a_ingest_key):
    body = gzipped(traces_request([span(), span()]).SerializeToString())

    response = post_otlp(
        "/v1/traces", body, key=org_a_ingest_key, headers={"Content-Encoding": "gzip"}
    )

    assert response.status_code == 200
    assert Span.objects.filter(organization=org_a).count() == 2


def test_spans_with_bad_ids_are_rejected_and_the_rest_stored(post_otlp, org_a, org_a_ingest_key):
    good = span(name="good")
    short_trace = span(name="short", trace_id=bytes(15) + b"\x01")
    short_trace.trace_id = b"\x01" * 15
    zero_span = span(name="zero", span_id=bytes(8))
    bad_parent = span(name="bad parent", parent_span_id=b"\x01\x02\x03")
    request = traces_request([good, short_trace, zero_span, bad_parent])

    response = post_otlp("/v1/traces", request, key=org_a_ingest_key)

    assert response.status_code == 200
    reply = ExportTraceServiceResponse.FromString(response.content)
    assert reply.partial_success.rejected_spans == 3
    assert "3 of 4 spans rejected" in reply.partial_success.error_message
    assert "trace_id must be 16 bytes" in reply.partial_success.error_message
    assert list(Span.objects.filter(organization=org_a).values_list("name", flat=True)) == ["good"]


def test_times_beyond_a_signed_64_bit_integer_are_rejected(post_otlp, org_a, org_a_ingest_key):
    late = span(name="late")
    late.end_time_unix_nano = 2**64 - 1

    response = post_otlp("/v1/traces", traces_request([late, span()]), key=org_a_ingest_key)

    reply = ExportTraceServiceResponse.FromString(response.content)
    assert reply.partial_success.rejected_spans == 1
    assert Span.objects.filter(organization=org_a).count() == 1


def test_nul_characters_are_replaced_instead_of_failing_the_batch(
    post_otlp, org_a, org_a_ingest_key
):
    request = traces_request([span(name="a\x00b", attributes={"k\x00": "v\x00", "n": 1})])

    response = post_otlp("/v1/traces", request, key=org_a_ingest_key)

    assert response.status_code == 200
    stored = Span.objects.get(organization=org_a)
    assert stored.name == "a\ufffdb"
    assert stored.attributes == {"k\ufffd": "v\ufffd", "n": 1}


def test_enum_values_unknown_to_otlp_are_stored_as_unspecified(post_otlp, org_a, org_a_ingest_key):
    odd = span(kind=99, status_code=7)

    assert post_otlp("/v1/traces", traces_request([odd]), key=org_a_ingest_key).status_code == 200

    stored = Span.objects.get(organization=org_a)
    assert (stored.kind, stored.status_code) == (0, 0)


def test_an_empty_request_is_acknowledged(post_otlp, org_a_ingest_key):
    response = post_otlp(
        "/v1/traces", b"", key=org_a_ingest_key, headers={"Content-Type": PROTOBUF}
    )

    assert response.status_code == 200
    assert ExportTraceServiceResponse.FromString(response.content) == ExportTraceServiceResponse()


def test_an_http_status_attribute_that_is_not_a_finite_number_is_stored_without_a_status(
    post_otlp, org_a, org_a_ingest_key
):
    spans = [span(attributes={"http.response.status_code": value}) for value in (float("inf"), "x")]

    response = post_otlp("/v1/traces", traces_request(spans), key=org_a_ingest_key)

    assert response.status_code == 200
    stored = Span.objects.filter(organization=org_a)
    assert [s.http_status_code for s in stored] == [None, None]
    # JSON has no infinity: the attribute itself is stored as null.
    assert {s.attributes["http.response.status_code"] for s in stored} == {None, "x"}
